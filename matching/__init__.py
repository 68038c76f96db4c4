"""Matching library: eligibility, ranking and explanation of offers for a profile."""

from matching.amounts import AmountRead
from matching.eligibility import CRITERIA, Failure, check_eligibility, is_eligible
from matching.explain import written_amount
from matching.index import MatchIndex
from matching.labels import Labels
from matching.needs import NeedsModel, load_examples
from matching.records import (
    MatchResult,
    NearMiss,
    OfferRecord,
    Profile,
    Recommendation,
    Suggestion,
)
from matching.scoring import WEIGHTS

__all__ = [
    "CRITERIA",
    "WEIGHTS",
    "AmountRead",
    "Failure",
    "Labels",
    "MatchIndex",
    "MatchResult",
    "NearMiss",
    "NeedsModel",
    "OfferRecord",
    "Profile",
    "Recommendation",
    "Suggestion",
    "check_eligibility",
    "is_eligible",
    "load_examples",
    "written_amount",
]
