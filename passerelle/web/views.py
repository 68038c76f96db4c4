"""What each catalogue page shows, assembled from service results for its template."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from passerelle.deadlines.ics import has_dates
from passerelle.i18n import N_, get_translations
from passerelle.web import browse, offer_view
from passerelle.web.facets import facet_groups
from services_catalog.models import Offer, Organization
from services_catalog.search import SORTS, OfferFilters, SearchResult

SORT_LABELS = {
    "relevance": N_("Best match"),
    "deadline": N_("Soonest deadline"),
    "verified": N_("Recently verified"),
}
PAGE_WINDOW = 2  # page links shown on each side of the current page


@dataclass(frozen=True)
class PageLink:
    number: int | None  # None stands for a gap ("…")
    url: str | None
    current: bool = False


def page_numbers(current: int, pages: int) -> list[int | None]:
    """Page numbers to link: the first, the last, and a window around the current one."""
    shown = {1, pages, *range(current - PAGE_WINDOW, current + PAGE_WINDOW + 1)}
    numbers: list[int | None] = []
    for number in sorted(n for n in shown if 1 <= n <= pages):
        if numbers and number - (numbers[-1] or 0) > 1:
            numbers.append(None)
        numbers.append(number)
    return numbers


def pagination(base: str, result: SearchResult) -> dict:
    filters, pages = result.filters, result.pages
    links = [
        PageLink(n, browse.browse_url(base, filters, page=n) if n else None, n == filters.page)
        for n in page_numbers(filters.page, pages)
    ]
    return {
        "links": links if pages > 1 else [],
        "previous": browse.browse_url(base, filters, page=filters.page - 1)
        if filters.page > 1
        else None,
        "next": browse.browse_url(base, filters, page=filters.page + 1)
        if filters.page < pages
        else None,
    }


def browse_context(
    base: str,
    result: SearchResult,
    relaxations: dict[str, int],
    locale: str,
    today: date,
    respelt: OfferFilters | None = None,
) -> dict:
    """Everything the browse page shows; `respelt`, the same search spelt as the catalogue
    does, is offered when nothing was found."""
    translate = get_translations(locale).gettext
    filters = result.filters
    first = (filters.page - 1) * filters.per_page + 1
    return {
        "filters": filters,
        "total": result.total,
        "first": first if result.total else 0,
        "last": min(result.total, first + len(result.offers) - 1),
        "cards": [offer_view.offer_card(offer, locale, today) for offer in result.offers],
        "facets": facet_groups(result, locale),
        "chips": browse.chips(base, filters, locale),
        "typed": result.typed,
        "did_you_mean": (respelt.q, browse.browse_url(base, respelt)) if respelt else None,
        "clear_url": base,
        "relaxations": browse.relaxation_hints(base, filters, relaxations, locale),
        "sorts": [(code, translate(SORT_LABELS[code])) for code in SORTS],
        "pagination": pagination(base, result),
        "keep": [("per_page", filters.per_page)]
        if filters.per_page != browse.DEFAULTS.per_page
        else [],
    }


def offer_context(offer: Offer, locale: str, today: date, public_url: str) -> dict:
    """Everything an offer's page shows; `public_url` is its address to share."""
    categories = offer.codes("categories")
    return {
        "offer": offer,
        "card": offer_view.offer_card(offer, locale, today),
        "categories": categories,
        "eligibility": offer_view.eligibility(offer, locale),
        "ticket": offer_view.offer_ticket(offer, locale),
        "window": offer_view.application_window(offer, locale, today),
        "has_dates": has_dates(offer, today),
        "share": offer_view.share_links(offer.title, public_url, locale),
    }


def organization_context(
    organization: Organization, offers: list[Offer], locale: str, today: date
) -> dict:
    """Everything an organisation's page shows."""
    return {
        "organization": organization,
        "cards": [offer_view.offer_card(offer, locale, today) for offer in offers],
    }
