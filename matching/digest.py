"""Scores of many profiles over a set of offers at once, for alert digests and reminders.

`MatchIndex.match` ranks the whole catalogue for one profile. A daily digest asks the
opposite question for thousands of profiles over the offers changed since the last run.
Here eligibility is a profile-by-offer boolean matrix, computed a block of profiles at a
time by picking rows of dense code-by-offer tables; every scoring component is then
computed for the eligible (profile, offer) pairs only, and the best of each profile are
chosen by one sort. Only the few offers kept per profile are explained, by the caller.
The formulas are those of `matching.scoring` (a test checks both give the same scores).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from matching.arrays import NO_DEADLINE, CatalogueArrays, Membership
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

# Profiles per block: bounds each dense matrix to BLOCK by offers booleans.
BLOCK = 512


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


class _Tables:
    """Dense code-by-offer booleans of each list criterion, for picking rows by profile."""

    def __init__(self, arrays: CatalogueArrays, as_of: date) -> None:
        day = as_of.toordinal()
        self.arrays = arrays
        self.open = arrays.published & (arrays.opens <= day) & (arrays.deadline >= day)
        self.criteria = {
            "target_country": arrays.countries,
            "residence_country": arrays.residence_countries,
            "sector": arrays.sectors,
            "stage": arrays.stages,
            "applicant_type": arrays.applicant_types,
        }
        self.dense = {name: _dense(m) for name, m in self.criteria.items()}
        self.groups = _dense(arrays.target_groups)
        self.categories = _dense(arrays.categories).astype(np.float64)
        # An eligible offer's restrictions all admit the profile, so each one counts.
        self.specificity = np.zeros(arrays.offer_ids.size, dtype=np.float64)
        for criterion, membership in specificity_memberships(arrays).items():
            self.specificity += SPECIFICITY_WEIGHTS[criterion] * membership.inverse_sqrt_count
        deadline = arrays.deadline.astype(np.int64)
        days = deadline - day
        upcoming = (deadline != NO_DEADLINE) & (days >= 0)
        self.urgency = np.where(upcoming, np.clip(1.0 - days / URGENCY_HORIZON_DAYS, 0.0, 1.0), 0.0)

    def eligible(self, profiles: Sequence[Profile]) -> np.ndarray:
        """Profile-by-offer booleans, as `batch.eligible_matrix` computes them."""
        shape = (len(profiles), self.arrays.offer_ids.size)
        eligible = np.broadcast_to(self.open, shape).copy()
        for name, membership in self.criteria.items():
            codes = [getattr(p, name) for p in profiles]
            eligible &= _picked(self.dense[name], membership, [[c] for c in codes])
        eligible &= _picked(self.groups, self.arrays.target_groups, [p.groups for p in profiles])
        project = np.asarray([as_amount(p.project_eur) for p in profiles])[:, np.newaxis]
        low, high = self.arrays.min_project, self.arrays.max_project
        unbounded = (low == -np.inf) & (high == np.inf)
        inside = (low <= project) & (project <= high)
        eligible &= np.where(np.isnan(project), unbounded, inside)
        return eligible


def _dense(membership: Membership) -> np.ndarray:
    """Code-by-offer booleans, plus a last row of False for codes no offer names."""
    table = np.zeros((len(membership.rows) + 1, membership.size), dtype=bool)
    table[:-1] = membership.matrix.toarray()
    return table


def _picked(table: np.ndarray, membership: Membership, wanted: Sequence) -> np.ndarray:
    """Profile-by-offer: the offer is unrestricted or lists one of the profile's codes."""
    missing = table.shape[0] - 1
    most = max((len(codes or ()) for codes in wanted), default=0)
    found = np.zeros((len(wanted), table.shape[1]), dtype=bool)
    for k in range(most):
        rows = [
            membership.rows.get(codes[k], missing)
            if k < len(codes or ()) and isinstance(codes[k], str)
            else missing
            for codes in wanted
        ]
        found |= table[rows]
    return found | membership.unrestricted[np.newaxis, :]


def best_picks(
    arrays: CatalogueArrays,
    cosines: Callable[[np.ndarray, list], np.ndarray],
    prepared: Sequence[Prepared],
    *,
    as_of: date,
    top: int,
) -> list[list[Pick]]:
    """Per profile, the `top` best eligible offers of `arrays`, best first.

    `cosines(columns, queries)` gives the text cosine of each (query, column) pair. Ties
    go to the lower offer id, as in `MatchIndex.match`.
    """
    tables = _Tables(arrays, as_of)
    picks: list[list[Pick]] = []
    for start in range(0, len(prepared), BLOCK):
        block = prepared[start : start + BLOCK]
        picks.extend(_block_picks(tables, block, cosines, top))
    return picks


