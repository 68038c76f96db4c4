"""The staff's offer form: the exchange format (`OfferRecord`) as form fields, read back
with one translated error per field that names the value refused."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from starlette.datastructures import FormData

from passerelle.accounts.forms import INVALID, REQUIRED, Form
from passerelle.catalog_messages import countries_or, refused_reason
from passerelle.i18n import N_, get_translations
from passerelle.offer_versions import carried_version
from services_catalog.bilingual import BILINGUAL_FIELDS
from services_catalog.countries import AmbiguousCountryError
from services_catalog.models import LIST_FIELDS
from services_catalog.schemas import EXCHANGE_FIELDS, OfferRecord

# Lists typed as text ("SN; CI"), the others chosen with checkboxes.
TYPED_LISTS = ("countries", "residence_countries")
CHECKED_LISTS = tuple(name for name in LIST_FIELDS if name not in TYPED_LISTS)
AMOUNTS = ("min_project_eur", "max_project_eur", "ticket_min_eur", "ticket_max_eur")
FIELD_MESSAGES = {
    **dict.fromkeys(AMOUNTS, N_("“%(value)s” is not an amount in euros (like 30 000 or 30k).")),
    **dict.fromkeys(TYPED_LISTS, N_("“%(value)s” is not a country we know.")),
    **dict.fromkeys(("opens", "deadline"), N_("“%(value)s” is not a date (like 2027-01-31).")),
    "url": N_("“%(value)s” is not a web address starting with http:// or https://."),
    "categories": N_("The first category must be of the offer's kind."),
}
BELOW_LOWER_BOUND = N_("“%(value)s” is below the minimum given above.")
SEVERAL_COUNTRIES = N_("“%(value)s” can mean several countries: write %(candidates)s.")


def form_values(snapshot: dict[str, Any]) -> dict[str, Any]:
    """An offer's exchange-format fields as the form shows them."""
    values: dict[str, Any] = {}
    for name in EXCHANGE_FIELDS:
        value = snapshot.get(name)
        if name in TYPED_LISTS:
            values[name] = "; ".join(value or [])
        elif name in LIST_FIELDS:
            values[name] = list(value or [])
        else:
            values[name] = "" if value is None else str(value)
    return values


def _submitted(data: FormData) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in EXCHANGE_FIELDS:
        if name in CHECKED_LISTS:
            values[name] = [v for v in data.getlist(name) if isinstance(v, str)]
        elif isinstance(data.get(name), str):
            values[name] = data[name]
    return values


def _message(problem: dict, name: str, values: dict) -> str:
    value = values.get(name)
    if problem["type"] == "missing" or value in ("", [], None):
        return REQUIRED
    if "is below" in problem["msg"]:
        return BELOW_LOWER_BOUND
    return FIELD_MESSAGES.get(name, INVALID)


def read_offer(
    data: FormData, locale: str, *, external_id: str | None
) -> tuple[OfferRecord | None, Form]:
    """The validated record (keeping the offer's external id), or None and the errors."""
    values = _submitted(data)
    form = Form(values={**values, **carried_version(data)})
    try:
        # A context, so that amounts typed in another currency are kept as written.
        record = OfferRecord.model_validate({**values, "id": external_id}, context={})
        return record, form
    except ValidationError as exc:
        translate = get_translations(locale).gettext
        for problem in exc.errors():
            name = str(problem["loc"][0]) if problem["loc"] else "title"
            if name in form.errors:
                continue
            cause = (problem.get("ctx") or {}).get("error")
            reason = refused_reason(problem, locale) if name in BILINGUAL_FIELDS else None
            if reason is not None:
                form.errors[name] = reason
                continue
            if isinstance(cause, AmbiguousCountryError):
                candidates = countries_or(cause.candidates, locale)
                shown = {"value": cause.value, "candidates": candidates}
                form.errors[name] = translate(SEVERAL_COUNTRIES) % shown
                continue
            shown = values.get(name)
            shown = "; ".join(shown) if isinstance(shown, list) else shown
            form.errors[name] = translate(_message(problem, name, values)) % {"value": shown}
        return None, form
