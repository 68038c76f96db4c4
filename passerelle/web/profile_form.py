"""The entrepreneur's profile as a page form: read from a query string, checked, offered.

`read_profile_form` turns the query of the GET profile form into a `ProfileIn` (the API's
validated profile) or errors by field in the page's language; `form_choices` lists what
each control offers. Every page that asks for a profile (find support, saved projects)
uses both with the `matching/profile_form.html` macro.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from annotated_types import MaxLen
from pydantic import ValidationError
from starlette.datastructures import QueryParams

from passerelle.i18n import N_, format_day, format_eur, format_number, get_translations
from passerelle.schemas import ProfileIn
from passerelle.web.form_data import check_fields
from services_catalog.amounts import (
    CFA_PARITY,
    RATES_AS_OF,
    Amount,
    InvalidAmountError,
    parse_amount,
)
from services_catalog.countries import (
    AFRICAN_COUNTRIES,
    AmbiguousCountryError,
    CountryError,
    country_choices,
    normalize_country,
)
from services_catalog.taxonomy import VOCABULARIES, categories_of_kind, label, normalize_code

COUNTRY_FIELDS = ("residence_country", "target_country")
CODE_FIELDS = {"sector": "sector", "stage": "stage", "applicant_type": "applicant_type"}
LIST_FIELDS = {"groups": "target_group", "needs": "category"}
# Each amount is typed as text in the currency chosen beside it.
AMOUNT_CURRENCIES = {"project_eur": "project_currency", "funding_need_eur": "funding_need_currency"}
TEXT_FIELDS = (*COUNTRY_FIELDS, *CODE_FIELDS, *AMOUNT_CURRENCIES, "description")
PARAMETERS = (*TEXT_FIELDS, *LIST_FIELDS, *AMOUNT_CURRENCIES.values())

# The currencies people are offered, with how the select shows them (the same in both
# languages: symbols and codes).
CURRENCIES = {
    "EUR": "€ (EUR)",
    "XOF": "FCFA (XOF)",
    "XAF": "FCFA (XAF)",
    "MAD": "dirham (MAD)",
    "TND": "dinar (TND)",
    "USD": "$ (USD)",
    "GBP": "£ (GBP)",
}
DEFAULTS = {"applicant_type": "individual", **dict.fromkeys(AMOUNT_CURRENCIES.values(), "EUR")}
DESCRIPTION_MAX = next(
    m.max_length for m in ProfileIn.model_fields["description"].metadata if isinstance(m, MaxLen)
)
MAX_VALUE = 200  # characters of a short field read; the rest cannot be a country or amount
SHOWN_VALUE = 60  # characters of a bad value repeated in its error message
TOO_MANY_DIGITS = 13  # an amount this long that cannot be read is too large, not garbled

# Where the platform's readers live: shown first in the residence list.
EUROPE_AND_NORTH_AFRICA = frozenset(
    {
        "AD", "AL", "AT", "BA", "BE", "BG", "BY", "CH", "CY", "CZ", "DE", "DK", "EE", "ES",
        "FI", "FR", "GB", "GR", "HR", "HU", "IE", "IS", "IT", "LI", "LT", "LU", "LV", "MC",
        "MD", "ME", "MK", "MT", "NL", "NO", "PL", "PT", "RO", "RS", "RU", "SE", "SI", "SK",
        "SM", "UA", "VA",
        "DZ", "EG", "LY", "MA", "MR", "TN",
    }
)  # fmt: skip

MISSING = {
    "residence_country": N_("Choose the country where you live."),
    "target_country": N_("Choose the country where your project is carried out."),
    "sector": N_("Choose the sector of your project."),
    "stage": N_("Choose the stage your project has reached."),
    "applicant_type": N_("Choose who is applying."),
    "project_eur": N_("Enter the total amount of your project."),
}
TITLES = {
    "residence_country": N_("Country where you live"),
    "target_country": N_("Country of your project"),
    "sector": N_("Sector"),
    "stage": N_("Stage of your project"),
    "applicant_type": N_("Who is applying"),
    "groups": N_("Groups you belong to"),
    "project_eur": N_("Total amount of the project"),
    "funding_need_eur": N_("Amount you are looking for"),
    "needs": N_("Kinds of support you want"),
    "description": N_("Description of your project"),
}


@dataclass(frozen=True)
class ProfileForm:
    """The profile form as submitted: what to show again, errors by field, the profile."""

    values: dict[str, str] = field(default_factory=lambda: dict(DEFAULTS))
    groups: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    errors: dict[str, str] = field(default_factory=dict)
    conversions: dict[str, str] = field(default_factory=dict)
    profile: ProfileIn | None = None
    submitted: bool = False


@dataclass(frozen=True)
class Choice:
    code: str
    label: str
    selected: bool = False


def read_profile_form(params: QueryParams, locale: str) -> ProfileForm:
    """The profile in a form's query, or what is wrong with it, field by field."""
    if not any(name in params for name in PARAMETERS):
        return ProfileForm()
    check_fields(params)
    values = {name: _text(params.get(name)) for name in TEXT_FIELDS}
    values |= {name: _text(params.get(name)) or DEFAULTS[name] for name in DEFAULTS}
    lists = {name: _texts(params.getlist(name)) for name in LIST_FIELDS}
    amounts, conversions, errors = _read_amounts(values, locale)
    data = {name: values[name] for name in (*COUNTRY_FIELDS, *CODE_FIELDS) if values[name]}
    data |= {"description": values["description"], **lists, **amounts}
    profile = None
    try:
        profile = ProfileIn.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors():
            name = str(error["loc"][0])
            errors.setdefault(name, field_error(name, error, locale))
    shown = values | {
        name: _normalized(name, values[name]) for name in (*COUNTRY_FIELDS, *CODE_FIELDS)
    }
    return ProfileForm(
        values=shown,
        groups=_known(lists["groups"], "target_group"),
        needs=_known(lists["needs"], "category"),
        errors=errors,
        conversions=conversions,
        profile=None if errors else profile,
        submitted=True,
    )


