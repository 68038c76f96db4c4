"""Browsing the catalogue: filters, full-text search, facet counts, sorting and paging.

A restriction left empty on an offer admits everyone, so filtering by a country also
returns the offers open to every country; categories and kinds describe the offer
and match only when present. Words are found by the database's full-text index; the
filters, counts and ordering run on the in-memory browse index (browse_index). Countries
and vocabulary words named in the words are read as filters first (query_reading).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from services_catalog import browse_index, search_index, service, spelling
from services_catalog.models import OPEN_TO_ALL
from services_catalog.query_reading import read_query
from services_catalog.schemas import CodeList, CountryList

# Facet name (as in URLs and the API) → stored criterion field; restrictions admit
# unrestricted offers, descriptions do not.
RESTRICTION_FACETS = {
    "country": "country",
    "residence_country": "residence_country",
    "sector": "sector",
    "stage": "stage",
    "target_group": "target_group",
    "applicant_type": "applicant_type",
}
DESCRIPTION_FACETS = {"category": "category"}
FACETS = (*RESTRICTION_FACETS, *DESCRIPTION_FACETS, "kind")
SORTS = ("relevance", "deadline", "verified")


class OfferFilters(BaseModel):
    """What a visitor asks of the catalogue; every value is checked and normalised."""

    model_config = ConfigDict(extra="forbid")

    q: str | None = Field(default=None, max_length=200, description="Words to search for.")
    country: CountryList
    residence_country: CountryList
    sector: CodeList("sector")
    category: CodeList("category")
    kind: CodeList("kind")
    stage: CodeList("stage")
    target_group: CodeList("target_group")
    applicant_type: CodeList("applicant_type")
    amount: int | None = Field(
        default=None, ge=0, le=10**12, description="Total project size in euros."
    )
    open: bool = Field(
        default=False, description="Only offers whose application window is open today."
    )
    sort: Literal["relevance", "deadline", "verified"] = "relevance"
    page: int = Field(default=1, ge=1, le=10_000)
    per_page: int = Field(default=20, ge=1, le=100)

    def selected(self, facet: str) -> list[str]:
        return getattr(self, facet)

    def active(self) -> dict[str, object]:
        """The filters in use (not sort or paging)."""
        names = (*FACETS, "q", "amount", "open")
        return {name: getattr(self, name) for name in names if getattr(self, name)}


@dataclass(frozen=True)
class FacetValue:
    code: str
    count: int
    selected: bool


@dataclass
class SearchResult:
    offers: list[service.ListedOffer]
    total: int
    filters: OfferFilters
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    # Per restriction facet: the results that restrict nothing on it, hence count for
    # every value, including values no offer names.
    open_to_all: dict[str, int] = field(default_factory=dict)
    typed: str | None = None  # the words as typed, when some of them were read as filters
    version: int | None = None  # the catalogue version of the index the result came from

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.filters.per_page))


@dataclass
class _Selection:
    """The offers a set of filters admits, as masks over the browse index."""

    base: np.ndarray  # status, project amount and words
    ranks: np.ndarray | None  # relevance of the words, when there are words
    admitted: dict[str, np.ndarray]  # per facet with a selection, the offers it admits
    # Per offer, how many restriction facets it matches by naming a chosen value rather
    # than by restricting nothing: "Morocco" puts Moroccan offers before those open to all.
    named: np.ndarray | None = None

    def matching(self) -> np.ndarray:
        mask = self.base.copy()
        for admits in self.admitted.values():
            mask &= admits
        return mask


def _select(
    session: Session,
    index: browse_index.BrowseIndex,
    filters: OfferFilters,
    statuses: tuple[str, ...],
) -> _Selection:
    base = index.where(statuses, filters.amount)
    if filters.open:
        base &= index.open_on(date.today())
    ranks = None
    if terms := search_index.query_terms(filters.q or ""):
        found, ranks = index.text.search(terms)
        base &= found
    # A restriction left empty on an offer (OPEN_TO_ALL) admits every value.
    admitted = {
        facet: index.having(facet, [*codes, OPEN_TO_ALL] if facet in RESTRICTION_FACETS else codes)
        for facet in FACETS
        if (codes := filters.selected(facet))
    }
    restricted = [facet for facet in RESTRICTION_FACETS if filters.selected(facet)]
    named = None
    if restricted:
        named = sum(index.having(f, filters.selected(f)).astype(np.int8) for f in restricted)
    return _Selection(base, ranks, admitted, named)


def understood(filters: OfferFilters) -> OfferFilters:
    """The filters, with the countries and vocabulary words named in `q` read as filters."""
    if not filters.q:
        return filters
    read = read_query(filters.q)
    data = filters.model_dump()
    data["q"] = read.keywords
    for facet, codes in read.filters.items():
        data[facet] = list(dict.fromkeys([*data[facet], *codes]))
    return OfferFilters.model_validate(data)


def _current_index(session: Session) -> browse_index.BrowseIndex:
    return browse_index.current(session, {**RESTRICTION_FACETS, **DESCRIPTION_FACETS})


def warm_up(engine: Engine) -> None:
    """Build the browse index of `engine` (a serving process does at start-up: at 100,000
    offers it takes seconds, which the first visitor would otherwise wait)."""
    with Session(engine) as session:
        _current_index(session)


def search_offers(
    session: Session,
    filters: OfferFilters,
    *,
    statuses: tuple[str, ...] = ("published",),
    with_facets: bool = True,
) -> SearchResult:
    """One page of matching offers, their total and, optionally, facet counts.

    The result's filters are those applied, after reading `q` (see `understood`).
    """
    typed, filters = filters.q, understood(filters)
    index = _current_index(session)
    selection = _select(session, index, filters, statuses)
    matching = selection.matching()
    start = (filters.page - 1) * filters.per_page
    ordered = index.ordered(matching, filters.sort, selection.ranks, selection.named)
    page_ids = [int(offer_id) for offer_id in ordered[start : start + filters.per_page]]
    result = SearchResult(
        offers=service.listed_offers(session, page_ids),
        total=int(matching.sum()),
        filters=filters,
        typed=typed if typed != filters.q else None,
        version=index.version,
    )
    if with_facets:
        result.facets, result.open_to_all = _facet_counts(
            index, filters, selection.base, selection.admitted
        )
    return result


def _facet_counts(
    index: browse_index.BrowseIndex,
    filters: OfferFilters,
    base: np.ndarray,
    admitted: dict[str, np.ndarray],
):
    """For each facet value, how many offers the page would show with it selected.

    Facets without a selection count over the current results; a facet with a selection
    counts over the results without its own filter.
    """
    counts = {}
    for facet in FACETS:
        mask = base.copy()
        for other, admits in admitted.items():
            if other != facet:
                mask &= admits
        counts[facet] = index.counts(facet, mask)
    open_to_all = {
        facet: counts[facet].pop(OPEN_TO_ALL, 0) for facet in FACETS if facet in RESTRICTION_FACETS
    }
    facets = {}
    for facet in FACETS:
        values = counts[facet]
        if facet in open_to_all:  # an unrestricted offer counts for every value
            values = {code: n + open_to_all[facet] for code, n in values.items()}
            values.update(
                {c: open_to_all[facet] for c in filters.selected(facet) if c not in values}
            )
        selected = set(filters.selected(facet))
        facets[facet] = sorted(
            (FacetValue(code, n, code in selected) for code, n in values.items()),
            key=lambda v: (-v.count, v.code),
        )
    return facets, open_to_all


def did_you_mean(
    session: Session, filters: OfferFilters, statuses: tuple[str, ...] = ("published",)
) -> OfferFilters | None:
    """When the words find nothing: the filters with the words spelt as the catalogue does,
    if that finds offers."""
    if not filters.q:
        return None
    q = spelling.corrected(session, filters.q)
    if q is None:
        return None
    respelt = filters.model_copy(update={"q": q, "page": 1})
    found = search_offers(session, respelt, statuses=statuses, with_facets=False)
    return respelt if found.total else None


# What each scalar filter is when not in use (list filters are empty lists).
_UNSET: dict[str, object] = {"q": None, "amount": None, "open": False}


def relaxations(
    session: Session, filters: OfferFilters, statuses: tuple[str, ...] = ("published",)
) -> dict[str, int]:
    """When nothing matches: how many offers each single active filter hides, if removed."""
    index = _current_index(session)
    found: dict[str, int] = {}
    for name in filters.active():
        relaxed = filters.model_copy(update={name: _UNSET.get(name, [])})
        total = int(_select(session, index, relaxed, statuses).matching().sum())
        if total:
            found[name] = total
    return found


def matching_ids(
    session: Session, filters: OfferFilters, statuses: tuple[str, ...] = ("published",)
) -> set[int]:
    """Ids of every offer the browse page shows for `filters` (all pages), for alerts."""
    index = _current_index(session)
    mask = _select(session, index, understood(filters), statuses).matching()
    return {int(offer_id) for offer_id in index.offer_ids[mask]}
