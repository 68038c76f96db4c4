"""Plain records exchanged with the matching library: offers, profiles and results."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from matching.amounts import AmountRead


@dataclass(frozen=True, slots=True)
class OfferRecord:
    """One catalogue offer; an empty tuple or None means "no restriction"."""

    offer_id: int
    title: str
    organization: str
    kind: str
    external_id: str | None = None
    description: str = ""
    lang: str = "en"
    categories: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    residence_countries: tuple[str, ...] = ()
    stages: tuple[str, ...] = ()
    applicant_types: tuple[str, ...] = ()
    target_groups: tuple[str, ...] = ()
    min_project_eur: int | None = None
    max_project_eur: int | None = None
    ticket_min_eur: int | None = None
    ticket_max_eur: int | None = None
    opens: date | None = None
    deadline: date | None = None
    published: bool = True


@dataclass(frozen=True, slots=True)
class Profile:
    """An entrepreneur's situation and needs (contract section 3)."""

    residence_country: str
    target_country: str
    sector: str
    stage: str
    project_eur: int
    funding_need_eur: int | None = None
    applicant_type: str = "individual"
    groups: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    description: str = ""


@dataclass(frozen=True, slots=True)
class Recommendation:
    """An eligible offer with its score in [0, 1] and the sentences explaining it.

    `reasons` say why it fits; `cautions` what may not fit (an amount outside the offer's
    range, none of the needs met); `timing` when to apply.
    """

    offer_id: int
    external_id: str | None
    title: str
    organization: str
    score: float
    reasons: list[str] = field(default_factory=list)
    components: dict[str, float] = field(default_factory=dict)
    cautions: list[str] = field(default_factory=list)
    timing: str = ""


@dataclass(frozen=True, slots=True)
class NearMiss:
    """A published offer failing exactly one criterion, with what is missing."""

    offer_id: int
    external_id: str | None
    title: str
    organization: str
    missing: str
    criterion: str


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A change of answer the person could make (stage, applicant type) and what it opens."""

    criterion: str
    code: str
    offer_ids: tuple[int, ...]
    text: str


@dataclass(frozen=True, slots=True)
class MatchResult:
    """Ranked eligible offers, near misses, and the needs inferred from free text if any."""

    results: list[Recommendation]
    near_misses: list[NearMiss]
    # None when the profile gave its needs (or had nothing to infer from); otherwise the
    # codes read from the description, possibly none.
    inferred_needs: tuple[str, ...] | None = None
    # How many offers are eligible in all, however few `results` shows.
    eligible_count: int = 0
    # Other answers that would open more offers, most rewarding first.
    suggestions: list[Suggestion] = field(default_factory=list)
    # The amount sought read from the description, used because the profile gave none.
    amount_read: AmountRead | None = None