def _read_amounts(values: dict[str, str], locale: str) -> tuple[dict, dict, dict]:
    """Amounts in euros, notes on their conversion, and errors, by field."""
    _ = get_translations(locale).gettext
    amounts: dict[str, int] = {}
    conversions: dict[str, str] = {}
    errors: dict[str, str] = {}
    for name, currency in AMOUNT_CURRENCIES.items():
        if not values[name]:
            continue
        if values[currency] not in CURRENCIES:
            value = {"value": shorten(values[currency])}
            errors[name] = _("“%(value)s” is not one of the currencies offered.") % value
            continue
        try:
            amount = read_amount(values[name], values[currency])
        except InvalidAmountError:
            errors[name] = amount_error(values[name], locale)
            continue
        amounts[name] = amount.eur
        if amount.currency != "EUR":
            conversions[name] = conversion_note(amount, locale)
    return amounts, conversions, errors


def _text(value: str | None) -> str:
    return (value or "").strip()


def _texts(values: list[str]) -> list[str]:
    return [value.strip()[:MAX_VALUE] for value in values if value.strip()]


def _normalized(name: str, value: str) -> str:
    """A valid country or code as its code, so that its option shows selected."""
    try:
        if name in COUNTRY_FIELDS:
            return normalize_country(value[:MAX_VALUE])
        if name in CODE_FIELDS:
            return normalize_code(CODE_FIELDS[name], value)
    except ValueError:
        pass
    return value


def _known(values: list[str], vocabulary: str) -> tuple[str, ...]:
    codes = []
    for value in values:
        try:
            codes.append(normalize_code(vocabulary, value))
        except ValueError:
            continue
    return tuple(dict.fromkeys(codes))


def read_amount(text: str, currency: str) -> Amount:
    """`text` in `currency`, unless it names its own ("25 000 000 FCFA"), in euros."""
    if len(text) > MAX_VALUE:
        raise InvalidAmountError("too long", text)
    try:
        return parse_amount(f"{text} {currency}")
    except InvalidAmountError:
        return parse_amount(text)  # its own currency, or the reason it cannot be read


def amount_error(text: str, locale: str) -> str:
    """What is wrong with an amount that cannot be read, in the page's language."""
    _ = get_translations(locale).gettext
    before_number = re.split(r"\d", text, maxsplit=1)[0]
    if "-" in before_number or "\u2212" in before_number:
        return _("The amount cannot be negative.")
    if len(re.sub(r"\D", "", text)) >= TOO_MANY_DIGITS:
        return _("This amount is too large.")
    return _(
        "“%(value)s” is not an amount we can read: write it in figures, for example 25 000 or 30k."
    ) % {"value": shorten(text)}


