"""Every sentence the library writes, as msgids its caller translates, and how values are shown."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache, lru_cache

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_currency, format_decimal

from matching.labels import Labels
from matching.words import strip_accents

# Every sentence is an English msgid marked for Babel's extraction (`pgettext`, a default
# keyword), under one context so that page strings alike in English may read otherwise in
# French. The caller's labels translate them (`Labels.sentence`); the catalogue is theirs.
CONTEXT = "matching"


def pgettext(context: str, message: str) -> str:
    """Mark a sentence for extraction; the caller's labels translate it where it is said."""
    return message


# Reasons an eligible offer is recommended.
REASON_NEEDS_ONE = pgettext("matching", "Matches your need: %(categories)s")
REASON_NEEDS_MANY = pgettext("matching", "Matches your needs: %(categories)s")
REASON_COUNTRY = pgettext("matching", "Open to projects %(in_country)s")
REASON_RESIDENCE = pgettext("matching", "Open to people living %(in_country)s")
REASON_SECTOR = pgettext("matching", "Dedicated to your sector: %(sector)s")
REASON_GROUP = pgettext("matching", "Built for %(group)s")
REASON_STAGE = pgettext("matching", "Suited to your stage: %(stage)s")
REASON_APPLICANT_TYPE = pgettext("matching", "Intended for: %(applicant_type)s")
REASON_TEXT = pgettext("matching", "Close to your project description")
REASON_FUNDING = {
    "range": pgettext("matching", "Finances %(low)s to %(high)s; you seek %(need)s"),
    "from": pgettext("matching", "Finances from %(low)s; you seek %(need)s"),
    "up_to": pgettext("matching", "Finances up to %(high)s; you seek %(need)s"),
}
# What to check before applying: shown apart from the reasons.
CAUTION_NEEDS = pgettext("matching", "Does not offer what you asked for (%(categories)s)")
# When to apply: information, neither a reason nor a caution.
TIMING_DEADLINE = pgettext("matching", "Deadline %(date)s")
TIMING_ROLLING = pgettext("matching", "Rolling applications")
# What a near miss lacks, by criterion and by one or many codes.
MISSING_COUNTRY = {
    ("target_country", "one"): pgettext("matching", "For projects %(in_country)s"),
    ("target_country", "many"): pgettext("matching", "For projects in %(countries)s"),
    ("residence_country", "one"): pgettext("matching", "For people living %(in_country)s"),
    ("residence_country", "many"): pgettext("matching", "For people living in %(countries)s"),
}
MISSING_CODES = {
    ("sector", "one"): pgettext("matching", "For the sector: %(items)s"),
    ("sector", "many"): pgettext("matching", "For the sectors: %(items)s"),
    ("stage", "one"): pgettext("matching", "For the stage: %(items)s"),
    ("stage", "many"): pgettext("matching", "For the stages: %(items)s"),
    ("applicant_type", "one"): pgettext("matching", "Open only to: %(items)s"),
    ("applicant_type", "many"): pgettext("matching", "Open only to: %(items)s"),
}
MISSING_GROUP = pgettext("matching", "For %(groups)s")
MISSING_PROJECT_SIZE = {
    "range": pgettext("matching", "From %(low)s to %(high)s; yours is %(project)s"),
    "from": pgettext("matching", "From %(low)s; yours is %(project)s"),
    "up_to": pgettext("matching", "Up to %(high)s; yours is %(project)s"),
}
MISSING_OPENS = pgettext("matching", "Opens on %(date)s")
MISSING_CLOSED = pgettext("matching", "Deadline passed on %(date)s")
MISSING_PUBLISHED = pgettext("matching", "Not published")
# What the person could change to qualify for more offers.
SUGGEST_APPLICANT_TYPE = pgettext("matching", "%(as_type)s, you would also qualify for %(offers)s.")
SUGGEST_STAGE = pgettext(
    "matching",
    "If your project is at the “%(stage)s” stage rather than “%(current)s”, "
    "you would also qualify for %(offers)s.",
)
SUGGEST_STAGE_STARTED = pgettext(
    "matching",
    "Already setting up your business? Then “%(stage)s” may be the stage you meant "
    "rather than “%(current)s”: you would also qualify for %(offers)s.",
)
OFFERS_ONE = pgettext("matching", "1 more offer")
OFFERS_MANY = pgettext("matching", "%(count)s more offers")
OFFERS_MEETING = pgettext("matching", "%(offers)s (%(meeting)s meeting your needs)")
# An amount read in another currency, with its value in euros.
MONEY_CONVERTED = pgettext("matching", "%(written)s, about %(eur)s")
# Joining lists of names.
LIST_OR = pgettext("matching", "%(head)s or %(last)s")
LIST_OTHERS = pgettext("matching", "%(count)s others")
UNKNOWN = pgettext("matching", "not given")

