"""Matching library: eligibility, ranking and explanation of offers for a profile."""

from matching.eligibility import CRITERIA, Failure, check_eligibility, is_eligible
from matching.index import MatchIndex
from matching.labels import Labels
from matching.needs import NeedsModel, load_examples
from matching.records import MatchResult, NearMiss, OfferRecord, Profile, Recommendation
from matching.scoring import WEIGHTS

__all__ = [
    "CRITERIA",
    "WEIGHTS",
    "Failure",
    "Labels",
    "MatchIndex",
    "MatchResult",
    "NearMiss",
    "NeedsModel",
    "OfferRecord",
    "Profile",
    "Recommendation",
    "check_eligibility",
    "is_eligible",
    "load_examples",
]
