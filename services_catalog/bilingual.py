"""An offer's short title and summary in the reader's language, and what stands in for them.

Each offer may carry `title_fr`, `title_en`, `summary_fr` and `summary_en`. When the
reader's language has none, the contract's default applies first (in the offer's own
language `lang`, the title and the start of the description), then the other language's,
then, whatever the language, the title and the start of the description. Every text
comes with the language it is written in, for the pages' `lang` attributes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

LANGUAGES = ("fr", "en")
BILINGUAL_FIELDS = ("title_fr", "title_en", "summary_fr", "summary_en")
EXCERPT_LENGTH = 220  # characters of the description standing in for a summary


class Bilingual(Protocol):
    """What an offer row, a listed offer or an exchange record all have."""

    title: str
    description: str
    lang: str
    title_fr: str | None
    title_en: str | None
    summary_fr: str | None
    summary_en: str | None


@dataclass(frozen=True)
class InLanguage:
    """A text and the language it is written in."""

    text: str
    lang: str


def other_language(lang: str) -> str:
    return "en" if lang == "fr" else "fr"


def excerpt(text: str, length: int = EXCERPT_LENGTH) -> str:
    """The start of a text on one line, cut at a word."""
    text = " ".join(text.split())
    if len(text) <= length:
        return text
    return text[:length].rsplit(" ", 1)[0].rstrip(",.;:") + "…"


def _pick(offer: Bilingual, field: str, locale: str, default: str) -> InLanguage:
    """`field`_<locale>, else the default if the offer is written in `locale`, else the
    other language's, else the default."""
    for lang in (locale, other_language(locale)):
        own = getattr(offer, f"{field}_{lang}", None)
        if own:
            return InLanguage(own, lang)
        if lang == offer.lang:
            return InLanguage(default, lang)
    return InLanguage(default, offer.lang)


def title_in(offer: Bilingual, locale: str) -> InLanguage:
    """The offer's title for a reader of `locale`."""
    return _pick(offer, "title", locale, offer.title)


def summary_in(offer: Bilingual, locale: str) -> InLanguage:
    """The offer's short summary for a reader of `locale`."""
    return _pick(offer, "summary", locale, excerpt(offer.description))


def missing_summaries(record: Mapping[str, Any]) -> list[str]:
    """The languages (of LANGUAGES) in which an exchange-format record has no summary."""
    return [lang for lang in LANGUAGES if not record.get(f"summary_{lang}")]
