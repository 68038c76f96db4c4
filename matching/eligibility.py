"""Eligibility of one offer for one profile (contract section 3), criterion by criterion.

This per-offer form is the readable definition; `MatchIndex` computes the same thing
for a whole catalogue at once and uses this module to describe the failures it reports.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from matching.records import OfferRecord, Profile

TARGET_COUNTRY = "target_country"
RESIDENCE_COUNTRY = "residence_country"
SECTOR = "sector"
STAGE = "stage"
APPLICANT_TYPE = "applicant_type"
TARGET_GROUP = "target_group"
PROJECT_SIZE = "project_size"
PUBLISHED = "published"
WINDOW = "window"

CRITERIA: tuple[str, ...] = (
    TARGET_COUNTRY,
    RESIDENCE_COUNTRY,
    SECTOR,
    STAGE,
    APPLICANT_TYPE,
    TARGET_GROUP,
    PROJECT_SIZE,
    PUBLISHED,
    WINDOW,
)

# Code criteria: (criterion, offer field holding the admitted codes).
CODE_CRITERIA: tuple[tuple[str, str], ...] = (
    (TARGET_COUNTRY, "countries"),
    (RESIDENCE_COUNTRY, "residence_countries"),
    (SECTOR, "sectors"),
    (STAGE, "stages"),
    (APPLICANT_TYPE, "applicant_types"),
)


@dataclass(frozen=True, slots=True)
class Failure:
    """A criterion the profile fails and what the offer requires for it."""

    criterion: str
    codes: tuple[str, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    opens: date | None = None
    deadline: date | None = None


def profile_value(profile: Profile, criterion: str) -> str:
    """The profile's code for a single-code criterion (`sector` → `profile.sector`)."""
    return getattr(profile, criterion)


def as_amount(value: object) -> float:
    """`value` as a float, NaN when it is not a number (such a size fails any bound)."""
    if isinstance(value, bool):
        return float("nan")
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("nan")


def _admits(codes: Iterable[str], value: object) -> bool:
    codes = tuple(codes)
    return not codes or value in codes


def _size_ok(offer: OfferRecord, project_eur: object) -> bool:
    low, high = offer.min_project_eur, offer.max_project_eur
    if low is None and high is None:
        return True
    project = as_amount(project_eur)
    return (low is None or project >= low) and (high is None or project <= high)


def _window_ok(offer: OfferRecord, as_of: date) -> bool:
    opened = offer.opens is None or offer.opens <= as_of
    not_closed = offer.deadline is None or offer.deadline >= as_of
    return opened and not_closed


def check_eligibility(offer: OfferRecord, profile: Profile, as_of: date) -> tuple[Failure, ...]:
    """Every criterion `profile` fails for `offer` on `as_of`; empty when eligible."""
    failures = [
        Failure(criterion, codes=tuple(getattr(offer, field)))
        for criterion, field in CODE_CRITERIA
        if not _admits(getattr(offer, field), profile_value(profile, criterion))
    ]
    if offer.target_groups and not set(offer.target_groups) & set(profile.groups or ()):
        failures.append(Failure(TARGET_GROUP, codes=tuple(offer.target_groups)))
    if not _size_ok(offer, profile.project_eur):
        failures.append(
            Failure(PROJECT_SIZE, minimum=offer.min_project_eur, maximum=offer.max_project_eur)
        )
    if not offer.published:
        failures.append(Failure(PUBLISHED))
    if not _window_ok(offer, as_of):
        failures.append(Failure(WINDOW, opens=offer.opens, deadline=offer.deadline))
    return tuple(failures)


def is_eligible(offer: OfferRecord, profile: Profile, as_of: date) -> bool:
    """True when `offer` admits `profile` on `as_of` under every criterion."""
    return not check_eligibility(offer, profile, as_of)
