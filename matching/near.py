"""Near misses worth showing, in the order that helps, and the answers worth changing.

An offer failing one criterion is a near miss. What the person can change comes first
(their stage, applicant type or project size, or a window about to open), then what they
might (their group, their sector), then what they cannot (another country). A window
that closed long ago is not shown at all.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from matching.arrays import CatalogueArrays
from matching.eligibility import (
    APPLICANT_TYPE,
    CRITERIA,
    PROJECT_SIZE,
    RESIDENCE_COUNTRY,
    SECTOR,
    STAGE,
    TARGET_COUNTRY,
    TARGET_GROUP,
    WINDOW,
)
from matching.labels import safe_label
from matching.messages import (
    APPLICANT_AS,
    OFFERS_MANY,
    OFFERS_MEETING,
    OFFERS_ONE,
    SUGGEST_APPLICANT_TYPE,
    SUGGEST_STAGE,
    SUGGEST_STAGE_STARTED,
    Voice,
)
from matching.records import OfferRecord, Profile, Suggestion

# Lower is shown first.
CHANGEABLE, PERHAPS, FIXED = 0, 1, 2
TIERS: dict[str, int] = {
    STAGE: CHANGEABLE,
    APPLICANT_TYPE: CHANGEABLE,
    PROJECT_SIZE: CHANGEABLE,
    TARGET_GROUP: PERHAPS,
    SECTOR: PERHAPS,
    TARGET_COUNTRY: FIXED,
    RESIDENCE_COUNTRY: FIXED,
    WINDOW: FIXED,
}
# A window opening within this many days is worth waiting for.
OPENS_SOON_DAYS = 120
# A window closed longer ago than this is a programme of the past.
STALE_DAYS = 365
# Added per tier to a near miss's rank key (itself below 4): tiers never mix.
TIER_RANK = 4.0
# A suggestion opening no offer that meets a need must open at least this many to be made.
MIN_SUGGESTED = 3
# Criteria a person may answer differently, with the offer field listing what each admits.
SUGGESTED: dict[str, str] = {APPLICANT_TYPE: "applicant_types", STAGE: "stages"}


@dataclass(frozen=True, slots=True)
class NearRows:
    """Near misses worth showing: their rows, the criterion each fails, and its tier."""

    rows: np.ndarray
    criteria: np.ndarray  # index into CRITERIA
    tiers: np.ndarray

    def rank_key(self, key: np.ndarray) -> np.ndarray:
        """`key` (need met, then score) under the tiers: changeable misses first."""
        return key + TIER_RANK * (FIXED - self.tiers)


def near_rows(
    arrays: CatalogueArrays, failures: Mapping[str, np.ndarray], rows: np.ndarray, as_of: date
) -> NearRows:
    """The offers at `rows` (each failing one criterion) that are worth showing."""
    criteria = np.zeros(rows.size, dtype=np.int64)
    tiers = np.full(rows.size, FIXED, dtype=np.int64)
    for position, criterion in enumerate(CRITERIA):
        failed = failures[criterion][rows]
        criteria[failed] = position
        tiers[failed] = TIERS.get(criterion, FIXED)
    day = as_of.toordinal()
    is_window = criteria == CRITERIA.index(WINDOW)
    opens_soon = (arrays.opens[rows] > day) & (arrays.opens[rows] - day <= OPENS_SOON_DAYS)
    tiers[is_window & opens_soon] = CHANGEABLE
    stale = is_window & (arrays.deadline[rows].astype(np.int64) < day - STALE_DAYS)
    keep = ~stale
    return NearRows(rows[keep], criteria[keep], tiers[keep])


def _offers_phrase(count: int, meeting: int, needs_known: bool, voice: Voice) -> str:
    offers = voice.say(OFFERS_ONE) if count == 1 else voice.say(OFFERS_MANY, count=count)
    if needs_known and 0 < meeting < count:
        return voice.say(OFFERS_MEETING, offers=offers, meeting=meeting)
    return offers


def _sentence(criterion: str, code: str, profile: Profile, offers: str, voice: Voice) -> str:
    labels, lang = voice.labels, voice.lang
    if criterion == APPLICANT_TYPE:
        phrase = APPLICANT_AS.get(code)
        as_type = voice.say(phrase) if phrase else safe_label(labels.applicant_type, code, lang)
        return voice.say(SUGGEST_APPLICANT_TYPE, as_type=as_type, offers=offers)
    current = safe_label(labels.stage, profile.stage, lang)
    stage = safe_label(labels.stage, code, lang)
    started = (profile.stage, code) == ("idea", "startup")
    message = SUGGEST_STAGE_STARTED if started else SUGGEST_STAGE
    return voice.say(message, stage=stage, current=current, offers=offers)


def suggestions(
    offers: Sequence[OfferRecord],
    near: NearRows,
    meets_need: np.ndarray,
    profile: Profile,
    *,
    needs_known: bool,
    voice: Voice,
) -> list[Suggestion]:
    """Per changeable answer, the other value opening the most offers (meeting needs first)."""
    found = []
    for criterion, field in SUGGESTED.items():
        positions = np.flatnonzero(near.criteria == CRITERIA.index(criterion))
        by_code: dict[str, list[int]] = {}
        meeting: Counter[str] = Counter()
        for position in positions.tolist():
            offer = offers[near.rows[position]]
            for code in getattr(offer, field):
                by_code.setdefault(code, []).append(offer.offer_id)
                meeting[code] += bool(meets_need[position])
        if not by_code:
            continue
        code = max(by_code, key=lambda c: (meeting[c], len(by_code[c]), c))
        ids = tuple(by_code[code])
        if needs_known and not meeting[code] and len(ids) < MIN_SUGGESTED:
            continue
        phrase = _offers_phrase(len(ids), meeting[code], needs_known, voice)
        text = _sentence(criterion, code, profile, phrase, voice)
        found.append(((meeting[code], len(ids)), Suggestion(criterion, code, ids, text)))
    return [suggestion for _, suggestion in sorted(found, key=lambda f: f[0], reverse=True)]
