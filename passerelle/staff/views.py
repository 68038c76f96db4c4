"""Helpers shared by the staff pages: the router, loading an offer, paging links, going back."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse
from starlette.datastructures import FormData

from passerelle.accounts.models import STAFF_ROLES
from passerelle.deps import CsrfChecked, require_role
from passerelle.staff.queries import Listing
from passerelle.web.pages import local_path
from passerelle.web.views import PageLink, page_numbers
from services_catalog import service
from services_catalog.models import Offer
from services_catalog.taxonomy import OFFER_STATUSES

PageNumber = Annotated[int, Query(ge=1, le=100_000)]


def staff_router() -> APIRouter:
    """A router of staff pages: signed in as staff or admin, forms with their CSRF token."""
    return APIRouter(
        prefix="/staff",
        include_in_schema=False,
        # The role first: a visitor is sent to the login form, not told about tokens.
        dependencies=[Depends(require_role(*STAFF_ROLES)), CsrfChecked],
    )


def any_offer(session, offer_id: int) -> Offer:
    """The offer, whatever its status (staff see them all), or a 404."""
    return service.get_offer(session, offer_id, statuses=tuple(OFFER_STATUSES))


def paging(request: Request, listing: Listing) -> dict:
    """Links to the listing's other pages, keeping the page's other query parameters."""
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "page"]

    def url(number: int) -> str:
        return f"{request.url.path}?{urlencode([*params, ('page', str(number))])}"

    links = [
        PageLink(n, url(n) if n else None, n == listing.page)
        for n in page_numbers(listing.page, listing.pages)
    ]
    return {
        "links": links if listing.pages > 1 else [],
        "previous": url(listing.page - 1) if listing.page > 1 else None,
        "next": url(listing.page + 1) if listing.page < listing.pages else None,
    }


def back(request: Request, data: FormData, name: str, **params) -> RedirectResponse:
    """To the page the form was sent from (its `next` field), or to the named page."""
    sent = data.get("next")
    target = local_path(sent if isinstance(sent, str) else None)
    return RedirectResponse(target or request.app.url_path_for(name, **params), status_code=303)


def text_field(data: FormData, name: str) -> str:
    value = data.get(name)
    return value.strip() if isinstance(value, str) else ""
