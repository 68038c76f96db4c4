"""The provider's offer form: read from a POST, checked through `OfferRecord`, offered.

Categories are asked as a main category (a select) plus other categories (checkboxes),
so that their order — the first is the primary one — holds without JavaScript. Amounts
are typed as people write them, in the currency chosen beside each one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import ValidationError
from starlette.datastructures import FormData

from passerelle.accounts.forms import REQUIRED
from passerelle.catalog_messages import refused_reason
from passerelle.i18n import N_, get_translations
from passerelle.offer_versions import carried_version
from passerelle.web.profile_form import (
    CURRENCIES,
    amount_error,
    conversion_note,
    country_groups,
    read_amount,
    shorten,
)
from services_catalog.amounts import InvalidAmountError
from services_catalog.bilingual import BILINGUAL_FIELDS
from services_catalog.models import Offer, Organization
from services_catalog.schemas import OfferRecord
from services_catalog.taxonomy import CATEGORIES, VOCABULARIES, categories_of_kind, label

AMOUNT_FIELDS = {
    "min_project_eur": "min_project_currency",
    "max_project_eur": "max_project_currency",
    "ticket_min_eur": "ticket_min_currency",
    "ticket_max_eur": "ticket_max_currency",
}
TEXT_FIELDS = ("title", "description", "lang", *BILINGUAL_FIELDS, "url", "kind",
               "primary_category", "opens", "deadline", *AMOUNT_FIELDS,
               *AMOUNT_FIELDS.values())  # fmt: skip
# Checkbox groups and multiple selects, with the vocabulary each one offers.
LIST_FIELDS = {
    "categories": "category",
    "sectors": "sector",
    "countries": None,
    "residence_countries": None,
    "stages": "stage",
    "applicant_types": "applicant_type",
    "target_groups": "target_group",
}
MAX_TEXT = 20_000  # characters kept of any field: more cannot be an offer's description

FIELD_MESSAGES = {
    "kind": N_("Choose whether this is a support service or a financing offer."),
    "lang": N_("Choose the language of the title and description."),
    "url": N_("Enter a web address starting with http:// or https://."),
    "title": N_("The title must not be longer than 300 characters."),
    "opens": N_("“%(value)s” is not a date: write it as 2026-12-31."),
    "deadline": N_("“%(value)s” is not a date: write it as 2026-12-31."),
}
BELOW_MINIMUM = {
    "max_project_eur": N_("The largest project size is below the smallest one."),
    "ticket_max_eur": N_("The largest amount provided is below the smallest one."),
    "deadline": N_("The deadline is before the opening date."),
}
PRIMARY_MISMATCH = N_("The main category must be one of the kind of offer chosen above.")
PRIMARY_MISSING = N_("Choose the main category (the “Suggest categories” button can help).")
UNKNOWN_CHOICE = N_("“%(value)s” is not one of the choices offered.")
SUMMARY_REQUIRED = N_(
    "Write a short summary in the language of the offer: one or two sentences shown on the"
    " result cards."
)


@dataclass
class OfferForm:
    """The form as submitted or prefilled: values, errors and conversions by field."""

    values: dict = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    # Filled in by the template as it renders the fields: name -> (control id, label).
    labels: dict[str, tuple[str, str]] = field(default_factory=dict)
    conversions: dict[str, str] = field(default_factory=dict)
    written: dict[str, dict] = field(default_factory=dict)  # amounts in another currency
    record: OfferRecord | None = None

    def chosen(self, name: str) -> list[str]:
        return self.values.get(name) or []


def blank_form(organization: Organization, locale: str) -> OfferForm:
    values: dict = dict.fromkeys(TEXT_FIELDS, "") | {name: [] for name in LIST_FIELDS}
    values |= {"lang": locale} | dict.fromkeys(AMOUNT_FIELDS.values(), "EUR")
    values["countries"] = list(organization.countries)
    return OfferForm(values=values)


def record_values(record: dict) -> dict:
    """Form values from an offer in the exchange format (a revision's record, say)."""
    categories = list(record.get("categories") or [])
    values: dict = {name: _shown(record.get(name)) for name in TEXT_FIELDS}
    values |= {name: list(record.get(name) or []) for name in LIST_FIELDS}
    values |= dict.fromkeys(AMOUNT_FIELDS.values(), "EUR")
    values["primary_category"] = categories[0] if categories else ""
    values["categories"] = categories[1:]
    return values


def offer_values(offer: Offer) -> dict:
    data = {name: getattr(offer, name) for name in TEXT_FIELDS if hasattr(offer, name)}
    return record_values({**data, **offer.lists()})


def _shown(value) -> str:
    return "" if value is None else str(value)


def form_values(data: FormData) -> dict:
    """The submitted fields, trimmed, lists as lists; anything else is left out."""
    values: dict = {}
    for name in TEXT_FIELDS:
        raw = data.get(name)
        values[name] = raw.strip()[:MAX_TEXT] if isinstance(raw, str) else ""
    for name in LIST_FIELDS:
        items = [v.strip() for v in data.getlist(name) if isinstance(v, str) and v.strip()]
        values[name] = list(dict.fromkeys(item[:200] for item in items))
    return values | carried_version(data)


def read_offer_form(
    values: dict, organization: Organization, locale: str, *, external_id: str | None,
    require_category: bool,
) -> OfferForm:  # fmt: skip
    """The offer the values describe, or what is wrong with them, field by field."""
    form = OfferForm(values=values)
    amounts = _read_amounts(form, locale)
    primary = values["primary_category"]
    categories = [primary] if primary else []
    categories += [code for code in values["categories"] if code != primary]
    data = {name: values[name] or None for name in ("title", "description", "url", "kind")}
    data |= {"lang": values["lang"] or "fr", "opens": values["opens"] or None}
    data |= {"deadline": values["deadline"] or None, "organization": organization.name}
    data |= {name: values[name] for name in LIST_FIELDS} | {"categories": categories}
    data |= amounts | {"id": external_id}
    data |= {name: values[name] or None for name in BILINGUAL_FIELDS}
    try:
        record = OfferRecord.model_validate({k: v for k, v in data.items() if v is not None})
    except ValidationError as exc:
        for error in exc.errors():
            _add_error(form, error, values, locale)
        return form
    if require_category and not categories:
        form.errors["primary_category"] = _translate(PRIMARY_MISSING, locale)
    # The summary in the offer's own language is asked for; the other one may follow later
    # (staff see it missing), as a provider may not write both languages.
    own_summary = f"summary_{record.lang}"
    if not values[own_summary] and own_summary not in form.errors:
        form.errors[own_summary] = _translate(SUMMARY_REQUIRED, locale)
    if not form.errors:
        form.record = record.keep_written(form.written)
    return form


def _read_amounts(form: OfferForm, locale: str) -> dict[str, int | None]:
    amounts: dict[str, int | None] = {}
    for name, currency_field in AMOUNT_FIELDS.items():
        text, currency = form.values[name], form.values[currency_field] or "EUR"
        amounts[name] = None
        if not text:
            continue
        if currency not in CURRENCIES:
            message = _translate(UNKNOWN_CHOICE, locale) % {"value": shorten(currency)}
            form.errors[name] = message
            continue
        try:
            amount = read_amount(text, currency)
        except InvalidAmountError:
            form.errors[name] = amount_error(text, locale)
            continue
        amounts[name] = amount.eur
        if amount.currency != "EUR":
            form.conversions[name] = conversion_note(amount, locale)
            form.written[name] = amount.as_written()
    return amounts


def _translate(message: str, locale: str) -> str:
    return get_translations(locale).gettext(message)


def _add_error(form: OfferForm, error: dict, values: dict, locale: str) -> None:
    """One translated message for the field an `OfferRecord` error is about."""
    name = str(error["loc"][0]) if error["loc"] else "title"
    if name == "categories":
        name = "primary_category" if error["loc"][1:] in ((), (0,)) else "categories"
    if name in form.errors:
        return
    reason = refused_reason(error, locale) if name in BILINGUAL_FIELDS else None
    if reason is not None:
        form.errors[name] = reason
        return
    value = _shown(error.get("input"))
    message_id = UNKNOWN_CHOICE
    if error["type"] in ("missing", "string_too_short") or (name in values and not values[name]):
        message_id = REQUIRED
    elif name in BELOW_MINIMUM and "is below" in error.get("msg", ""):
        message_id = BELOW_MINIMUM[name]
    elif name == "primary_category" and "primary category" in error.get("msg", ""):
        message_id = PRIMARY_MISMATCH
    elif name in FIELD_MESSAGES:
        message_id = FIELD_MESSAGES[name]
    form.errors[name] = _translate(message_id, locale) % {"value": shorten(value)}


def _options(vocabulary: str, locale: str, codes=None) -> list[tuple[str, str]]:
    return [(code, label(vocabulary, code, locale)) for code in codes or VOCABULARIES[vocabulary]]


def form_choices(locale: str) -> dict:
    """What each control of the offer form offers, labelled in the page's language."""
    by_kind = [
        (kind, label("kind", kind, locale), _options("category", locale, categories_of_kind(kind)))
        for kind in VOCABULARIES["kind"]
    ]
    return {
        "langs": _options("lang", locale),
        "kinds": _options("kind", locale),
        "categories": by_kind,
        "sectors": _options("sector", locale),
        "stages": _options("stage", locale),
        "applicant_types": _options("applicant_type", locale),
        "target_groups": _options("target_group", locale),
        "countries": country_groups("target_country", locale),
        "residence_countries": country_groups("residence_country", locale),
        "currencies": list(CURRENCIES.items()),
    }


def category_kind(code: str) -> str | None:
    category = CATEGORIES.get(code)
    return category.kind if category else None
