"""The classifier's proposals in the offer form, and what accepting one of them changes.

Each proposal is a submit button (`accept=category:grant`), so the form works without
JavaScript: the page comes back with the value filled in and the proposals still shown.
"""

from __future__ import annotations

from dataclasses import dataclass

from services_catalog.classify import Classifier, Suggestion
from services_catalog.taxonomy import CATEGORIES, label

ACCEPT_ALL = "all"


@dataclass(frozen=True)
class Proposal:
    """One proposed code, its label, its confidence in percent, and whether it is taken."""

    field: str  # "kind", "category" or "sector"
    code: str
    label: str
    percent: int
    taken: bool

    @property
    def value(self) -> str:
        return f"{self.field}:{self.code}"


def suggest(classifier: Classifier, values: dict) -> Suggestion | None:
    """The classifier's reading of the title and description; None when both are empty."""
    text = f"{values.get('title', '')}\n{values.get('description', '')}".strip()
    return classifier.suggest(text) if text else None


def proposals(suggestion: Suggestion, values: dict, locale: str) -> dict[str, list[Proposal]]:
    """The proposals by field, each marked taken when the form already has it."""
    categories = {values.get("primary_category"), *values.get("categories", [])}
    sectors = set(values.get("sectors", []))

    def proposal(field: str, vocabulary: str, code: str, confidence: float, taken: bool):
        text = label(vocabulary, code, locale)
        return Proposal(field, code, text, round(confidence * 100), taken)

    kind = suggestion.kind
    return {
        "kind": [proposal("kind", "kind", kind, suggestion.kind_confidence,
                          values.get("kind") == kind)],
        "categories": [proposal("category", "category", code, confidence, code in categories)
                       for code, confidence in suggestion.categories],
        "sectors": [proposal("sector", "sector", code, confidence, code in sectors)
                    for code, confidence in suggestion.sectors],
    }  # fmt: skip


def accept(values: dict, choice: str, suggestion: Suggestion) -> dict:
    """The form values once one proposal (`field:code`) or all of them are taken."""
    values = {**values, "categories": list(values["categories"])}
    values["sectors"] = list(values["sectors"])
    if choice == ACCEPT_ALL:
        _set_kind(values, suggestion.kind)
        for code, _confidence in suggestion.categories:
            _add_category(values, code)
        for code, _confidence in suggestion.sectors:
            _add_sector(values, code)
        return values
    field, _, code = choice.partition(":")
    if field == "kind" and code == suggestion.kind:
        _set_kind(values, code)
    elif field == "category" and code in dict(suggestion.categories):
        _add_category(values, code)
    elif field == "sector" and code in dict(suggestion.sectors):
        _add_sector(values, code)
    return values


def _set_kind(values: dict, kind: str) -> None:
    values["kind"] = kind
    primary = values.get("primary_category")
    if primary and CATEGORIES[primary].kind != kind:
        values["primary_category"] = ""  # it would not fit the new kind


def _add_category(values: dict, code: str) -> None:
    """The main category when none fits yet (setting the kind if needed), else another."""
    primary = values.get("primary_category")
    kind = CATEGORIES[code].kind
    if not primary or primary not in CATEGORIES:
        if not values.get("kind"):
            values["kind"] = kind
        if values["kind"] == kind:
            values["primary_category"] = code
            values["categories"] = [c for c in values["categories"] if c != code]
            return
    if code != values.get("primary_category") and code not in values["categories"]:
        values["categories"].append(code)


def _add_sector(values: dict, code: str) -> None:
    if code not in values["sectors"]:
        values["sectors"].append(code)
