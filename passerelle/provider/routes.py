"""The provider space: organisations, their profile, their offers and the offer form."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from passerelle.accounts.errors import FormError
from passerelle.accounts.forms import Form, read
from passerelle.accounts.web import flash, page, redirect
from passerelle.deps import (
    ClassifierDep,
    CsrfChecked,
    FormDep,
    LocaleDep,
    ManagedOffer,
    ManagedOrganization,
    ProviderUser,
    SessionDep,
)
from passerelle.i18n import N_, get_translations
from passerelle.offer_versions import STALE_FORM, STALE_STEP, shown_version
from passerelle.provider import membership, offer_form, offers, organizations, suggestions
from passerelle.provider.offer_form import OfferForm
from passerelle.provider.schemas import ORGANIZATION_LISTS, ORGANIZATION_MESSAGES, OrganizationIn
from passerelle.provider.views import offer_form_context, organization_form_context
from services_catalog import workflow
from services_catalog.models import Organization
from services_catalog.workflow import StaleOfferError

router = APIRouter(prefix="/provider", include_in_schema=False, dependencies=[CsrfChecked])
RENAME_HELD = N_(
    "The profile has been saved. The new name of a verified organisation goes live, with its "
    "badge, once the Passerelle team approves it; until then the current name stays."
)
NOTHING_TO_READ = N_("Write a title or a description first: suggestions are read from them.")


@router.get("", name="provider_home")
def provider_home(
    request: Request, user: ProviderUser, session: SessionDep, locale: LocaleDep
) -> Response:
    """The provider's organisations, with links to their offers, inbox and profile."""
    context = {"organizations": membership.member_organizations(session, user), "user": user}
    return page(request, "provider/home.html", context, locale=locale)


def _organization_page(request, form, locale, organization=None, status=200) -> Response:
    context = organization_form_context(form, locale, organization)
    return page(request, "provider/organization_form.html", context, locale=locale,
                status_code=status)  # fmt: skip


def _read_organization(data, locale):
    return read(OrganizationIn, data, locale, lists=ORGANIZATION_LISTS,
                messages=ORGANIZATION_MESSAGES)  # fmt: skip


def _back_to_organization(request: Request, organization_id: int, message: str) -> Response:
    flash(request, message)
    return redirect(request, "provider_organization", organization_id=organization_id)


@router.get("/organizations/new", name="new_organization")
def new_organization(request: Request, user: ProviderUser, locale: LocaleDep) -> Response:
    return _organization_page(request, Form(values={"type": "other", "countries": []}), locale)


@router.post("/organizations/new")
def create_organization(
    request: Request, user: ProviderUser, data: FormDep, session: SessionDep, locale: LocaleDep
) -> Response:
    organization_in, form = _read_organization(data, locale)
    if organization_in is not None:
        try:
            organization = organizations.create_organization(session, user, organization_in)
        except FormError as exc:
            form.add_error(exc.field, exc.detail, locale)
        else:
            message = N_("Your organisation is registered. You can now add its offers.")
            return _back_to_organization(request, organization.id, message)
    return _organization_page(request, form, locale, status=400)


@router.get("/organizations/{organization_id}", name="provider_organization")
def organization_offers(
    request: Request, organization: ManagedOrganization, session: SessionDep, locale: LocaleDep
) -> Response:
    """“My offers”: every offer of the organisation with where it stands in review."""
    states = offers.organization_offers(session, organization.id)
    context = {"organization": organization, "states": states}
    return page(request, "provider/offers.html", context, locale=locale)


@router.get("/organizations/{organization_id}/profile", name="organization_profile")
def organization_profile(
    request: Request, organization: ManagedOrganization, locale: LocaleDep
) -> Response:
    form = Form(values=organizations.profile_values(organization))
    return _organization_page(request, form, locale, organization)


@router.post("/organizations/{organization_id}/profile")
def update_organization(
    request: Request,
    organization: ManagedOrganization,
    user: ProviderUser,
    data: FormDep,
    session: SessionDep,
    locale: LocaleDep,
) -> Response:
    organization_in, form = _read_organization(data, locale)
    if organization_in is not None:
        try:
            held = organizations.update_organization(
                session, organization, organization_in, actor_id=user.id
            )
        except FormError as exc:
            form.add_error(exc.field, exc.detail, locale)
        else:
            message = RENAME_HELD if held else N_("The organisation's profile has been saved.")
            return _back_to_organization(request, organization.id, message)
    return _organization_page(request, form, locale, organization, status=400)


def _offer_page(request, organization, form, locale, *, state=None, suggestion=None, status=200):
    context = offer_form_context(organization, form, locale, state=state, suggestion=suggestion)
    return page(request, "provider/offer_form.html", context, locale=locale, status_code=status)


def _suggest_again(request, organization, values, data, classifier, locale, state=None):
    """The form back with the classifier's proposals, after taking the one clicked."""
    form = OfferForm(values=values)
    suggestion = suggestions.suggest(classifier, values)
    if suggestion is None:
        form.errors["description"] = get_translations(locale).gettext(NOTHING_TO_READ)
        return _offer_page(request, organization, form, locale, state=state, status=400)
    accepted = data.get("accept")
    if isinstance(accepted, str) and accepted:
        form.values = suggestions.accept(values, accepted, suggestion)
    return _offer_page(request, organization, form, locale, state=state, suggestion=suggestion)


