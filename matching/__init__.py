"""Matching library: eligibility, ranking and explanation of offers for a profile.

Its names are imported from their modules on first use: the catalogue reads the word
lists of `matching.text` and `matching.lexicon`, and a command such as `passerelle
import` should not wait for scikit-learn to load because of them.
"""

from __future__ import annotations

from importlib import import_module

_MODULES = {
    "AmountRead": "matching.amounts",
    "CRITERIA": "matching.eligibility",
    "Failure": "matching.eligibility",
    "check_eligibility": "matching.eligibility",
    "is_eligible": "matching.eligibility",
    "written_amount": "matching.explain",
    "MatchIndex": "matching.index",
    "Labels": "matching.labels",
    "NeedsModel": "matching.needs",
    "load_examples": "matching.needs",
    "MatchResult": "matching.records",
    "NearMiss": "matching.records",
    "OfferRecord": "matching.records",
    "Profile": "matching.records",
    "Recommendation": "matching.records",
    "Suggestion": "matching.records",
    "WEIGHTS": "matching.scoring",
}

__all__ = sorted(_MODULES)


def __getattr__(name: str) -> object:
    if name not in _MODULES:
        raise AttributeError(f"module 'matching' has no attribute {name!r}")
    value = getattr(import_module(_MODULES[name]), name)
    globals()[name] = value  # found directly from now on
    return value
