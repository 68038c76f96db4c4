"""An in-memory index of the catalogue for browsing: filters, facet counts and ordering.

Each facet is a sparse 0/1 matrix of its codes by offers; an offer's scalars (status,
project size bounds, dates) are arrays over the same offers. A filter is then a few
vector operations and every facet's counts one sparse product, where the same work in
SQL (a GROUP BY per facet over the criteria of every matching offer) took most of a
browse request. Full-text search stays in the database (search_index), which hands
over the matching ids with their rank.

The index is rebuilt when the catalogue version moves (every commit that changes offers
or organisations advances it), so results are never stale, also when several processes
share one database. Each index version keeps the results of its latest full-text
searches: a search refined facet by facet, or paged through, asks the database once
(ranking thousands of matches costs more than the rest of a page).
"""

from __future__ import annotations

import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from scipy.sparse import csr_matrix
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from services_catalog.models import Offer, OfferCriterion, changes_catalogue
from services_catalog.service import catalogue_version

_NO_DATE = np.iinfo(np.int64).max  # sorts after every real date
TEXT_SEARCHES_KEPT = 64  # per index version; at most 12 bytes per matching offer each


@dataclass(frozen=True)
class TextMatches:
    """Offers found by a full-text search, with their relevance (higher is better)."""

    offer_ids: np.ndarray
    ranks: np.ndarray


class TextSearches:
    """The latest full-text results, by search terms, least recently used dropped first."""

    def __init__(self, size: int = TEXT_SEARCHES_KEPT) -> None:
        self._size = size
        self._found: OrderedDict[tuple[str, ...], TextMatches] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, terms: tuple[str, ...], search: Callable[[], TextMatches]) -> TextMatches:
        """The kept results for `terms`, or those of `search()`, then kept."""
        with self._lock:
            found = self._found.get(terms)
            if found is not None:
                self._found.move_to_end(terms)
                return found
        found = search()  # outside the lock: other searches need not wait for the database
        with self._lock:
            self._found[terms] = found
            while len(self._found) > self._size:
                self._found.popitem(last=False)
        return found


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
    text_searches: TextSearches = field(default_factory=TextSearches, compare=False, repr=False)

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

    def among(self, text: TextMatches) -> tuple[np.ndarray, np.ndarray]:
        """The mask of offers found by a text search, and each offer's rank (0 if not)."""
        positions = np.searchsorted(self.offer_ids, text.offer_ids)
        inside = positions < len(self.offer_ids)
        inside[inside] = self.offer_ids[positions[inside]] == text.offer_ids[inside]
        mask = np.zeros(len(self.offer_ids), dtype=bool)
        ranks = np.zeros(len(self.offer_ids))
        mask[positions[inside]] = True
        ranks[positions[inside]] = text.ranks[inside]
        return mask, ranks

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


def build(session: Session, fields: Mapping[str, str], version: int) -> BrowseIndex:
    """Read every offer's scalars and the criteria of `fields` ({facet: stored field})."""
    rows = session.execute(
        select(
            Offer.id,
            Offer.status,
            Offer.kind,
            Offer.min_project_eur,
            Offer.max_project_eur,
            Offer.opens,
            Offer.deadline,
            Offer.last_verified_on,
        ).order_by(Offer.id)
    ).all()
    offer_ids = np.array([row.id for row in rows], dtype=np.int64)
    pairs: dict[str, list[tuple[int, str]]] = {facet: [] for facet in fields}
    pairs["kind"] = [(row.id, row.kind) for row in rows]
    by_field = {stored: facet for facet, stored in fields.items()}
    criteria = session.execute(
        select(OfferCriterion.offer_id, OfferCriterion.field, OfferCriterion.code).where(
            OfferCriterion.field.in_(list(by_field))
        )
    )
    for offer_id, stored, code in criteria:
        pairs[by_field[stored]].append((offer_id, code))
    codes, matrices = {}, {}
    for facet, facet_pairs in pairs.items():
        codes[facet] = sorted({code for _, code in facet_pairs})
        row_of = {code: row for row, code in enumerate(codes[facet])}
        matrices[facet] = csr_matrix(
            (
                np.ones(len(facet_pairs), dtype=np.int32),
                (
                    [row_of[code] for _, code in facet_pairs],
                    np.searchsorted(offer_ids, [offer_id for offer_id, _ in facet_pairs]),
                ),
            ),
            shape=(len(codes[facet]), len(offer_ids)),
        )
    return BrowseIndex(
        version=version,
        offer_ids=offer_ids,
        status=np.array([row.status for row in rows], dtype=str),
        min_project=np.array([row.min_project_eur for row in rows], dtype=float),
        max_project=np.array([row.max_project_eur for row in rows], dtype=float),
        opens=np.array([_ordinal(row.opens, 0) for row in rows], dtype=np.int64),
        deadline=np.array([_ordinal(row.deadline, _NO_DATE) for row in rows], dtype=np.int64),
        verified=np.array([_ordinal(row.last_verified_on, 0) for row in rows], dtype=np.int64),
        codes=codes,
        matrices=matrices,
    )


_indexes: weakref.WeakKeyDictionary[Engine, BrowseIndex] = weakref.WeakKeyDictionary()
_lock = threading.Lock()
# Called with the catalogue version and the seconds taken after each shared rebuild (the
# platform's metrics follow them).
rebuild_listeners: list[Callable[[int, float], None]] = []


def current(session: Session, fields: Mapping[str, str]) -> BrowseIndex:
    """The index of this session's database, rebuilt first if the catalogue changed.

    A transaction that has changed the catalogue itself gets an index of its own view,
    kept by nobody else.
    """
    bind = session.get_bind()
    engine = bind if isinstance(bind, Engine) else bind.engine
    version = catalogue_version(session)  # flushes pending changes first
    if changes_catalogue(session):
        return build(session, fields, version)
    with _lock:
        index = _indexes.get(engine)
        if index is None or index.version != version:
            started = time.perf_counter()
            index = _indexes[engine] = build(session, fields, version)
            for listener in rebuild_listeners:
                listener(version, time.perf_counter() - started)
    return index
