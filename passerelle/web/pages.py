"""The public pages of the catalogue: home, browse, offer, organisations, language switch.

Handlers read the request, call the catalogue's services and render a template.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal
from urllib.parse import quote, urlsplit

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from passerelle.analytics import service as analytics
from passerelle.db import release_connection
from passerelle.deps import LocaleDep, ReadCacheDep, SearchLogDep, SessionDep, SettingsDep
from passerelle.outbox.mail import mail_link
from passerelle.web import about, compare, find_support, views
from passerelle.web.browse import read_filters
from passerelle.web.read_cache import KeptAnswer, anonymous_key
from passerelle.web.templating import page_response, render
from services_catalog import search, service

router = APIRouter(include_in_schema=False)
router.include_router(find_support.router)  # "Find support for my project"
router.include_router(about.router)  # legal notice, privacy, accessibility, contact
router.include_router(compare.router)  # offers side by side

LANGUAGE_COOKIE = "lang"
# Kept as they are in a local path; anything else (spaces, accents) is percent-encoded.
URL_PUNCTUATION = "/?#[]@!$&'()*+,;=:%~"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
# Ids beyond what an integer column holds are not ids: a 422, not a database error.
RecordId = Annotated[int, Path(ge=1, le=2**31 - 1)]


@router.get("/", name="home")
def home(request: Request, session: SessionDep, locale: LocaleDep) -> HTMLResponse:
    published = service.count_offers(session)
    release_connection(session)
    return render(request, "site/home.html", {"published": published}, locale=locale)


@router.get("/offers", name="browse")
def browse(
    request: Request,
    session: SessionDep,
    search_log: SearchLogDep,
    locale: LocaleDep,
    cache: ReadCacheDep,
) -> HTMLResponse:
    filters = read_filters(request.query_params)
    key = anonymous_key(request, session, locale)
    if kept := cache.get(key):
        analytics.log_search(search_log, filters, kept.total)
        release_connection(session)
        return page_response(kept.body, locale=locale)
    result = search.search_offers(session, filters)
    analytics.log_search(search_log, filters, result.total)
    relaxed, respelt = {}, None
    if not result.total:
        relaxed = search.relaxations(session, result.filters)
        respelt = search.did_you_mean(session, result.filters)
    release_connection(session)
    base = str(request.app.url_path_for("browse"))
    context = views.browse_context(base, result, relaxed, locale, date.today(), respelt)
    response = render(request, "catalogue/browse.html", context, locale=locale)
    if key is not None and key[0] == result.version:
        cache.put(key, KeptAnswer(response.body, result.total))
    return response


@router.get("/offers/{offer_id}", name="offer")
def offer(
    request: Request,
    offer_id: RecordId,
    session: SessionDep,
    locale: LocaleDep,
    settings: SettingsDep,
) -> HTMLResponse:
    found = service.get_offer(session, offer_id)
    release_connection(session)
    public_url = mail_link(request, settings, "offer", offer_id=offer_id)
    context = views.offer_context(found, locale, date.today(), public_url)
    return render(request, "catalogue/offer.html", context, locale=locale)


@router.get("/organizations", name="organizations")
def organizations(request: Request, session: SessionDep, locale: LocaleDep) -> HTMLResponse:
    listed = service.list_organizations(session)
    release_connection(session)
    return render(request, "catalogue/organizations.html", {"organizations": listed}, locale=locale)


@router.get("/organizations/{organization_id}", name="organization")
def organization(
    request: Request, organization_id: RecordId, session: SessionDep, locale: LocaleDep
) -> HTMLResponse:
    found = service.get_organization(session, organization_id)
    offers = service.organization_offers(session, organization_id)
    release_connection(session)
    context = views.organization_context(found, offers, locale, date.today())
    return render(request, "catalogue/organization.html", context, locale=locale)


def local_path(url: str | None) -> str | None:
    """`url` when it is a path on this site, its other characters percent-encoded so that
    it fits a Location header; None for anything that could leave it."""
    if not url or not url.startswith("/") or url.startswith("//") or "\\" in url:
        return None
    if any(ord(char) < 32 for char in url):
        return None
    parts = urlsplit(url)
    return quote(url, safe=URL_PUNCTUATION) if not parts.scheme and not parts.netloc else None


@router.get("/lang/{code}", name="set_language")
def set_language(
    request: Request,
    code: Literal["fr", "en"],
    next_url: Annotated[str | None, Query(alias="next", max_length=2000)] = None,
) -> RedirectResponse:
    """Remember the chosen language and go back to the page it was chosen on."""
    target = local_path(next_url) or str(request.app.url_path_for("home"))
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        LANGUAGE_COOKIE,
        code,
        max_age=LANGUAGE_COOKIE_AGE,
        samesite="lax",
        httponly=True,
        secure=request.url.scheme == "https",
    )
    return response
