"""Scores of many profiles over a set of offers at once, for alert digests and reminders.

`MatchIndex.match` ranks the whole catalogue for one profile. A daily digest asks the
opposite question for thousands of profiles over the offers changed since the last run,
so here eligibility and every scoring component are profile-by-offer matrices computed a
block of profiles at a time; only the few offers kept per profile are explained. The
formulas are those of `matching.scoring` (a test checks both give the same scores).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
from scipy import sparse

from matching import batch
from matching.arrays import NO_DEADLINE, CatalogueArrays
from matching.eligibility import as_amount
from matching.records import Profile
from matching.scoring import (
    MEETS_NEED_RANK,
    PRIMARY_SHARE,
    SPECIFICITY_WEIGHTS,
    TEXT_SATURATION,
    UNKNOWN_TICKET_FIT,
    URGENCY_HORIZON_DAYS,
    WEIGHTS,
    specificity_memberships,
)

# Profiles per block: bounds each dense matrix to BLOCK by offers numbers.
BLOCK = 128


@dataclass(frozen=True, slots=True)
class Prepared:
    """A profile as the scoring reads it: amount read from its text, needs, text query."""

    profile: Profile
    needs: tuple[str, ...]
    query: np.ndarray | None
    sought: str


@dataclass(frozen=True, slots=True)
class Pick:
    """One offer kept for one profile: its column among the offers scored, and components."""

    column: int
    score: float
    components: dict[str, float]


def best_picks(
    arrays: CatalogueArrays,
    cosines,
    prepared: Sequence[Prepared],
    *,
    as_of: date,
    top: int,
) -> list[list[Pick]]:
    """Per profile, the `top` best eligible offers of `arrays`, best first.

    `cosines(block)` gives the block's query-by-offer text cosines. Ties go to the lower
    offer id, as in `MatchIndex.match`.
    """
    fixed = _offer_terms(arrays, as_of.toordinal())
    picks: list[list[Pick]] = []
    for start in range(0, len(prepared), BLOCK):
        block = prepared[start : start + BLOCK]
        picks.extend(_block_picks(arrays, fixed, block, cosines(block), as_of, top))
    return picks


@dataclass(frozen=True, slots=True)
class _OfferTerms:
    """What depends on the offer only: specificity (of an eligible offer) and urgency."""

    specificity: np.ndarray
    urgency: np.ndarray


def _offer_terms(arrays: CatalogueArrays, day: int) -> _OfferTerms:
    # An eligible offer's restrictions all admit the profile, so each one counts.
    specificity = np.zeros(arrays.offer_ids.size, dtype=np.float64)
    for criterion, membership in specificity_memberships(arrays).items():
        specificity += SPECIFICITY_WEIGHTS[criterion] * membership.inverse_sqrt_count
    deadline = arrays.deadline.astype(np.int64)
    days = deadline - day
    upcoming = (deadline != NO_DEADLINE) & (days >= 0)
    urgency = np.where(upcoming, np.clip(1.0 - days / URGENCY_HORIZON_DAYS, 0.0, 1.0), 0.0)
    return _OfferTerms(specificity, urgency)


def _needs_met(arrays: CatalogueArrays, block: Sequence[Prepared]) -> np.ndarray:
    """Profile-by-offer `scoring.needs_met`: primary category sought, share of needs covered."""
    categories = arrays.categories
    profile_of, row_of, sizes = [], [], np.ones(len(block))
    for position, item in enumerate(block):
        needs = list(dict.fromkeys(item.needs))
        sizes[position] = max(len(needs), 1)
        for need in needs:
            if need in categories.rows:
                profile_of.append(position)
                row_of.append(categories.rows[need])
    wanted = sparse.csr_array(
        (np.ones(len(row_of), dtype=np.float64), (profile_of, row_of)),
        shape=(len(block), len(categories.rows)),
    )
    coverage = (wanted @ categories.matrix.astype(np.float64)).toarray() / sizes[:, np.newaxis]
    primary = arrays.primary_category
    dense = wanted.toarray()
    primary_hit = np.where(primary >= 0, dense[:, np.maximum(primary, 0)], 0.0) > 0
    return PRIMARY_SHARE * primary_hit + (1.0 - PRIMARY_SHARE) * coverage


def _funding_fit(arrays: CatalogueArrays, need: np.ndarray) -> np.ndarray:
    """Profile-by-offer `scoring.funding_fit` (NaN rows for profiles seeking no amount)."""
    need = np.maximum(need, 0.0)[:, np.newaxis]
    low, high = arrays.ticket_min[np.newaxis, :], arrays.ticket_max[np.newaxis, :]
    with np.errstate(divide="ignore", invalid="ignore"):
        fit = np.ones((need.shape[0], low.shape[1]))
        fit = np.where(~np.isnan(low) & (need < low), need / np.where(low > 0, low, 1.0), fit)
        above = ~np.isnan(high) & (need > high)
        fit = np.where(above, np.maximum(high, 0.0) / np.maximum(need, 1.0), fit)
    fit = np.where(np.isnan(low) & np.isnan(high), UNKNOWN_TICKET_FIT, fit)
    return np.clip(fit, 0.0, 1.0)


def _block_picks(arrays, fixed: _OfferTerms, block, cosine, as_of, top) -> list[list[Pick]]:
    eligible = batch.eligible_matrix(arrays, [item.profile for item in block], as_of)
    has_needs = np.asarray([bool(item.needs) for item in block])
    has_text = np.asarray([item.query is not None for item in block])
    amount = np.asarray([as_amount(item.profile.funding_need_eur) for item in block])
    components = {
        "needs": _needs_met(arrays, block),
        "specificity": np.broadcast_to(fixed.specificity, eligible.shape),
        "text": np.minimum(cosine / TEXT_SATURATION, 1.0),
        "funding": _funding_fit(arrays, amount),
        "urgency": np.broadcast_to(fixed.urgency, eligible.shape),
    }
    applicable = {
        "needs": np.broadcast_to(has_needs[:, np.newaxis], eligible.shape),
        "specificity": np.ones(eligible.shape, dtype=bool),
        "text": np.broadcast_to(has_text[:, np.newaxis], eligible.shape),
        "funding": arrays.financing[np.newaxis, :] & ~np.isnan(amount)[:, np.newaxis],
        "urgency": np.ones(eligible.shape, dtype=bool),
    }
    weighted = sum(WEIGHTS[c] * components[c] * applicable[c] for c in WEIGHTS)
    weight_sum = sum(WEIGHTS[c] * applicable[c] for c in WEIGHTS)
    total = np.round(np.clip(weighted / weight_sum, 0.0, 1.0), 3)
    meets_need = (components["needs"] > 0) | ~has_needs[:, np.newaxis]
    keys = np.where(eligible, total + MEETS_NEED_RANK * meets_need, -np.inf)
    picks = []
    for position in range(len(block)):
        columns = np.flatnonzero(eligible[position])
        if columns.size > top:
            kth = -np.partition(-keys[position, columns], top - 1)[top - 1]
            columns = columns[keys[position, columns] >= kth]
        order = np.lexsort((arrays.offer_ids[columns], -keys[position, columns]))
        picks.append(
            [
                Pick(
                    int(column),
                    float(total[position, column]),
                    {
                        name: round(float(values[position, column]), 3)
                        for name, values in components.items()
                        if applicable[name][position, column]
                    },
                )
                for column in columns[order[:top]]
            ]
        )
    return picks
