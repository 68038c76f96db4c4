"""An in-memory index of the catalogue for browsing: filters, facet counts and ordering.

Each facet is a sparse 0/1 matrix of its codes by offers; an offer's scalars (status,
project size bounds, dates) are arrays over the same offers. A filter is then a few
vector operations and every facet's counts one sparse product, where the same work in
SQL (a GROUP BY per facet over the criteria of every matching offer) took most of a
browse request. Full-text search is answered here too, from the offers' index terms
(text_index), which the database keeps (search_index).

The index follows the catalogue version (every commit that changes offers or
organisations advances it), also when several processes share one database: it reloads
the offers the change log names for the versions since its own and patches a copy of
itself, or rebuilds when the log cannot tell. The update runs off the request path (see
following): a process shows its own commits at once, those of others within a moment.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
from scipy.sparse import csr_matrix
from sqlalchemy import select
from sqlalchemy.orm import Session

from services_catalog.following import Followed
from services_catalog.models import Offer, OfferCriterion
from services_catalog.service import chunks
from services_catalog.text_index import TermIndex, Terms

_NO_DATE = np.iinfo(np.int64).max  # sorts after every real date


@dataclass(frozen=True)
class BrowseIndex:
    version: int  # the catalogue version it was built at
    offer_ids: np.ndarray  # sorted; column j of every matrix is offer_ids[j]
    status: np.ndarray
    min_project: np.ndarray  # float, NaN when unbounded
    max_project: np.ndarray
    opens: np.ndarray  # proleptic ordinal, 0 when open from the start
    deadline: np.ndarray  # proleptic ordinal, _NO_DATE when rolling
    verified: np.ndarray  # proleptic ordinal, 0 when never verified
    codes: dict[str, list[str]]  # per facet, the codes in matrix row order
    matrices: dict[str, csr_matrix]
    text: TermIndex  # the offers' full-text index terms

    def where(self, statuses: Sequence[str], amount: int | None) -> np.ndarray:
        """Offers with one of these statuses whose project size bounds admit `amount`."""
        mask = np.isin(self.status, list(statuses))
        if amount is not None:
            mask &= ~(self.min_project > amount) & ~(self.max_project < amount)
        return mask

    def open_on(self, day: date) -> np.ndarray:
        """Offers whose application window is open on `day` (bounds inclusive, as the
        matcher's eligibility reads them); the index is built once per catalogue version,
        so the day is a parameter rather than a column."""
        ordinal = day.toordinal()
        return (self.opens <= ordinal) & (self.deadline >= ordinal)

    def having(self, facet: str, codes: Sequence[str]) -> np.ndarray:
        """Offers carrying at least one of `codes` for `facet`."""
        wanted = set(codes)
        rows = [i for i, code in enumerate(self.codes[facet]) if code in wanted]
        hits = np.asarray(self.matrices[facet][rows].sum(axis=0)).ravel()
        return hits > 0

    def counts(self, facet: str, mask: np.ndarray) -> dict[str, int]:
        """How many offers of `mask` carry each code of `facet` (codes with none left out)."""
        totals = self.matrices[facet] @ mask.astype(np.int32)
        return {code: int(n) for code, n in zip(self.codes[facet], totals, strict=True) if n}

    def ordered(
        self,
        mask: np.ndarray,
        sort: str,
        ranks: np.ndarray | None,
        named: np.ndarray | None = None,
    ) -> np.ndarray:
        """The offer ids of `mask`, best first: by relevance, by soonest deadline, or most
        recently verified; ties go to the most recently verified, then the newest.

        Relevance puts first the offers that name more of the chosen values (`named`, per
        offer), then ranks by the words' relevance."""
        chosen = np.flatnonzero(mask)
        keys = [-self.offer_ids[chosen], -self.verified[chosen]]
        if sort == "deadline":
            keys.append(self.deadline[chosen])
        elif sort == "relevance":
            if ranks is not None:
                keys.append(-ranks[chosen])
            if named is not None:
                keys.append(-named[chosen])
        return self.offer_ids[chosen[np.lexsort(keys)]]


def _ordinal(value: date | None, missing: int) -> int:
    return value.toordinal() if value is not None else missing


@dataclass(frozen=True)
class _Pairs:
    """The (offer, code) pairs of one facet: offers are positions in their part's list of
    offers, codes are numbers into `codes`."""

    offers: np.ndarray
    codes: list[str]
    code_rows: np.ndarray

    @classmethod
    def of(cls, pairs: list[tuple[int, str]], offer_ids: np.ndarray) -> _Pairs:
        """Pairs read from the database, for the offers of `offer_ids` (ascending)."""
        codes = sorted({code for _, code in pairs})
        row_of = {code: row for row, code in enumerate(codes)}
        ids = np.array([offer_id for offer_id, _ in pairs], dtype=np.int64)
        return cls(
            np.searchsorted(offer_ids, ids),
            codes,
            np.array([row_of[code] for _, code in pairs], dtype=np.int64),
        )

    @classmethod
    def of_index(cls, index: BrowseIndex, facet: str, kept: np.ndarray, rank: np.ndarray) -> _Pairs:
        """The pairs of an index's facet for the offers of `kept` (a mask over them), whose
        places among the kept ones are `rank`."""
        matrix = index.matrices[facet]
        columns = matrix.indices
        rows = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))
        still = kept[columns]
        return cls(rank[columns[still]], index.codes[facet], rows[still])


