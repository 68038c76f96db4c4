"""Interest requests on the site: the entrepreneur's form and “My requests”; the inbox."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import Field

from passerelle.accounts import projects
from passerelle.accounts.forms import Form, read
from passerelle.accounts.models import UserAccount
from passerelle.accounts.schemas import FormModel
from passerelle.accounts.web import client_address, flash, page, redirect
from passerelle.deps import (
    CsrfChecked,
    EntrepreneurUser,
    FormDep,
    LocaleDep,
    ManagedOrganization,
    ProviderUser,
    SessionDep,
    SettingsDep,
)
from passerelle.i18n import N_
from passerelle.interest import notify, service
from passerelle.outbox.service import queue_mail, queue_mails
from passerelle.provider import membership
from passerelle.web.pages import RecordId
from services_catalog.models import Offer

router = APIRouter(include_in_schema=False, dependencies=[CsrfChecked])
MESSAGE_LIMIT = 5000
MESSAGES = {"project_id": N_("Choose one of your projects."),
            "message": N_("Write at most 5,000 characters."),
            "reply": N_("Write at most 5,000 characters.")}  # fmt: skip


class InterestIn(FormModel):
    project_id: Annotated[int, Field(ge=1, le=2**31 - 1)]
    message: Annotated[str, Field(min_length=1, max_length=MESSAGE_LIMIT)]


class ReplyIn(FormModel):
    reply: Annotated[str, Field(min_length=1, max_length=MESSAGE_LIMIT)]


def _request_form(request, offer, user, session, form, locale, status=200) -> Response:
    """The request form; with a single project, it is chosen already."""
    options = [(str(p.id), p.name) for p in projects.list_projects(session, user)]
    if len(options) == 1:
        form.values.setdefault("project_id", options[0][0])
    context = {"offer": offer, "form": form, "projects": options}
    return page(request, "interest/new.html", context, locale=locale, status_code=status)


@router.get("/offers/{offer_id}/interest", name="new_interest")
def new_interest(
    request: Request, offer_id: RecordId, user: EntrepreneurUser, session: SessionDep,
    locale: LocaleDep,
) -> Response:  # fmt: skip
    offer = service.contactable_offer(session, offer_id)
    return _request_form(request, offer, user, session, Form(), locale)


@router.post("/offers/{offer_id}/interest")
def send_interest(
    request: Request, offer_id: RecordId, user: EntrepreneurUser, data: FormDep,
    session: SessionDep, settings: SettingsDep, locale: LocaleDep,
) -> Response:  # fmt: skip
    offer = service.contactable_offer(session, offer_id)
    interest_in, form = read(InterestIn, data, locale, messages=MESSAGES)
    if interest_in is None:
        return _request_form(request, offer, user, session, form, locale, status=400)
    interest = service.send_request(
        session, user, offer, interest_in.project_id, interest_in.message,
        address=client_address(request),
    )  # fmt: skip
    recipients = membership.active_members(session, offer.organization_id)
    queue_mails(session, notify.new_request_mails(request, settings, interest, offer, user,
                                                  recipients))  # fmt: skip
    flash(
        request, N_("Your request has been sent. You will receive an e-mail when it is answered.")
    )
    return redirect(request, "my_request", request_id=interest.id)


@router.get("/me/requests", name="my_requests")
def my_requests(
    request: Request, user: EntrepreneurUser, session: SessionDep, locale: LocaleDep
) -> Response:
    context = {"requests": service.sent_requests(session, user)}
    return page(request, "interest/my_requests.html", context, locale=locale)


@router.get("/me/requests/{request_id}", name="my_request")
def my_request(
    request: Request, request_id: RecordId, user: EntrepreneurUser, session: SessionDep,
    locale: LocaleDep,
) -> Response:  # fmt: skip
    interest = service.sender_request(session, user, request_id)
    context = {"interest": interest, "offer": _offer(session, interest)}
    return page(request, "interest/my_request.html", context, locale=locale)


@router.post("/me/requests/{request_id}/close", name="close_my_request")
def close_my_request(
    request: Request, request_id: RecordId, user: EntrepreneurUser, session: SessionDep
) -> Response:
    service.close(session, service.sender_request(session, user, request_id))
    flash(request, N_("The request is closed."))
    return redirect(request, "my_requests")


def _offer(session, interest) -> Offer:
    return session.get(Offer, interest.offer_id)


@router.get("/provider/inbox", name="inbox_home")
def inbox_home(
    request: Request, user: ProviderUser, session: SessionDep, locale: LocaleDep
) -> Response:
    """Every inbox of the provider's organisations, with the number of unread requests."""
    mine = membership.member_organizations(session, user)
    inboxes = [(org, service.unread_count(session, org.id)) for org in mine]
    return page(request, "interest/inbox_home.html", {"inboxes": inboxes}, locale=locale)


@router.get("/provider/organizations/{organization_id}/inbox", name="inbox")
def inbox(
    request: Request, organization: ManagedOrganization, session: SessionDep, locale: LocaleDep
) -> Response:
    rows = service.organization_requests(session, organization.id)
    context = {"organization": organization, "rows": rows}
    return page(request, "interest/inbox.html", context, locale=locale)


def _inbox_request_page(request, session, interest, form, locale, status=200) -> Response:
    offer = _offer(session, interest)
    context = {"interest": interest, "offer": offer, "form": form,
               "sender": session.get(UserAccount, interest.sender_id)}  # fmt: skip
    return page(request, "interest/request.html", context, locale=locale, status_code=status)


@router.get("/provider/requests/{request_id}", name="inbox_request")
def inbox_request(
    request: Request, request_id: RecordId, user: ProviderUser, session: SessionDep,
    locale: LocaleDep,
) -> Response:  # fmt: skip
    """A request as a member reads it; opening it marks it read for the sender."""
    interest = service.member_request(session, user, request_id)
    service.mark_read(session, interest)
    return _inbox_request_page(request, session, interest, Form(), locale)


@router.post("/provider/requests/{request_id}/reply", name="reply_request")
def reply_request(
    request: Request, request_id: RecordId, user: ProviderUser, data: FormDep,
    session: SessionDep, settings: SettingsDep, locale: LocaleDep,
) -> Response:  # fmt: skip
    interest = service.member_request(session, user, request_id)
    reply_in, form = read(ReplyIn, data, locale, messages=MESSAGES)
    if reply_in is None:
        return _inbox_request_page(request, session, interest, form, locale, status=400)
    service.reply(session, interest, user, reply_in.reply)
    sender = session.get(UserAccount, interest.sender_id)
    offer = _offer(session, interest)
    queue_mail(session, notify.reply_mail(request, settings, interest, offer, sender))
    flash(request, N_("Your answer has been sent."))
    return redirect(request, "inbox_request", request_id=interest.id)


@router.post("/provider/requests/{request_id}/close", name="close_request")
def close_request(
    request: Request, request_id: RecordId, user: ProviderUser, session: SessionDep
) -> Response:
    interest = service.member_request(session, user, request_id)
    service.close(session, interest)
    flash(request, N_("The request is closed."))
    return redirect(request, "inbox", organization_id=interest.organization_id)
