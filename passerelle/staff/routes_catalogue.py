"""Staff pages over the catalogue: every offer (filters, archive), organisations (verify,
members) and the catalogue's downloads."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import Query, Request
from fastapi.responses import Response

from passerelle.accounts.errors import FormError
from passerelle.accounts.forms import Form
from passerelle.accounts.web import flash, page, redirect
from passerelle.deps import FormDep, LocaleDep, SessionDep, StaffUser
from passerelle.i18n import N_
from passerelle.offer_versions import STALE_STEP, shown_version
from passerelle.provider import membership
from passerelle.staff import queries
from passerelle.staff.views import PageNumber, any_offer, back, paging, staff_router, text_field
from passerelle.web.pages import RecordId
from services_catalog import exporting, service, workflow
from services_catalog.taxonomy import OFFER_STATUSES
from services_catalog.workflow import StaleOfferError

router = staff_router()
DOWNLOADS = {
    "json": ("application/json", "passerelle-catalogue.json"),
    "csv": ("text/csv; charset=utf-8", "passerelle-catalogue.csv"),
    "hsds": ("application/json", "passerelle-catalogue-hsds.json"),
}


@router.get("/offers", name="staff_offers")
def offers(
    request: Request,
    user: StaffUser,
    session: SessionDep,
    locale: LocaleDep,
    status: Annotated[Literal[tuple(OFFER_STATUSES)] | Literal[""], Query()] = "",
    staleness: Annotated[Literal[queries.STALENESS] | Literal[""], Query()] = "",
    page_number: Annotated[PageNumber, Query(alias="page")] = 1,
) -> Response:
    today = date.today()
    listing = queries.offers(
        session, status=status or None, staleness=staleness or None, page=page_number, today=today
    )
    context = {
        "listing": listing,
        "pages": paging(request, listing),
        "status": status,
        "staleness": staleness,
        "statuses": OFFER_STATUSES,
        "today": today,
        "stale_before": today - queries.STALE_AFTER,
    }
    return page(request, "staff/offers.html", context, locale=locale)


@router.post("/offers/{offer_id}/archive", name="staff_archive")
def archive(
    request: Request, offer_id: RecordId, user: StaffUser, data: FormDep, session: SessionDep
) -> Response:
    offer = any_offer(session, offer_id)
    try:
        workflow.archive(session, offer, actor_id=user.id, version=shown_version(data))
    except StaleOfferError:
        session.rollback()  # the refused step may have written before its UPDATE failed
        flash(request, STALE_STEP)
        return back(request, data, "staff_offers")
    flash(request, N_("The offer has been archived: it no longer shows in the catalogue."))
    return back(request, data, "staff_offers")


@router.get("/organizations", name="staff_organizations")
def organizations(
    request: Request,
    user: StaffUser,
    session: SessionDep,
    locale: LocaleDep,
    page_number: Annotated[PageNumber, Query(alias="page")] = 1,
) -> Response:
    listing = queries.organizations(session, page=page_number)
    context = {"listing": listing, "pages": paging(request, listing)}
    return page(request, "staff/organizations.html", context, locale=locale)


@router.post("/organizations/{organization_id}/verify", name="staff_verify")
def verify(
    request: Request,
    organization_id: RecordId,
    user: StaffUser,
    data: FormDep,
    session: SessionDep,
) -> Response:
    organization = service.get_organization(session, organization_id)
    verified = data.get("verified") == "1"
    workflow.set_organization_verified(session, organization, verified, actor_id=user.id)
    if verified:
        flash(request, N_("The organisation is marked as verified."))
    else:
        flash(request, N_("The organisation is no longer marked as verified."))
    return back(request, data, "staff_organizations")


@router.post("/organizations/{organization_id}/rename", name="staff_decide_rename")
def decide_rename(
    request: Request,
    organization_id: RecordId,
    user: StaffUser,
    data: FormDep,
    session: SessionDep,
) -> Response:
    organization = service.get_organization(session, organization_id)
    approve = data.get("approve") == "1"
    workflow.decide_organization_rename(session, organization, approve, actor_id=user.id)
    if approve:
        flash(request, N_("The new name is live."))
    else:
        flash(request, N_("The new name was turned down; the current name stays."))
    return back(request, data, "staff_organizations")


def _members_page(request, session, organization, locale, *, form=None, status=200):
    context = {
        "organization": organization,
        "members": membership.members(session, organization.id),
        "form": form or Form(),
    }
    return page(request, "staff/members.html", context, locale=locale, status_code=status)


@router.get("/organizations/{organization_id}/members", name="staff_members")
def members_page(
    request: Request,
    organization_id: RecordId,
    user: StaffUser,
    session: SessionDep,
    locale: LocaleDep,
) -> Response:
    organization = service.get_organization(session, organization_id)
    return _members_page(request, session, organization, locale)


@router.post("/organizations/{organization_id}/members", name="staff_add_member")
def add_member(
    request: Request,
    organization_id: RecordId,
    user: StaffUser,
    data: FormDep,
    session: SessionDep,
    locale: LocaleDep,
) -> Response:
    organization = service.get_organization(session, organization_id)
    email = text_field(data, "email")
    try:
        membership.add_member_by_email(session, organization, email, actor_id=user.id)
    except FormError as exc:
        form = Form(values={"email": email})
        form.add_error(exc.field, exc.detail, locale)
        return _members_page(request, session, organization, locale, form=form, status=400)
    flash(request, N_("The account is now a member of the organisation."))
    return redirect(request, "staff_members", organization_id=organization.id)


@router.post(
    "/organizations/{organization_id}/members/{user_id}/remove", name="staff_remove_member"
)
def remove_member(
    request: Request,
    organization_id: RecordId,
    user_id: RecordId,
    user: StaffUser,
    session: SessionDep,
) -> Response:
    organization = service.get_organization(session, organization_id)
    membership.remove_member_by_id(session, organization, user_id, actor_id=user.id)
    flash(request, N_("The account is no longer a member of the organisation."))
    return redirect(request, "staff_members", organization_id=organization.id)


@router.get("/export/{fmt}", name="staff_export")
def download(fmt: Literal["json", "csv", "hsds"], user: StaffUser, session: SessionDep):
    """The published catalogue as a file: exchange format (JSON, CSV) or Open Referral HSDS."""
    body, _count = exporting.export_catalogue(session, fmt)
    media_type, filename = DOWNLOADS[fmt]
    disposition = f'attachment; filename="{filename}"'
    return Response(body, media_type=media_type, headers={"Content-Disposition": disposition})