def conversion_note(amount: Amount, locale: str) -> str:
    """`≈ 38 112 € (fixed parity: 655.957 XOF = 1 €)`: the euros an amount is worth."""
    _ = get_translations(locale).gettext
    values = {
        "eur": format_eur(amount.eur, locale),
        "rate": format_number(amount.rate, locale),
        "currency": amount.currency,
        "date": format_day(RATES_AS_OF, locale),
    }
    if amount.rate == CFA_PARITY:
        return _("≈ %(eur)s (fixed parity: %(rate)s %(currency)s = 1 €)") % values
    return _("≈ %(eur)s (rate of %(date)s: %(rate)s %(currency)s = 1 €)") % values


def field_error(name: str, error: dict, locale: str) -> str:
    """A validation error of the profile as a sentence naming what is wrong."""
    _ = get_translations(locale).gettext
    if error["type"] == "missing" and name in MISSING:
        return _(MISSING[name])
    if error["type"] == "string_too_long":
        return _("Your description must not be longer than %(max)s characters.") % {
            "max": format_number(DESCRIPTION_MAX, locale)
        }
    cause = (error.get("ctx") or {}).get("error")
    value = {"value": shorten(str(getattr(cause, "value", error.get("input", ""))))}
    if isinstance(cause, AmbiguousCountryError):
        return _("“%(value)s” can mean several countries: choose one from the list.") % value
    if isinstance(cause, CountryError):
        return _("“%(value)s” is not a country we know: choose one from the list.") % value
    return _("“%(value)s” is not one of the choices offered.") % value


def shorten(value: str) -> str:
    return value if len(value) <= SHOWN_VALUE else value[: SHOWN_VALUE - 1] + "…"


def _anchor(name: str) -> str:
    """The id of the control an error links to: a group's first option."""
    vocabulary = CODE_FIELDS.get(name) or LIST_FIELDS.get(name)
    if name in ("stage", "applicant_type", *LIST_FIELDS):
        return f"f-{name}-{next(iter(VOCABULARIES[vocabulary]))}"
    return f"f-{name}"


def error_titles(form: ProfileForm, locale: str) -> list[tuple[str, str, str]]:
    """(anchor, title, message) for each error, in the order of the form."""
    _ = get_translations(locale).gettext
    return [
        (_anchor(name), _(TITLES[name]), form.errors[name])
        for name in TITLES
        if name in form.errors
    ]


@cache
def _grouped_countries(locale: str, first: frozenset[str], first_title: str) -> list:
    choices = country_choices(locale)
    _ = get_translations(locale).gettext
    return [
        (_(first_title), [c for c in choices if c[0] in first]),
        (_("Other countries"), [c for c in choices if c[0] not in first]),
    ]


def country_groups(name: str, locale: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """Countries as option groups: Africa first for the project, Europe for residence."""
    if name == "target_country":
        return _grouped_countries(locale, AFRICAN_COUNTRIES, N_("African countries"))
    return _grouped_countries(locale, EUROPE_AND_NORTH_AFRICA, N_("Europe and North Africa"))


def _choices(vocabulary: str, codes, selected, locale: str) -> list[Choice]:
    return [Choice(code, label(vocabulary, code, locale), code in selected) for code in codes]


def form_choices(form: ProfileForm, locale: str) -> dict:
    """What each control of the profile form offers, with the form's answers selected."""
    _ = get_translations(locale).gettext
    values = form.values

    def one(name: str) -> list[Choice]:
        vocabulary = CODE_FIELDS[name]
        return _choices(vocabulary, VOCABULARIES[vocabulary], {values.get(name)}, locale)

    return {
        "countries": {name: country_groups(name, locale) for name in COUNTRY_FIELDS},
        "sectors": one("sector"),
        "stages": one("stage"),
        "applicant_types": one("applicant_type"),
        "groups": _choices("target_group", VOCABULARIES["target_group"], form.groups, locale),
        "needs": [
            (_(title), _choices("category", categories_of_kind(kind), form.needs, locale))
            for kind, title in (("service", N_("Support services")), ("financing", N_("Financing")))
        ],
        "currencies": list(CURRENCIES.items()),
        "errors": error_titles(form, locale),
        "description_max": DESCRIPTION_MAX,
    }
