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


def organization_form_context(form: Form, locale: str, organization: Organization | None) -> dict:
    types = [(code, label("organization_type", code, locale))
             for code in VOCABULARIES["organization_type"]]  # fmt: skip
    return {
        "form": form,
        "organization": organization,
        "types": types,
        "country_groups": country_groups("target_country", locale),
    }


def offer_form_context(
    organization: Organization,
    form: OfferForm,
    locale: str,
    *,
    state: OfferState | None = None,
    suggestion: Suggestion | None = None,
) -> dict:
    return {
        "organization": organization,
        "form": form,
        "state": state,
        "offer": state.offer if state else None,
        "choices": offer_form.form_choices(locale),
        "proposals": suggestions.proposals(suggestion, form.values, locale) if suggestion else None,
    }
