"""What the provider pages show, assembled for their templates."""

from __future__ import annotations

from passerelle.accounts.forms import Form
from passerelle.provider import offer_form, suggestions
from passerelle.provider.offer_form import OfferForm
from passerelle.provider.offers import OfferState
from passerelle.web.profile_form import country_groups
from services_catalog.classify import Suggestion
from services_catalog.models import Organization
from services_catalog.taxonomy import VOCABULARIES, label

# The order in which the offer form lists its errors (and its fields).
FIELD_ORDER = ("title", "description", "lang", "url", "kind", "primary_category", "categories",
               "sectors", "countries", "residence_countries", "stages", "applicant_types",
               "target_groups", "min_project_eur", "max_project_eur", "ticket_min_eur",
               "ticket_max_eur", "opens", "deadline")  # fmt: skip


def organization_form_context(form: Form, locale: str, organization: Organization | None) -> dict:
    types = [(code, label("organization_type", code, locale))
             for code in VOCABULARIES["organization_type"]]  # fmt: skip
    return {
        "form": form,
        "organization": organization,
        "types": types,
        "country_groups": country_groups("target_country", locale),
    }


def _anchor(name: str, form: OfferForm) -> str:
    """The id of the control an error links to (a group's first box for checkboxes)."""
    vocabulary = offer_form.LIST_FIELDS.get(name)
    if vocabulary and name != "categories":
        return f"{name}-{next(iter(VOCABULARIES[vocabulary]))}"
    if name == "categories":
        return "categories-" + next(iter(VOCABULARIES["category"]))
    return name


def offer_form_context(
    organization: Organization,
    form: OfferForm,
    locale: str,
    *,
    state: OfferState | None = None,
    suggestion: Suggestion | None = None,
) -> dict:
    errors = [(_anchor(name, form), form.errors[name]) for name in FIELD_ORDER
              if name in form.errors]  # fmt: skip
    return {
        "organization": organization,
        "form": form,
        "state": state,
        "offer": state.offer if state else None,
        "errors": errors,
        "choices": offer_form.form_choices(locale),
        "proposals": suggestions.proposals(suggestion, form.values, locale) if suggestion else None,
    }
