"""How eligible offers are ranked: explained components in [0, 1] and their weights.

score = Σ WEIGHTS[c] · component_c / Σ WEIGHTS[c], both sums over the components that
apply to the offer (needs only if needs are known, text only if there is a description,
funding only for a financing offer when the amount sought is given).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from matching.arrays import NO_DEADLINE, CatalogueArrays, Membership
from matching.eligibility import (
    APPLICANT_TYPE,
    RESIDENCE_COUNTRY,
    SECTOR,
    STAGE,
    TARGET_COUNTRY,
    TARGET_GROUP,
    as_amount,
)

# The one place the ranking is tuned.
WEIGHTS: dict[str, float] = {
    "needs": 0.45,  # offer's categories vs the kinds of support sought
    "specificity": 0.20,  # built for this country / sector / group rather than for all
    "text": 0.20,  # TF-IDF cosine between the description and the offer
    "funding": 0.10,  # ticket range vs the amount sought (financing offers)
    "urgency": 0.05,  # a close deadline raises an offer slightly
}
# Added to the total (in [0, 1]) of an offer meeting a need: it then ranks above every
# offer meeting none, however well those score otherwise.
MEETS_NEED_RANK = 2.0
# Within needs: share earned when the offer's primary category is sought; the rest
# is the fraction of the sought needs the offer's categories cover.
PRIMARY_SHARE = 0.6
# Within specificity: how much each restriction that admits the profile counts. An offer
# restricted to n codes earns weight / sqrt(n), so "Senegal only" beats "all of Africa".
SPECIFICITY_WEIGHTS: dict[str, float] = {
    TARGET_COUNTRY: 0.30,
    TARGET_GROUP: 0.25,
    SECTOR: 0.25,
    RESIDENCE_COUNTRY: 0.10,
    STAGE: 0.05,
    APPLICANT_TYPE: 0.05,
}
# Cosines between a short description and an offer rarely pass 0.5; that counts as full.
TEXT_SATURATION = 0.5
# A financing offer with no ticket bounds neither fits nor misfits the amount sought.
UNKNOWN_TICKET_FIT = 0.5
# Urgency grows linearly over the last weeks before a deadline.
URGENCY_HORIZON_DAYS = 60


@dataclass(frozen=True, slots=True)
class Scores:
    """Component values, their applicability and the total score of candidate offers."""

    rows: np.ndarray
    components: dict[str, np.ndarray]
    applicable: dict[str, np.ndarray]
    total: np.ndarray
    # True where the offer meets at least one need, or everywhere when none is known.
    meets_need: np.ndarray

    @property
    def rank_key(self) -> np.ndarray:
        """What orders offers: any need met first, then the total score."""
        return self.total + MEETS_NEED_RANK * self.meets_need

    def components_at(self, position: int) -> dict[str, float]:
        """Applicable components of the candidate at `position`, rounded to 3 decimals."""
        return {
            name: round(float(values[position]), 3)
            for name, values in self.components.items()
            if self.applicable[name][position]
        }


def specificity_memberships(arrays: CatalogueArrays) -> dict[str, Membership]:
    """The membership matrix behind each criterion that counts for specificity."""
    return {
        TARGET_COUNTRY: arrays.countries,
        TARGET_GROUP: arrays.target_groups,
        SECTOR: arrays.sectors,
        RESIDENCE_COUNTRY: arrays.residence_countries,
        STAGE: arrays.stages,
        APPLICANT_TYPE: arrays.applicant_types,
    }


def needs_met(arrays: CatalogueArrays, rows: np.ndarray, needs: Sequence[str]) -> np.ndarray:
    """Primary category sought (counts most) plus the share of needs covered."""
    needs = list(dict.fromkeys(needs))
    if not needs:
        return np.zeros(rows.size, dtype=np.float64)
    need_rows = [arrays.categories.rows[n] for n in needs if n in arrays.categories.rows]
    primary_hit = np.isin(arrays.primary_category[rows], need_rows)
    covered = np.zeros(rows.size, dtype=np.float64)
    for need in needs:
        covered += arrays.categories.listed([need])[rows]
    coverage = covered / len(needs)
    return PRIMARY_SHARE * primary_hit + (1.0 - PRIMARY_SHARE) * coverage


def specificity(
    arrays: CatalogueArrays, rows: np.ndarray, failures: Mapping[str, np.ndarray]
) -> np.ndarray:
    """Weighted restrictions that admit the profile, narrower ones earning more."""
    total = np.zeros(rows.size, dtype=np.float64)
    for criterion, membership in specificity_memberships(arrays).items():
        admitted = ~failures[criterion][rows]
        total += SPECIFICITY_WEIGHTS[criterion] * membership.inverse_sqrt_count[rows] * admitted
    return total


def funding_fit(arrays: CatalogueArrays, rows: np.ndarray, need: float) -> np.ndarray:
    """1 when the amount sought is within the ticket range, shrinking with the gap."""
    if np.isnan(need):
        return np.zeros(rows.size, dtype=np.float64)
    need = max(need, 0.0)
    low, high = arrays.ticket_min[rows], arrays.ticket_max[rows]
    fit = np.ones(rows.size, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        below = ~np.isnan(low) & (need < low)
        fit = np.where(below, need / np.where(low > 0, low, 1.0), fit)
        above = ~np.isnan(high) & (need > high)
        fit = np.where(above, np.maximum(high, 0.0) / max(need, 1.0), fit)
    fit = np.where(np.isnan(low) & np.isnan(high), UNKNOWN_TICKET_FIT, fit)
    return np.clip(fit, 0.0, 1.0)


def urgency(arrays: CatalogueArrays, rows: np.ndarray, as_of: date) -> np.ndarray:
    """0 for rolling offers or far deadlines, rising to 1 on the deadline day."""
    deadline = arrays.deadline[rows].astype(np.int64)
    days = deadline - as_of.toordinal()
    value = 1.0 - days / URGENCY_HORIZON_DAYS
    upcoming = (deadline != NO_DEADLINE) & (days >= 0)
    return np.where(upcoming, np.clip(value, 0.0, 1.0), 0.0)


def score(
    arrays: CatalogueArrays,
    rows: np.ndarray,
    *,
    needs: Sequence[str],
    funding_need: int | None,
    as_of: date,
    failures: Mapping[str, np.ndarray],
    cosine: np.ndarray | None,
) -> Scores:
    """Components and total score of the offers at `rows` (positions in the index)."""
    everywhere = np.ones(rows.size, dtype=bool)
    amount_sought = as_amount(funding_need)
    components = {
        "needs": needs_met(arrays, rows, needs),
        "specificity": specificity(arrays, rows, failures),
        "text": np.zeros(rows.size) if cosine is None else np.minimum(cosine / TEXT_SATURATION, 1),
        "funding": funding_fit(arrays, rows, amount_sought),
        "urgency": urgency(arrays, rows, as_of),
    }
    applicable = {
        "needs": everywhere & bool(needs),
        "specificity": everywhere,
        "text": everywhere & (cosine is not None),
        "funding": arrays.financing[rows] & (not np.isnan(amount_sought)),
        "urgency": everywhere,
    }
    weighted = sum(WEIGHTS[c] * components[c] * applicable[c] for c in WEIGHTS)
    weight_sum = sum(WEIGHTS[c] * applicable[c] for c in WEIGHTS)
    total = np.round(np.clip(weighted / weight_sum, 0.0, 1.0), 3)
    meets_need = components["needs"] > 0 if needs else everywhere
    return Scores(rows, components, applicable, total, meets_need)