def _wants_suggestions(data) -> bool:
    return data.get("action") == "suggest" or bool(data.get("accept"))


@router.get("/organizations/{organization_id}/offers/new", name="new_offer")
def new_offer(request: Request, organization: ManagedOrganization, locale: LocaleDep) -> Response:
    return _offer_page(request, organization, offer_form.blank_form(organization, locale), locale)


@router.post("/organizations/{organization_id}/offers/new")
def create_offer(
    request: Request,
    organization: ManagedOrganization,
    user: ProviderUser,
    data: FormDep,
    session: SessionDep,
    classifier: ClassifierDep,
    locale: LocaleDep,
) -> Response:
    values = offer_form.form_values(data)
    if _wants_suggestions(data):
        return _suggest_again(request, organization, values, data, classifier, locale)
    submit = data.get("action") == "submit"
    form = offer_form.read_offer_form(
        values, organization, locale, external_id=None, require_category=submit
    )
    if form.record is None:
        return _offer_page(request, organization, form, locale, status=400)
    offers.create_offer(session, user, form.record, submit=submit)
    if submit:
        message = N_("The offer has been sent for review.")
    else:
        message = N_("The offer has been saved as a draft.")
    return _back_to_organization(request, organization.id, message)


def _current_values(state: offers.OfferState) -> dict:
    """A pending change is what the provider goes on editing, else the offer itself; with
    the version they were read at."""
    if state.revision is not None:
        values = offer_form.record_values(state.revision.record)
    else:
        values = offer_form.offer_values(state.offer)
    return values | {"version": str(state.offer.version)}


@router.get("/offers/{offer_id}/edit", name="edit_offer")
def edit_offer(
    request: Request, state: ManagedOffer, session: SessionDep, locale: LocaleDep
) -> Response:
    form = OfferForm(values=_current_values(state))
    return _offer_page(request, state.offer.organization, form, locale, state=state)


@router.post("/offers/{offer_id}/edit")
def update_offer(
    request: Request,
    state: ManagedOffer,
    user: ProviderUser,
    data: FormDep,
    session: SessionDep,
    classifier: ClassifierDep,
    locale: LocaleDep,
) -> Response:
    offer = state.offer
    organization: Organization = offer.organization
    values = offer_form.form_values(data)
    if _wants_suggestions(data):
        return _suggest_again(request, organization, values, data, classifier, locale, state)
    submit = data.get("action") == "submit"
    form = offer_form.read_offer_form(
        values, organization, locale, external_id=offer.external_id,
        require_category=submit or offer.status in ("pending", "published"),
    )  # fmt: skip
    if form.record is None:
        return _offer_page(request, organization, form, locale, state=state, status=400)
    try:
        revision = offers.save_offer(
            session, user, offer, form.record, submit=submit, version=shown_version(data)
        )
    except StaleOfferError:
        session.rollback()  # the refused change may have written before its UPDATE failed
        flash(request, STALE_FORM)
        state = offers.offer_for(session, user, offer.id)
        form = OfferForm(values=_current_values(state))
        return _offer_page(request, organization, form, locale, state=state, status=409)
    if revision is not None:
        message = N_("Your change has been sent for review. The published version "
                     "stays visible until it is approved.")  # fmt: skip
    elif offer.status == "pending":
        message = N_("The offer has been sent for review.")
    else:
        message = N_("The offer has been saved as a draft.")
    return _back_to_organization(request, organization.id, message)


def _offer_step(request, state, user, data, session, step, message: str) -> Response:
    """Take one workflow step with the provider's offer, on the version their page showed,
    then go back to its organisation."""
    organization_id = state.offer.organization_id
    try:
        step(session, state.offer, actor_id=user.id, version=shown_version(data))
    except StaleOfferError:
        session.rollback()  # the refused step may have written before its UPDATE failed
        message = STALE_STEP
    return _back_to_organization(request, organization_id, message)


@router.post("/offers/{offer_id}/submit", name="submit_offer")
def submit_offer(
    request: Request, state: ManagedOffer, user: ProviderUser, data: FormDep, session: SessionDep
) -> Response:
    message = N_("The offer has been sent for review.")
    return _offer_step(request, state, user, data, session, workflow.submit_offer, message)


@router.post("/offers/{offer_id}/confirm", name="confirm_offer")
def confirm_offer(
    request: Request, state: ManagedOffer, user: ProviderUser, data: FormDep, session: SessionDep
) -> Response:
    """“Still accurate”: the offer counts as verified today."""
    message = N_("Thank you: the offer is marked as checked today.")
    return _offer_step(request, state, user, data, session, workflow.confirm_accurate, message)


@router.post("/offers/{offer_id}/archive", name="archive_offer")
def archive_offer(
    request: Request, state: ManagedOffer, user: ProviderUser, data: FormDep, session: SessionDep
) -> Response:
    message = N_("The offer has been archived: it no longer appears in the catalogue.")
    return _offer_step(request, state, user, data, session, workflow.archive, message)
