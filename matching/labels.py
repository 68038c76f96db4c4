"""The labels interface the caller injects: the library owns no vocabulary."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, runtime_checkable


@runtime_checkable
class Labels(Protocol):
    """Display names of vocabulary codes in a language (`en` or `fr`).

    Labels may also translate the library's sentences: `sentence(message, lang)` gets an
    English msgid of `matching.messages` (context `matching.messages.CONTEXT`) and returns
    it in `lang`. Labels without it leave the sentences in English.
    """

    def country(self, code: str, lang: str) -> str: ...

    def sector(self, code: str, lang: str) -> str: ...

    def category(self, code: str, lang: str) -> str: ...

    def group(self, code: str, lang: str) -> str: ...

    def stage(self, code: str, lang: str) -> str: ...

    def applicant_type(self, code: str, lang: str) -> str: ...


def safe_label(lookup: Callable[[str, str], str], code: str, lang: str) -> str:
    """Label of `code`, or the code itself when the caller's labels do not know it."""
    try:
        label = lookup(code, lang)
    except (LookupError, ValueError, TypeError):
        # An odd code must degrade an explanation, never fail a match.
        return str(code)
    return label if isinstance(label, str) and label else str(code)


def normalise_lang(lang: str | None) -> str:
    """`fr` for any French tag (`fr`, `fr-FR`, `fr_BE`), else `en`."""
    return "fr" if isinstance(lang, str) and lang.lower().startswith("fr") else "en"