@dataclass(frozen=True)
class _Rows:
    """Offers and their scalars, with their (offer id, code) pairs by facet."""

    offer_ids: np.ndarray
    scalars: dict[str, np.ndarray]
    pairs: dict[str, _Pairs]
    terms: Terms | None  # read from the database; None for the offers kept from an index


def _read(session: Session, fields: Mapping[str, str], offer_ids: Iterable[int] | None) -> _Rows:
    """Read the offers named (every offer when None) and their criteria of `fields`."""
    query = select(
        Offer.id,
        Offer.status,
        Offer.kind,
        Offer.min_project_eur,
        Offer.max_project_eur,
        Offer.opens,
        Offer.deadline,
        Offer.last_verified_on,
    ).order_by(Offer.id)
    by_field = {stored: facet for facet, stored in fields.items()}
    criteria = select(OfferCriterion.offer_id, OfferCriterion.field, OfferCriterion.code).where(
        OfferCriterion.field.in_(list(by_field))
    )
    if offer_ids is None:
        rows = session.execute(query).all()
        found = session.execute(criteria).all()
    else:
        rows, found = [], []
        for chunk in chunks(sorted(offer_ids)):
            rows += session.execute(query.where(Offer.id.in_(chunk))).all()
            found += session.execute(criteria.where(OfferCriterion.offer_id.in_(chunk))).all()
    pairs: dict[str, list[tuple[int, str]]] = {facet: [] for facet in fields}
    pairs["kind"] = [(row.id, row.kind) for row in rows]
    for offer_id, stored, code in found:
        pairs[by_field[stored]].append((offer_id, code))
    ids = np.array([row.id for row in rows], dtype=np.int64)  # ascending (ORDER BY)
    return _Rows(
        offer_ids=ids,
        scalars={
            "status": np.array([row.status for row in rows], dtype=str),
            "min_project": np.array([row.min_project_eur for row in rows], dtype=float),
            "max_project": np.array([row.max_project_eur for row in rows], dtype=float),
            "opens": np.array([_ordinal(row.opens, 0) for row in rows], dtype=np.int64),
            "deadline": np.array(
                [_ordinal(row.deadline, _NO_DATE) for row in rows], dtype=np.int64
            ),
            "verified": np.array(
                [_ordinal(row.last_verified_on, 0) for row in rows], dtype=np.int64
            ),
        },
        pairs={facet: _Pairs.of(facet_pairs, ids) for facet, facet_pairs in pairs.items()},
        terms=Terms.read(session, ids, None if offer_ids is None else chunks(sorted(offer_ids))),
    )


