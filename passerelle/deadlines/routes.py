"""Deadline pages: an offer's `.ics` file, the person's feed page and the feed itself."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response

from passerelle.accounts.web import flash, page, redirect
from passerelle.deadlines import ics, service
from passerelle.deps import (
    CsrfChecked,
    EntrepreneurUser,
    LocaleDep,
    RecommenderDep,
    SessionDep,
    SettingsDep,
)
from passerelle.i18n import N_, get_translations
from passerelle.outbox.mail import mail_link
from passerelle.web.pages import RecordId
from services_catalog import service as catalogue
from services_catalog.errors import NotFoundError

router = APIRouter(include_in_schema=False, dependencies=[CsrfChecked])

ICS_TYPE = "text/calendar; charset=utf-8"
# Only the characters a made token has: anything else is not a feed, without a lookup.
FeedSecret = Annotated[str, Path(max_length=100, pattern=r"^[A-Za-z0-9_-]+$")]


@router.get("/offers/{offer_id}/calendar.ics", name="offer_calendar")
def offer_calendar(
    offer_id: RecordId, session: SessionDep, settings: SettingsDep, locale: LocaleDep
) -> Response:
    """The offer's closing date (and opening date, while ahead) as an `.ics` download."""
    offer = catalogue.get_offer(session, offer_id)
    today = date.today()
    if not ics.has_dates(offer, today):
        raise NotFoundError(f"offer {offer_id} has no date to add to a calendar")
    body = ics.calendar(
        [offer], name=offer.title, base_url=settings.base_url, locale=locale, today=today
    )
    return Response(
        body,
        media_type=ICS_TYPE,
        headers={"Content-Disposition": f'attachment; filename="passerelle-offer-{offer.id}.ics"'},
    )


def _feed_page(request, session, user, locale, settings, *, secret=None, status=200):
    feed = service.feed_of(session, user)
    address = mail_link(request, settings, "calendar_feed_ics", secret=secret) if secret else None
    context = {"feed": feed, "address": address}
    return page(request, "entrepreneur/calendar.html", context, locale=locale, status_code=status)


@router.get("/me/calendar", name="calendar_feed")
def calendar_feed(
    request: Request,
    user: EntrepreneurUser,
    session: SessionDep,
    settings: SettingsDep,
    locale: LocaleDep,
) -> Response:
    return _feed_page(request, session, user, locale, settings)


@router.post("/me/calendar", name="new_calendar_feed")
def new_calendar_feed(
    request: Request,
    user: EntrepreneurUser,
    session: SessionDep,
    settings: SettingsDep,
    locale: LocaleDep,
) -> Response:
    """Make the address (revoking any earlier one) and show it on this answer only."""
    secret = service.new_feed_token(session, user)
    return _feed_page(request, session, user, locale, settings, secret=secret)


@router.post("/me/calendar/revoke", name="revoke_calendar_feed")
def revoke_calendar_feed(request: Request, user: EntrepreneurUser, session: SessionDep) -> Response:
    service.revoke_feed(session, user)
    flash(request, N_("Your calendar address has been revoked: it no longer works."))
    return redirect(request, "calendar_feed")


@router.get("/calendar/{secret}.ics", name="calendar_feed_ics")
def calendar_feed_ics(
    secret: FeedSecret,
    session: SessionDep,
    recommender: RecommenderDep,
    settings: SettingsDep,
) -> Response:
    """The deadlines of the person's bookmarks and projects' matches, in their language."""
    user = service.feed_owner(session, secret)
    if user is None:
        raise NotFoundError("no such calendar")
    today = date.today()
    offers = service.feed_offers(session, recommender, user, today)
    name = get_translations(user.locale).gettext("Passerelle: my deadlines")
    body = ics.calendar(
        offers, name=name, base_url=settings.base_url, locale=user.locale, today=today
    )
    # A secret address: no cache along the way keeps a copy, no page refers to it.
    headers = {"Cache-Control": "private, no-store", "Referrer-Policy": "no-referrer"}
    return Response(body, media_type=ICS_TYPE, headers=headers)
