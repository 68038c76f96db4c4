"""Full-text search in memory: the catalogue's index terms by offers, ranked by BM25.

The database keeps each offer's index terms (search_index: an FTS5 table on SQLite, a
tsvector on PostgreSQL, written as offers change). Asking the database to rank every offer
holding two common words cost tens of milliseconds at 10,000 offers and grew with the
catalogue; the browse index instead keeps the same terms as a sparse matrix of weighted term
counts (terms by offers) and answers a search with a few vector operations, the same way on
both databases. It follows the catalogue with the rest of the browse index: patches re-read
the terms of the changed offers only.

Ranking is Okapi BM25 over one weighted field: a title term counts TITLE_WEIGHT times, as the
title weighed three times the description in the database's own ranking before.
"""

from __future__ import annotations

import re
from array import array
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.sparse import coo_matrix, csr_matrix
from sqlalchemy import text
from sqlalchemy.orm import Session

from services_catalog.search_index import QueryTerm

TITLE_WEIGHT = 3.0
K1, B = 1.2, 0.75  # the usual BM25 constants, also FTS5's
_LEXEME = re.compile(r"'((?:[^']|'')*)':([0-9A-D,]+)")  # one term of a tsvector's text


@dataclass(frozen=True)
class Terms:
    """Weighted (term, offer) counts: offers are positions in their part's list of offers,
    terms are numbers into `terms`; `lengths` is each offer's weighted count of terms."""

    terms: np.ndarray  # str
    rows: np.ndarray
    offers: np.ndarray
    weights: np.ndarray
    lengths: np.ndarray

    @classmethod
    def read(cls, session: Session, offer_ids: np.ndarray, chunks: Iterable[Sequence[int]] | None):
        """The index terms of the offers `offer_ids` (ascending), read from the database:
        all of them when `chunks` is None, else those of the ids in each chunk."""
        vocabulary: dict[str, int] = {}
        rows, offers, weights = array("i"), array("i"), array("f")  # compact: millions of them
        lengths = np.zeros(len(offer_ids), dtype=np.float32)
        for offer_id, counted in _stored_terms(session, chunks):
            position = int(np.searchsorted(offer_ids, offer_id))
            if position == len(offer_ids) or offer_ids[position] != offer_id:
                continue
            rows.extend(vocabulary.setdefault(term, len(vocabulary)) for term in counted)
            offers.extend([position] * len(counted))
            weights.extend(counted.values())
            lengths[position] = sum(counted.values())
        return cls(
            np.array(list(vocabulary), dtype=str),
            np.frombuffer(rows, dtype=np.int32),
            np.frombuffer(offers, dtype=np.int32),
            np.frombuffer(weights, dtype=np.float32),
            lengths,
        )


def _stored_terms(session: Session, chunks: Iterable[Sequence[int]] | None):
    """(offer id, {term: weight}) for the offers of `chunks` (every offer if None)."""
    postgres = session.get_bind().dialect.name == "postgresql"
    if postgres:
        query = "SELECT offer_id, document::text FROM offer_search"
        where = " WHERE offer_id IN ({})"
    else:
        query = "SELECT rowid, title, body FROM offer_search"
        where = " WHERE rowid IN ({})"
    statements = (
        [text(query)]
        if chunks is None
        else [text(query + where.format(",".join(str(int(i)) for i in chunk))) for chunk in chunks]
    )
    for statement in statements:
        for row in session.execute(statement):
            if postgres:
                yield row[0], _tsvector_terms(row[1])
            else:
                yield row[0], _fts_terms(row[1], row[2])


def _fts_terms(title: str, body: str) -> dict[str, float]:
    counted = {term: TITLE_WEIGHT * n for term, n in Counter(title.split()).items()}
    for term, n in Counter(body.split()).items():
        counted[term] = counted.get(term, 0.0) + n
    return counted


def _tsvector_terms(document: str) -> dict[str, float]:
    """Terms of a tsvector's text form ('term':1A,4 ...): weight A marks title positions."""
    counted = {}
    for term, positions in _LEXEME.findall(document):
        marks = positions.split(",")
        titled = sum(mark.endswith("A") for mark in marks)
        counted[term.replace("''", "'")] = TITLE_WEIGHT * titled + len(marks) - titled
    return counted