def _facet(parts: list[_Pairs], placed: list[np.ndarray]) -> tuple[list[str], csr_matrix]:
    """One facet's codes (those some offer has, sorted) and matrix from its parts' pairs;
    `placed` gives, per part, each of its offers' column in the matrix.

    A part taken from an index comes first, in its matrix's order: its codes and offers
    keep their relative order, so its pairs stay sorted and the few new ones are merged
    in, where sorting them all again took most of a patch."""
    union = sorted({code for part in parts for code in part.codes})
    row_of = {code: row for row, code in enumerate(union)}
    code_rows = [
        np.array([row_of[c] for c in part.codes], dtype=np.int64)[part.code_rows] for part in parts
    ]
    used = np.bincount(np.concatenate(code_rows), minlength=len(union)) > 0
    renumber = np.cumsum(used) - 1  # codes no offer has any more are dropped
    width = sum(len(where) for where in placed)
    keys = [
        renumber[rows] * width + where[part.offers]
        for part, rows, where in zip(parts, code_rows, placed, strict=True)
    ]
    if len(keys) == 1:
        merged = np.sort(keys[0])
    else:
        added = np.sort(np.concatenate(keys[1:]))
        merged = np.insert(keys[0], np.searchsorted(keys[0], added), added)
    height = int(used.sum())
    counts = np.bincount(merged // width, minlength=height) if width else np.zeros(height, int)
    matrix = csr_matrix(
        (
            np.ones(len(merged), dtype=np.int32),
            merged % width if width else merged,
            np.concatenate([[0], np.cumsum(counts)]),
        ),
        shape=(height, width),
    )
    return [code for code, kept in zip(union, used, strict=True) if kept], matrix


def _assemble(version: int, rows: _Rows, base: BrowseIndex | None, replaced) -> BrowseIndex:
    """`rows` put in the place of the `replaced` offers of `base` (if any), as an index."""
    parts = [rows]
    if base is not None:
        kept = ~np.isin(base.offer_ids, replaced)
        rank = np.cumsum(kept) - 1  # kept offers keep their order
        parts.insert(
            0,
            _Rows(
                base.offer_ids[kept],
                {name: getattr(base, name)[kept] for name in rows.scalars},
                {facet: _Pairs.of_index(base, facet, kept, rank) for facet in rows.pairs},
                None,
            ),
        )
    offer_ids = np.concatenate([part.offer_ids for part in parts])
    order = np.argsort(offer_ids, kind="stable")
    offer_ids = offer_ids[order]
    column = np.empty_like(order)
    column[order] = np.arange(order.size)
    starts = np.cumsum([0, *(len(part.offer_ids) for part in parts)])
    placed = [column[start:end] for start, end in itertools.pairwise(starts)]
    codes, matrices = {}, {}
    for facet in rows.pairs:
        codes[facet], matrices[facet] = _facet([part.pairs[facet] for part in parts], placed)
    return BrowseIndex(
        version=version,
        offer_ids=offer_ids,
        **{
            name: np.concatenate([part.scalars[name] for part in parts])[order]
            for name in rows.scalars
        },
        codes=codes,
        matrices=matrices,
        text=(
            TermIndex.assemble(rows.terms, placed[0], order)
            if base is None
            else base.text.patched(kept, rows.terms, placed, order)
        ),
    )


def build(session: Session, fields: Mapping[str, str], version: int) -> BrowseIndex:
    """Read every offer's scalars and the criteria of `fields` ({facet: stored field})."""
    return _assemble(version, _read(session, fields, None), None, ())


def patch(
    index: BrowseIndex,
    session: Session,
    fields: Mapping[str, str],
    version: int,
    offer_ids: frozenset[int],
) -> BrowseIndex:
    """A new index: `index` with the offers `offer_ids` read again (gone if deleted).

    `index` itself is left as it is, for the requests still reading it."""
    replaced = np.fromiter(offer_ids, dtype=np.int64, count=len(offer_ids))
    return _assemble(version, _read(session, fields, offer_ids), index, replaced)


# Called with the catalogue version and the seconds taken after each shared rebuild or
# patch (the platform's metrics follow them).
rebuild_listeners: list[Callable[[int, float], None]] = []
_indexes: dict[frozenset, Followed[BrowseIndex]] = {}  # by the fields indexed
_lock = threading.Lock()


def current(session: Session, fields: Mapping[str, str]) -> BrowseIndex:
    """The index of this session's database, as up to date as this process has it (see
    following.Followed)."""
    key = frozenset(fields.items())
    with _lock:
        followed = _indexes.get(key)
        if followed is None:
            fields = dict(fields)
            followed = _indexes[key] = Followed(
                "browse index",
                lambda reading, version: build(reading, fields, version),
                lambda reading, index, version, changed: patch(
                    index, reading, fields, version, changed
                ),
                rebuild_listeners,
            )
    return followed.current(session)
