"""Staff home, the review queue (approve, reject, accept the classifier's suggestion) and
the staff's offer form."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal
from urllib.parse import parse_qs, urlsplit

from fastapi import Query, Request
from fastapi.responses import Response

from passerelle.accounts.web import flash, page
from passerelle.deps import ClassifierDep, FormDep, LocaleDep, SessionDep, StaffUser
from passerelle.i18n import N_, get_translations
from passerelle.offer_versions import STALE_FORM, STALE_STEP, shown_version
from passerelle.staff import offer_form, queries, review
from passerelle.staff.views import PageNumber, any_offer, back, paging, staff_router, text_field
from passerelle.web.pages import RecordId
from services_catalog import workflow
from services_catalog.taxonomy import VOCABULARIES, label
from services_catalog.workflow import StaleOfferError

router = staff_router()
NO_CATEGORY = N_("This offer has no category yet: accept the suggestion or edit it first.")
NO_REASON = N_("Please say why, so that the provider can correct the offer.")
SOME_LEFT = N_(
    "Some of the offers checked were left in the queue: they changed after the page was "
    "loaded, or cannot take this step as they are. The others were done."
)


@router.get("", name="staff_home")
def home(request: Request, user: StaffUser, session: SessionDep, locale: LocaleDep) -> Response:
    counts = queries.staff_counts(session, date.today())
    return page(request, "staff/home.html", {"counts": counts, "user": user}, locale=locale)


ReviewKind = Literal[workflow.REVIEW_KINDS] | Literal[""]


def _queue_page(
    request, session, classifier, locale, *, kind="", page_number=1, errors=None, status=200
) -> Response:
    listing, items = review.queue(
        session, classifier, kind=kind or None, page=page_number, locale=locale, today=date.today()
    )
    context = {
        "items": items,
        "listing": listing,
        "pages": paging(request, listing),
        "kind": kind,
        "kinds": workflow.REVIEW_KINDS,
        "reject_errors": errors or {},
    }
    return page(request, "staff/review.html", context, locale=locale, status_code=status)


@router.get("/review", name="staff_review")
def review_queue(
    request: Request,
    user: StaffUser,
    session: SessionDep,
    classifier: ClassifierDep,
    locale: LocaleDep,
    kind: Annotated[ReviewKind, Query()] = "",
    page_number: Annotated[PageNumber, Query(alias="page")] = 1,
) -> Response:
    return _queue_page(request, session, classifier, locale, kind=kind, page_number=page_number)


def _queue_shown(data) -> dict:
    """The filter and page of the queue a form was sent from (its `next` field)."""
    sent = data.get("next")
    query = parse_qs(urlsplit(sent).query) if isinstance(sent, str) else {}
    kind = query.get("kind", [""])[0]
    number = query.get("page", ["1"])[0]
    return {
        "kind": kind if kind in workflow.REVIEW_KINDS else "",
        "page_number": int(number) if re.fullmatch("[0-9]{1,5}", number) else 1,
    }


@router.post("/review/{offer_id}/approve", name="staff_approve")
def approve(
    request: Request, offer_id: RecordId, user: StaffUser, data: FormDep, session: SessionDep
) -> Response:
    offer = any_offer(session, offer_id)
    if offer.status == "pending" and not offer.codes("categories"):
        flash(request, NO_CATEGORY)
        return back(request, data, "staff_review")
    try:
        workflow.approve(session, offer, actor_id=user.id, version=shown_version(data))
    except StaleOfferError:
        return _refused(request, session, data)
    flash(request, N_("Approved: the offer is published as shown."))
    return back(request, data, "staff_review")


def _refused(request: Request, session, data) -> Response:
    """Back to the queue, which shows the offer as it is now, saying nothing was done."""
    session.rollback()  # the refused step may have written before its UPDATE failed
    flash(request, STALE_STEP)
    return back(request, data, "staff_review")


@router.post("/review/{offer_id}/reject", name="staff_reject")
def reject(
    request: Request,
    offer_id: RecordId,
    user: StaffUser,
    data: FormDep,
    session: SessionDep,
    classifier: ClassifierDep,
    locale: LocaleDep,
) -> Response:
    offer = any_offer(session, offer_id)
    reason = text_field(data, "reason")
    if not reason:
        message = get_translations(locale).gettext(NO_REASON)
        errors = {offer.id: message}
        shown = _queue_shown(data)
        return _queue_page(request, session, classifier, locale, errors=errors, status=400, **shown)
    try:
        workflow.reject(
            session, offer, actor_id=user.id, reason=reason, version=shown_version(data)
        )
    except StaleOfferError:
        return _refused(request, session, data)
    flash(request, N_("Rejected: the provider will see your reason."))
    return back(request, data, "staff_review")


@router.post("/review/several", name="staff_review_several")
def act_on_several(
    request: Request, user: StaffUser, data: FormDep, session: SessionDep
) -> Response:
    """Approve or reject every offer checked, each at the version the page showed."""
    chosen = review.chosen_items(data.getlist("item"))
    approving = data.get("action") == "approve"
    reason = text_field(data, "reason")
    if not chosen:
        flash(request, N_("Check at least one offer first."))
    elif not approving and not reason:
        flash(request, NO_REASON)
    else:
        try:
            left = review.act_on_several(
                session, chosen, approve=approving, reason=reason, actor_id=user.id
            )
        except StaleOfferError:
            return _refused(request, session, data)
        if left:
            flash(request, SOME_LEFT)
        elif approving:
            flash(request, N_("Approved: the offers checked are published as shown."))
        else:
            flash(request, N_("Rejected: the providers will see your reason."))
    return back(request, data, "staff_review")


@router.post("/review/{offer_id}/accept-suggestion", name="staff_accept_suggestion")
def accept_suggestion(
    request: Request,
    offer_id: RecordId,
    user: StaffUser,
    data: FormDep,
    session: SessionDep,
    classifier: ClassifierDep,
) -> Response:
    offer = any_offer(session, offer_id)
    try:
        review.accept_suggestion(
            session, offer, classifier, actor_id=user.id, version=shown_version(data)
        )
    except StaleOfferError:
        return _refused(request, session, data)
    flash(request, N_("The suggested kind, categories and sectors were applied."))
    return back(request, data, "staff_review")


def _form_page(request, offer, form, locale, *, status=200) -> Response:
    choices = {
        vocabulary: [(code, label(vocabulary, code, locale)) for code in VOCABULARIES[vocabulary]]
        for vocabulary in ("kind", "category", "sector", "stage", "applicant_type", "target_group")
    }
    context = {"offer": offer, "form": form, "choices": choices}
    return page(request, "staff/offer_form.html", context, locale=locale, status_code=status)


@router.get("/offers/{offer_id}/edit", name="staff_edit_offer")
def edit_form(
    request: Request, offer_id: RecordId, user: StaffUser, session: SessionDep, locale: LocaleDep
) -> Response:
    return _form_page(
        request, any_offer(session, offer_id), _current_form(session, offer_id), locale
    )


def _current_form(session, offer_id: int) -> offer_form.Form:
    """The form filled with the offer as stored, and the version it shows."""
    offer = any_offer(session, offer_id)
    values = offer_form.form_values(workflow.offer_snapshot(offer))
    return offer_form.Form(values={**values, "version": str(offer.version)})


@router.post("/offers/{offer_id}/edit", name="staff_update_offer")
def edit_offer(
    request: Request,
    offer_id: RecordId,
    user: StaffUser,
    data: FormDep,
    session: SessionDep,
    locale: LocaleDep,
) -> Response:
    offer = any_offer(session, offer_id)
    record, form = offer_form.read_offer(data, locale, external_id=offer.external_id)
    if record is None:
        return _form_page(request, offer, form, locale, status=400)
    try:
        revision = workflow.edit_offer(
            session, offer, record, actor_id=user.id, version=shown_version(data)
        )
    except StaleOfferError:
        session.rollback()  # the refused edit may have written before its UPDATE failed
        flash(request, STALE_FORM)
        form = _current_form(session, offer_id)
        return _form_page(request, any_offer(session, offer_id), form, locale, status=409)
    if revision is not None:
        flash(request, N_("Saved as a change waiting for review; the published version stays."))
    else:
        flash(request, N_("The offer has been saved."))
    return back(request, data, "staff_offers")