@dataclass(frozen=True)
class TermIndex:
    terms: np.ndarray  # sorted, so that the terms starting with a prefix are one slice
    matrix: csr_matrix  # terms by offers: weighted counts
    lengths: np.ndarray  # per offer

    @classmethod
    def assemble(cls, read: Terms, columns: np.ndarray, order: np.ndarray) -> TermIndex:
        """The index of the offers `read`, whose offers go to `columns`; `order` puts them
        in column order."""
        terms = np.unique(read.terms)
        rows = np.searchsorted(terms, read.terms)[read.rows]
        matrix = coo_matrix(
            (read.weights, (rows, columns[read.offers])), shape=(len(terms), len(columns))
        ).tocsr()
        return cls(terms, matrix, read.lengths[order])

    def patched(
        self, kept: np.ndarray, new: Terms, placed: list[np.ndarray], order: np.ndarray
    ) -> TermIndex:
        """This index with only the offers of `kept` (a mask over its offers) and the `new`
        ones, at the columns `placed` gives for each (the kept ones first); `order` puts
        their concatenated offers in column order.

        The kept counts are moved, not rebuilt: their columns keep their order and terms
        keep theirs, so the matrix stays sorted, and the few new counts are added to it."""
        width = sum(len(where) for where in placed)
        kept_counts = self.matrix[:, np.flatnonzero(kept)]
        terms, indptr = self.terms, kept_counts.indptr
        places = np.searchsorted(terms, new.terms)
        known = places < len(terms)
        known[known] = terms[places[known]] == new.terms[known]
        missing = np.unique(new.terms[~known])
        if len(missing):  # rows of their own for the terms the index lacks
            inserted = np.searchsorted(terms, missing) + np.arange(len(missing))
            wide = np.promote_types(terms.dtype, missing.dtype)  # a longer term is not cut
            terms = np.insert(terms.astype(wide), inserted - np.arange(len(missing)), missing)
            counts = np.zeros(len(terms), dtype=np.int64)
            counts[np.delete(np.arange(len(terms)), inserted)] = np.diff(indptr)
            indptr = np.concatenate([[0], np.cumsum(counts)])
        moved = csr_matrix(
            (kept_counts.data, placed[0][kept_counts.indices], indptr),
            shape=(len(terms), width),
        )
        added = coo_matrix(
            (new.weights, (np.searchsorted(terms, new.terms)[new.rows], placed[1][new.offers])),
            shape=(len(terms), width),
        ).tocsr()
        matrix = moved + added
        used = np.diff(matrix.indptr) > 0  # terms no offer holds any more are dropped
        if not used.all():
            terms, matrix = terms[used], matrix[used]
        return TermIndex(terms, matrix, np.concatenate([self.lengths[kept], new.lengths])[order])

    def _rows(self, prefixes: Sequence[str], exact: Sequence[str]) -> np.ndarray:
        found = [
            np.arange(
                np.searchsorted(self.terms, prefix, "left"),
                np.searchsorted(self.terms, prefix + "\U0010ffff", "left"),
            )
            for prefix in prefixes
        ]
        for term in exact:
            place = np.searchsorted(self.terms, term)
            if place < len(self.terms) and self.terms[place] == term:
                found.append(np.array([place]))
        return np.unique(np.concatenate(found)) if found else np.zeros(0, dtype=np.int64)

    def search(self, words: Sequence[QueryTerm]) -> tuple[np.ndarray, np.ndarray]:
        """The offers holding, for every word, one of its terms (a prefix or an exact
        term), as a mask over the offers, and their BM25 relevance."""
        count = self.matrix.shape[1]
        mask = np.ones(count, dtype=bool)
        ranks = np.zeros(count)
        if not count:
            return mask, ranks
        average = float(self.lengths.mean()) or 1.0
        norm = K1 * (1 - B + B * self.lengths / average)
        for prefixes, exact in words:
            rows = self._rows(prefixes, exact)
            frequency = np.asarray(self.matrix[rows].sum(axis=0)).ravel()
            holding = frequency > 0
            mask &= holding
            holders = int(holding.sum())
            idf = np.log(1 + (count - holders + 0.5) / (holders + 0.5))
            ranks += idf * frequency * (K1 + 1) / (frequency + norm)
        return mask, np.where(mask, ranks, 0.0)
