"""Two or three offers side by side, chosen with the "Compare" boxes of result lists and
bookmarks: `/compare?offer=12&offer=40`. A plain GET form, so that it works without script
and a comparison can be bookmarked or sent."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from passerelle.db import release_connection
from passerelle.deps import LocaleDep, SessionDep
from passerelle.i18n import N_, get_translations
from passerelle.web import offer_view
from passerelle.web.profile_form import shorten
from passerelle.web.templating import render
from services_catalog import service
from services_catalog.bilingual import InLanguage, summary_in, title_in
from services_catalog.models import Offer
from services_catalog.taxonomy import label

router = APIRouter(include_in_schema=False)

MAX_COMPARED = 3  # columns a phone can still scroll through and a person can hold in mind
OFFER_ID = re.compile(r"[0-9]{1,10}")
LARGEST_ID = 2**31 - 1  # what an integer column holds

NOT_AN_OFFER = N_(
    "“%(value)s” is not an offer number: choose the offers with their “Compare” boxes."
)
TOO_MANY = N_(
    "You chose %(count)d offers: at most %(limit)d can be compared at a time. "
    "Untick some and compare again."
)
NOT_PUBLISHED = N_(
    "These offers are not published, or no longer: %(ids)s. They cannot be compared."
)


class ComparisonError(ValueError):
    """A choice of offers that cannot be compared, with the status its page answers."""

    def __init__(self, message: str, status_code: int, rest: list[int] | None = None):
        super().__init__(message)
        self.status_code = status_code
        self.rest = rest or []  # the published offers among those chosen


@dataclass(frozen=True)
class ComparedOffer:
    """One column of the comparison: an offer as its page puts it into words."""

    offer: Offer
    kind: str
    categories: list[str]
    ticket: str | None
    window: offer_view.Window
    eligibility: list[offer_view.Criterion]
    title: InLanguage
    summary: InLanguage


def chosen_ids(values: list[str], locale: str) -> list[int]:
    """The offer ids chosen, each once, in the order given; ComparisonError when one is
    no id or there are more than MAX_COMPARED."""
    gettext = get_translations(locale).gettext
    ids: list[int] = []
    for value in values:
        if not OFFER_ID.fullmatch(value.strip()) or not 1 <= int(value) <= LARGEST_ID:
            raise ComparisonError(gettext(NOT_AN_OFFER) % {"value": shorten(value)}, 400)
        if int(value) not in ids:
            ids.append(int(value))
    if len(ids) > MAX_COMPARED:
        message = gettext(TOO_MANY) % {"count": len(ids), "limit": MAX_COMPARED}
        raise ComparisonError(message, 400)
    return ids


def compared_offer(offer: Offer, locale: str, today: date) -> ComparedOffer:
    return ComparedOffer(
        offer=offer,
        kind=label("kind", offer.kind, locale),
        categories=[label("category", code, locale) for code in offer.codes("categories")],
        ticket=offer_view.offer_ticket(offer, locale),
        window=offer_view.application_window(offer, locale, today),
        eligibility=offer_view.eligibility_rows(offer, locale),
        title=title_in(offer, locale),
        summary=summary_in(offer, locale),
    )


@router.get("/compare", name="compare")
def compare(request: Request, session: SessionDep, locale: LocaleDep) -> HTMLResponse:
    context: dict = {"columns": [], "error": None, "rest": [], "limit": MAX_COMPARED}
    status_code = 200
    try:
        ids = chosen_ids(request.query_params.getlist("offer"), locale)
        offers, missing = service.published_offers(session, ids) if ids else ([], [])
        if missing:
            shown = ", ".join(str(offer_id) for offer_id in missing)
            message = get_translations(locale).gettext(NOT_PUBLISHED) % {"ids": shown}
            raise ComparisonError(message, 404, rest=[offer.id for offer in offers])
        context["columns"] = [compared_offer(offer, locale, date.today()) for offer in offers]
    except ComparisonError as error:
        context["error"], context["rest"] = str(error), error.rest
        status_code = error.status_code
    release_connection(session)
    page = "catalogue/compare.html"
    return render(request, page, context, locale=locale, status_code=status_code)
