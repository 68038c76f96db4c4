"""Every sentence the library writes, in English and French, and how values are shown."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from functools import cache, lru_cache

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_currency, format_decimal

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
    # What to check before applying: shown apart from the reasons.
    "caution.needs": {
        "en": "Does not offer what you asked for ({categories})",
        "fr": "Ne propose pas ce que vous cherchez ({categories})",
    },
    # When to apply: information, neither a reason nor a caution.
    "timing.deadline": {"en": "Deadline {date}", "fr": "Date limite : {date}"},
    "timing.rolling": {"en": "Rolling applications", "fr": "Candidatures au fil de l'eau"},
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
    # What the person could change to qualify for more offers.
    "suggest.applicant_type": {
        "en": "{as_type}, you would also qualify for {offers}.",
        "fr": "{as_type}, vous seriez aussi éligible à {offers}.",
    },
    "suggest.stage": {
        "en": "If your project is at the “{stage}” stage rather than “{current}”, "
        "you would also qualify for {offers}.",
        "fr": "Si votre projet est au stade « {stage} » plutôt que « {current} », "
        "vous seriez aussi éligible à {offers}.",
    },
    "suggest.stage.started": {
        "en": "Already setting up your business? Then “{stage}” may be the stage you meant "
        "rather than “{current}”: you would also qualify for {offers}.",
        "fr": "Vous lancez déjà votre activité ? Alors « {stage} » est peut-être le stade que "
        "vous vouliez choisir plutôt que « {current} » : vous seriez aussi éligible à {offers}.",
    },
    "offers.one": {"en": "1 more offer", "fr": "1 offre de plus"},
    "offers.many": {"en": "{count} more offers", "fr": "{count} offres de plus"},
    "offers.meeting": {
        "en": "{offers} ({meeting} meeting your needs)",
        "fr": "{offers} (dont {meeting} répondant à vos besoins)",
    },
    # An amount read in another currency, with its value in euros.
    "money.converted": {"en": "{written}, about {eur}", "fr": "{written}, soit environ {eur}"},
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

# Applicant types as the start of a sentence ("As a registered company, …").
APPLICANT_AS: dict[str, dict[str, str]] = {
    "individual": {
        "en": "As an individual project holder",
        "fr": "En tant que porteur de projet individuel",
    },
    "company": {"en": "As a registered company", "fr": "En tant qu'entreprise immatriculée"},
    "association": {"en": "As an association", "fr": "En tant qu'association"},
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


def money_as_written(quantity: Decimal, currency: str, eur: int, lang: str) -> str:
    """An amount in its own currency, then in euros: `5 000 000 FCFA, soit environ 7 622 €`."""
    written = f"{format_decimal(quantity, locale=_LOCALES[lang])} {currency}"
    return render("money.converted", lang, written=written, eur=money(eur, lang))


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