# Target groups read better as phrases than as their labels ("Built for the diaspora").
GROUP_PHRASES: dict[str, str] = {
    "diaspora": pgettext("matching", "the diaspora"),
    "returnee": pgettext("matching", "returning migrants"),
    "women": pgettext("matching", "women entrepreneurs"),
    "youth": pgettext("matching", "young entrepreneurs (35 and under)"),
}

# Applicant types as the start of a sentence ("As a registered company, …").
APPLICANT_AS: dict[str, str] = {
    "individual": pgettext("matching", "As an individual project holder"),
    "company": pgettext("matching", "As a registered company"),
    "association": pgettext("matching", "As an association"),
}


@dataclass(frozen=True, slots=True)
class Voice:
    """The reader's language (`en` or `fr`) and the caller's labels, which translate the
    library's sentences; labels without `sentence` leave them in English."""

    lang: str
    labels: Labels | None = None

    def say(self, message: str, **values: object) -> str:
        """`message` in the reader's language with `values` filled in."""
        translate = getattr(self.labels, "sentence", None)
        text = message
        if translate is not None:
            try:
                text = translate(message, self.lang) or message
            except (LookupError, ValueError, TypeError):
                # A failing catalogue must degrade an explanation, never fail a match.
                text = message
        return text % values


MAX_LISTED = 4
_LOCALES = {"en": "en_GB", "fr": "fr_FR"}


def join_alternatives(items: Sequence[str], voice: Voice) -> str:
    """`A`, `A or B`, `A, B or C`; long lists end with "or N others"."""
    items = list(items)
    if len(items) > MAX_LISTED:
        rest = len(items) - MAX_LISTED
        items = [*items[:MAX_LISTED], voice.say(LIST_OTHERS, count=rest)]
    if len(items) <= 1:
        return "".join(items)
    return voice.say(LIST_OR, head=", ".join(items[:-1]), last=items[-1])


@cache
def _currency_pattern(lang: str) -> str:
    # The locale's own currency layout, without the cents: amounts are whole euros.
    pattern = Locale.parse(_LOCALES[lang]).currency_formats["standard"].pattern
    return pattern.replace(".00", "")


def money(amount: float | int | None, voice: Voice) -> str:
    """A whole-euro amount as people read it: `€30,000` or `30 000 €`."""
    if amount is None:
        return voice.say(UNKNOWN)
    return _euros(round(amount), voice.lang)


@lru_cache(maxsize=8192)
def _euros(amount: int, lang: str) -> str:
    return format_currency(
        amount,
        "EUR",
        format=_currency_pattern(lang),
        locale=_LOCALES[lang],
        currency_digits=False,
    )


def money_as_written(quantity: Decimal, currency: str, eur: int, voice: Voice) -> str:
    """An amount in its own currency, then in euros: `5 000 000 FCFA, soit environ 7 622 €`."""
    written = f"{format_decimal(quantity, locale=_LOCALES[voice.lang])} {currency}"
    return voice.say(MONEY_CONVERTED, written=written, eur=money(eur, voice))


@lru_cache(maxsize=8192)
def long_date(day: date, lang: str) -> str:
    """A date in long form: `15 January 2027` or `15 janvier 2027`."""
    return format_date(day, format="long", locale=_LOCALES[lang])


# French "in <country>" depends on the name's gender and number; these names escape
# the spelling rules below (masculine despite a final -e, or taking "à").
_FR_MASCULINE_E = frozenset(
    {"royaume", "mexique", "cambodge", "mozambique", "zimbabwe", "belize", "suriname"}
)
_FR_FEMININE_OTHER = frozenset({"sierra"})
_FR_SINGULAR_S = frozenset({"laos", "honduras", "belarus", "salvador"})
_FR_WITH_A = frozenset(
    {
        "madagascar",
        "maurice",
        "djibouti",
        "cuba",
        "singapour",
        "malte",
        "chypre",
        "monaco",
        "sao tome-et-principe",
        "haiti",
        "sainte-lucie",
        "la reunion",
    }
)


def in_country(name: str, lang: str) -> str:
    """`name` with the preposition for "in": `in Senegal`, `au Sénégal`, `en Côte d'Ivoire`.

    The preposition is part of the value, since French chooses it by the country's name.
    """
    return french_in(name) if lang == "fr" else f"in {name}"


def french_in(name: str) -> str:
    """`name` with the French preposition for "in": au Sénégal, en Côte d'Ivoire, aux Comores."""
    plain = strip_accents(name).strip()
    first = plain.split(" ")[0].split("-")[0] if plain else ""
    if plain in _FR_WITH_A:
        return f"à {name}"
    if first.endswith("s") and first not in _FR_SINGULAR_S:
        return f"aux {name}"
    if first and first[0] in "aeiou":
        return f"en {name}"
    feminine = first.endswith("e") and first not in _FR_MASCULINE_E
    return f"en {name}" if feminine or first in _FR_FEMININE_OTHER else f"au {name}"
