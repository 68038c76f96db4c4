"""Application windows as iCalendar (RFC 5545) events, written with the icalendar library.

Each offer gives an all-day event on its closing date and, while it lies ahead, one on
its opening date. UIDs are built from the offer's id and the site's host, and DTSTAMP is
the offer's last change, so that a calendar fetching the feed again sees the same events
(updated, not duplicated) and nothing changes between two fetches of an unchanged offer.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from urllib.parse import urlsplit

from icalendar import Calendar, Event

from passerelle.i18n import get_translations
from services_catalog.models import Offer

PRODID = "-//Passerelle//Deadlines//FR"


def has_dates(offer: Offer, today: date) -> bool:
    """Whether the offer's window has a date to put in a calendar: a closing date, or an
    opening date still ahead."""
    return offer.deadline is not None or (offer.opens is not None and offer.opens > today)


def _event(uid: str, day: date, summary: str, offer: Offer, link: str) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", offer.updated_at)
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))  # all-day: the end is exclusive
    event.add("summary", summary)
    event.add("description", f"{offer.organization.name}\n{link}")
    event.add("url", link)
    event.add("transp", "TRANSPARENT")  # a reminder, not time the person is busy
    return event


def offer_events(
    offer: Offer, *, base_url: str, locale: str, today: date
) -> list[Event]:  # fmt: skip
    """The events of one offer's window, in `locale`."""
    _ = get_translations(locale).gettext
    host = urlsplit(base_url).hostname or "passerelle"
    link = f"{base_url}/offers/{offer.id}"
    events = []
    if offer.opens is not None and offer.opens > today:
        summary = _("Applications open: %(title)s") % {"title": offer.title}
        uid = f"offer-{offer.id}-opens@{host}"
        events.append(_event(uid, offer.opens, summary, offer, link))
    if offer.deadline is not None:
        summary = _("Deadline: %(title)s") % {"title": offer.title}
        uid = f"offer-{offer.id}-deadline@{host}"
        events.append(_event(uid, offer.deadline, summary, offer, link))
    return events


def calendar(
    offers: Iterable[Offer], *, name: str, base_url: str, locale: str, today: date
) -> bytes:
    """A VCALENDAR of the windows of `offers` (each offer once), as bytes to serve."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    seen: set[int] = set()
    for offer in offers:
        if offer.id in seen:
            continue
        seen.add(offer.id)
        for event in offer_events(offer, base_url=base_url, locale=locale, today=today):
            cal.add_component(event)
    return cal.to_ical()
