"""Every sentence the library writes, in English and French, and how values are shown."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import cache, lru_cache

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_currency

from matching.text import strip_accents

MESSAGES: dict[str, dict[str, str]] = {
    # Reasons an eligible offer is recommended.
    "reason.needs.one": {
        "en": "Matches your need: {categories}",
        "fr": "Répond à votre besoin : {categories}",
    },
    "reason.needs.many": {
        "en": "Matches your needs: {categories}",
        "fr": "Répond à vos besoins : {categories}",
    },
    "reason.country": {
        "en": "Open to projects in {country}",
        "fr": "Ouvert aux projets {in_country}",
    },
    "reason.residence": {
        "en": "Open to people living in {country}",
        "fr": "Ouvert aux personnes résidant {in_country}",
    },
    "reason.sector": {
        "en": "Dedicated to your sector: {sector}",
        "fr": "Dédié à votre secteur : {sector}",
    },
    "reason.group": {"en": "Built for {group}", "fr": "Conçu pour {group}"},
    "reason.stage": {
        "en": "Suited to your stage: {stage}",
        "fr": "Adapté à votre stade : {stage}",
    },
    "reason.applicant_type": {
        "en": "Intended for: {applicant_type}",
        "fr": "Destiné à : {applicant_type}",
    },
    "reason.text": {
        "en": "Close to your project description",
        "fr": "Proche de la description de votre projet",
    },
    "reason.funding.range": {
        "en": "Finances {low} to {high}; you seek {need}",
        "fr": "Finance de {low} à {high} ; vous cherchez {need}",
    },
    "reason.funding.from": {
        "en": "Finances from {low}; you seek {need}",
        "fr": "Finance à partir de {low} ; vous cherchez {need}",
    },
    "reason.funding.up_to": {
        "en": "Finances up to {high}; you seek {need}",
        "fr": "Finance jusqu'à {high} ; vous cherchez {need}",
    },
    "reason.deadline": {"en": "Deadline {date}", "fr": "Date limite : {date}"},
    "reason.rolling": {"en": "Rolling applications", "fr": "Candidatures au fil de l'eau"},
    # What a near miss lacks.
    "missing.target_country.one": {
        "en": "For projects in {country}",
        "fr": "Pour les projets {in_country}",
    },
    "missing.target_country.many": {
        "en": "For projects in {countries}",
        "fr": "Pour les projets dans ces pays : {countries}",
    },
    "missing.residence_country.one": {
        "en": "For people living in {country}",
        "fr": "Pour les personnes résidant {in_country}",
    },
    "missing.residence_country.many": {
        "en": "For people living in {countries}",
        "fr": "Pour les personnes résidant dans ces pays : {countries}",
    },
    "missing.sector.one": {"en": "For the sector: {items}", "fr": "Pour le secteur : {items}"},
    "missing.sector.many": {"en": "For the sectors: {items}", "fr": "Pour les secteurs : {items}"},
    "missing.stage.one": {"en": "For the stage: {items}", "fr": "Pour le stade : {items}"},
    "missing.stage.many": {"en": "For the stages: {items}", "fr": "Pour les stades : {items}"},
    "missing.applicant_type.one": {"en": "Open only to: {items}", "fr": "Réservé à : {items}"},
    "missing.applicant_type.many": {"en": "Open only to: {items}", "fr": "Réservé à : {items}"},
    "missing.target_group": {"en": "For {groups}", "fr": "Pour {groups}"},
    "missing.project_size.range": {
        "en": "From {low} to {high}; yours is {project}",
        "fr": "De {low} à {high} ; votre projet : {project}",
    },
    "missing.project_size.from": {
        "en": "From {low}; yours is {project}",
        "fr": "À partir de {low} ; votre projet : {project}",
    },
    "missing.project_size.up_to": {
        "en": "Up to {high}; yours is {project}",
        "fr": "Jusqu'à {high} ; votre projet : {project}",
    },
    "missing.window.opens": {"en": "Opens on {date}", "fr": "Ouvre le {date}"},
    "missing.window.closed": {
        "en": "Deadline passed on {date}",
        "fr": "Candidatures closes depuis le {date}",
    },
    "missing.published": {"en": "Not published", "fr": "Non publiée"},
    # Joining lists of names.
    "list.or": {"en": "{head} or {last}", "fr": "{head} ou {last}"},
    "list.others": {"en": "{count} others", "fr": "{count} autres"},
    "unknown": {"en": "not given", "fr": "non précisé"},
}

# Target groups read better as phrases than as their labels ("Built for the diaspora").
GROUP_PHRASES: dict[str, dict[str, str]] = {
    "diaspora": {"en": "the diaspora", "fr": "la diaspora"},
    "returnee": {"en": "returning migrants", "fr": "les migrants de retour"},
    "women": {"en": "women entrepreneurs", "fr": "les femmes entrepreneures"},
    "youth": {"en": "young entrepreneurs (35 and under)", "fr": "les jeunes (35 ans et moins)"},
}

MAX_LISTED = 4
_LOCALES = {"en": "en_GB", "fr": "fr_FR"}


def render(message_id: str, lang: str, **values: object) -> str:
    """The sentence `message_id` in `lang` (`en` or `fr`) with `values` filled in."""
    return MESSAGES[message_id][lang].format(**values)


def join_alternatives(items: Sequence[str], lang: str) -> str:
    """`A`, `A or B`, `A, B or C`; long lists end with "or N others"."""
    items = list(items)
    if len(items) > MAX_LISTED:
        rest = len(items) - MAX_LISTED
        items = [*items[:MAX_LISTED], render("list.others", lang, count=rest)]
    if len(items) <= 1:
        return "".join(items)
    return render("list.or", lang, head=", ".join(items[:-1]), last=items[-1])


@cache
def _currency_pattern(lang: str) -> str:
    # The locale's own currency layout, without the cents: amounts are whole euros.
    pattern = Locale.parse(_LOCALES[lang]).currency_formats["standard"].pattern
    return pattern.replace(".00", "")


@lru_cache(maxsize=8192)
def money(amount: float | int | None, lang: str) -> str:
    """A whole-euro amount as people read it: `€30,000` or `30 000 €`."""
    if amount is None:
        return render("unknown", lang)
    return format_currency(
        round(amount),
        "EUR",
        format=_currency_pattern(lang),
        locale=_LOCALES[lang],
        currency_digits=False,
    )


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
