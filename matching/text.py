"""Bilingual (fr/en) text relevance between a project description and offers.

Word unigrams, accents stripped, French and English stop words dropped, and every word
cut to its first five letters. The cut is a crude stemmer that also joins many fr/en
cognates (financement/financing → "finan", agricole/agriculture → "agric",
tracteur/tractor → "tract"). Character n-grams would catch a little more but hold ten
times as many non-zeros per offer, which matters at 100,000 offers.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence

import numpy as np
from scipy import sparse

from matching.words import STOP_WORDS, strip_accents

STEM_LENGTH = 5

_WORD = re.compile(r"[a-z][a-z0-9]+")


def analyse(text: str) -> list[str]:
    """Stems of the content words of `text`, in order."""
    words = _WORD.findall(strip_accents(text or ""))
    return [w[:STEM_LENGTH] for w in words if w not in STOP_WORDS]


Terms = tuple[np.ndarray, np.ndarray]


def tfidf_terms(
    vocabulary: Mapping[str, int],
    idf: np.ndarray,
    analyzer: Callable[[str], list[str]],
    text: str,
) -> Terms | None:
    """A text as (feature indices, weights) over `vocabulary` with sublinear TF, `idf`
    and L2 norm: what a fitted `TfidfVectorizer(sublinear_tf=True)` makes of one text,
    in a few microseconds of arithmetic instead of a millisecond of checks."""
    counts = Counter(vocabulary[t] for t in analyzer(text) if t in vocabulary)
    if not counts:
        return None
    indices = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
    tf = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
    weights = (1.0 + np.log(tf)) * idf[indices]
    return indices, weights / np.linalg.norm(weights)


def _term_counts(texts: Sequence[str], vocabulary: dict[str, int]) -> sparse.csr_array:
    """Each text's term counts, one row a text; new terms are added to `vocabulary`."""
    indptr, indices, counts = [0], [], []
    for text in texts:
        found = Counter(vocabulary.setdefault(t, len(vocabulary)) for t in analyse(text))
        indices += found.keys()
        counts += found.values()
        indptr.append(len(indices))
    return sparse.csr_array(
        (
            np.asarray(counts, dtype=np.int32),
            np.asarray(indices, dtype=np.int64),
            np.asarray(indptr, dtype=np.int64),
        ),
        shape=(len(texts), len(vocabulary)),
    )


class OfferText:
    """TF-IDF matrix of the offers' titles and descriptions, rows L2-normalised.

    The weights are those of scikit-learn's `TfidfVectorizer(sublinear_tf=True)` (smooth
    IDF), computed here from term counts that are kept, so that a few offers can be
    replaced without reading every text again (`spliced`).
    """

    def __init__(self, vocabulary: dict[str, int], counts: sparse.csr_array):
        # Terms no offer holds any more are dropped: a query must not know them, since
        # they would change its norm and a full rebuild would not have them.
        frequency = np.bincount(counts.indices, minlength=len(vocabulary))
        if (frequency == 0).any():
            kept = frequency > 0
            renumber = np.cumsum(kept) - 1
            vocabulary = {t: int(renumber[i]) for t, i in vocabulary.items() if kept[i]}
            counts = sparse.csr_array(
                (counts.data, renumber[counts.indices], counts.indptr),
                shape=(counts.shape[0], len(vocabulary)),
            )
            frequency = frequency[kept]
        self._vocabulary = vocabulary
        self._counts = counts
        rows = counts.shape[0]
        self._idf = np.log((1.0 + rows) / (1.0 + frequency)) + 1.0
        weights = (1.0 + np.log(counts.data.astype(np.float64))) * self._idf[counts.indices]
        squares = sparse.csr_array((weights**2, counts.indices, counts.indptr), shape=counts.shape)
        per_row = np.repeat(np.sqrt(squares.sum(axis=1)), np.diff(counts.indptr))
        self._matrix = sparse.csr_matrix(
            ((weights / per_row).astype(np.float32), counts.indices, counts.indptr),
            shape=counts.shape,
        )

    @classmethod
    def build(cls, texts: Sequence[str]) -> OfferText:
        """Count the terms of the catalogue's own texts and weigh them."""
        vocabulary: dict[str, int] = {}
        return cls(vocabulary, _term_counts(texts, vocabulary))

    def spliced(self, kept: np.ndarray, added: Sequence[str], order: np.ndarray) -> OfferText:
        """The rows of `kept` (a mask) followed by those of the texts `added`, taken in
        `order`: the same as building from those texts, reading only the added ones."""
        vocabulary = dict(self._vocabulary)
        new = _term_counts(added, vocabulary)
        old = self._counts[np.flatnonzero(kept)]
        old.resize((old.shape[0], len(vocabulary)))
        counts = sparse.vstack([old, new], format="csr")[order]
        counts.sort_indices()
        return OfferText(vocabulary, sparse.csr_array(counts))

    def query(self, description: str) -> np.ndarray | None:
        """The description as a dense normalised TF-IDF vector, None if no word is known."""
        if not self._vocabulary or not isinstance(description, str):
            return None
        terms = tfidf_terms(self._vocabulary, self._idf, analyse, description)
        if terms is None:
            return None
        vector = np.zeros(self._matrix.shape[1], dtype=np.float32)
        vector[terms[0]] = terms[1]
        return vector

    def cosine(self, rows: np.ndarray, query: np.ndarray | None) -> np.ndarray:
        """Cosine similarity in [0, 1] between the offers at `rows` and `query`."""
        if query is None or rows.size == 0:
            return np.zeros(rows.size, dtype=np.float32)
        return np.clip(self._matrix[rows] @ query, 0.0, 1.0)

    def pair_cosines(self, rows: np.ndarray, queries: Sequence[np.ndarray]) -> np.ndarray:
        """Cosine in [0, 1] of each (offer at `rows[i]`, `queries[i]`) pair; pairs share
        queries (the same array object), so each distinct one is multiplied once."""
        if self._matrix is None or rows.size == 0:
            return np.zeros(rows.size, dtype=np.float32)
        distinct: dict[int, int] = {}
        which = np.asarray([distinct.setdefault(id(q), len(distinct)) for q in queries])
        stacked = np.vstack(list({id(q): q for q in queries}.values()))
        offer_rows, position = np.unique(rows, return_inverse=True)
        products = self._matrix[offer_rows] @ stacked.T
        return np.clip(np.asarray(products)[position, which], 0.0, 1.0)