def _block_picks(tables: _Tables, block: Sequence[Prepared], cosines, top: int):
    arrays = tables.arrays
    who, column = np.nonzero(tables.eligible([item.profile for item in block]))
    components, applicable = _pair_components(tables, block, who, column, cosines)
    weighted = sum(WEIGHTS[c] * components[c] * applicable[c] for c in WEIGHTS)
    weight_sum = sum(WEIGHTS[c] * applicable[c] for c in WEIGHTS)
    total = np.round(np.clip(weighted / weight_sum, 0.0, 1.0), 3)
    has_needs = applicable["needs"]
    meets_need = (components["needs"] > 0) | ~has_needs
    key = total + MEETS_NEED_RANK * meets_need
    # By profile, then best key, then lowest offer id; the first `top` of each profile.
    order = np.lexsort((arrays.offer_ids[column], -key, who))
    who, column = who[order], column[order]
    starts = np.searchsorted(who, np.arange(len(block)))
    rank = np.arange(who.size) - starts[who]
    kept = np.flatnonzero(rank < top)
    picks: list[list[Pick]] = [[] for _ in block]
    for i in kept:
        pair = order[i]
        parts = {
            name: round(float(values[pair]), 3)
            for name, values in components.items()
            if applicable[name][pair]
        }
        picks[who[i]].append(Pick(int(column[i]), float(total[pair]), parts))
    return picks


def _pair_components(tables: _Tables, block, who, column, cosines):
    """Each scoring component and where it applies, for the (who, column) pairs."""
    arrays = tables.arrays
    categories = arrays.categories
    wanted = np.zeros((len(block), len(categories.rows) + 1))
    sizes = np.ones(len(block))
    for position, item in enumerate(block):
        needs = list(dict.fromkeys(item.needs))
        sizes[position] = max(len(needs), 1)
        for need in needs:
            if need in categories.rows:
                wanted[position, categories.rows[need]] = 1.0
    has_needs = np.asarray([bool(item.needs) for item in block])
    covered = np.einsum("ij,ij->i", wanted[who, :-1], tables.categories[:-1, column].T)
    primary = arrays.primary_category[column]
    primary_hit = wanted[who, np.where(primary >= 0, primary, wanted.shape[1] - 1)] > 0
    needs = PRIMARY_SHARE * primary_hit + (1.0 - PRIMARY_SHARE) * covered / sizes[who]

    amount = np.asarray([as_amount(item.profile.funding_need_eur) for item in block])[who]
    queries = [item.query for item in block]
    has_text = np.asarray([q is not None for q in queries])
    cosine = np.zeros(who.size)
    with_text = np.flatnonzero(has_text[who])
    if with_text.size:
        cosine[with_text] = cosines(column[with_text], [queries[w] for w in who[with_text]])
    components = {
        "needs": needs,
        "specificity": tables.specificity[column],
        "text": np.minimum(cosine / TEXT_SATURATION, 1.0),
        "funding": _funding_fit(arrays, column, amount),
        "urgency": tables.urgency[column],
    }
    everywhere = np.ones(who.size, dtype=bool)
    applicable = {
        "needs": has_needs[who],
        "specificity": everywhere,
        "text": has_text[who],
        "funding": arrays.financing[column] & ~np.isnan(amount),
        "urgency": everywhere,
    }
    return components, applicable


def _funding_fit(arrays: CatalogueArrays, column: np.ndarray, need: np.ndarray) -> np.ndarray:
    """`scoring.funding_fit` for each pair (its value is unused where no amount is sought)."""
    need = np.maximum(need, 0.0)
    low, high = arrays.ticket_min[column], arrays.ticket_max[column]
    with np.errstate(divide="ignore", invalid="ignore"):
        fit = np.ones(column.size)
        fit = np.where(~np.isnan(low) & (need < low), need / np.where(low > 0, low, 1.0), fit)
        above = ~np.isnan(high) & (need > high)
        fit = np.where(above, np.maximum(high, 0.0) / np.maximum(need, 1.0), fit)
    fit = np.where(np.isnan(low) & np.isnan(high), UNKNOWN_TICKET_FIT, fit)
    return np.clip(fit, 0.0, 1.0)
