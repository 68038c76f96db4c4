"""axe-core on every page of every space, in both languages.

The pages are the application's GET routes: each is in `PAGES` with the account that sees
it (its path parameters filled from one sample of each kind), or in `NOT_PAGES` with the
reason it is no page; a new route in neither fails `test_every_get_route_is_listed`.
"""

from __future__ import annotations

import re

import httpx
import pytest
from fastapi.routing import iter_route_contexts
from sqlalchemy import select
from sqlmodel import Session

from passerelle.accounts import reset
from passerelle.app import create_app
from services_catalog import workflow
from services_catalog.importing import import_offers
from services_catalog.models import Offer
from tests.accounts.conftest import Browser
from tests.browser.helpers import PASSWORD, add_staff, axe_violations, describe, log_in

VISITOR, ENTREPRENEUR, PROVIDER, STAFF = "visitor", "entrepreneur", "provider", "staff"
EMAILS = {
    ENTREPRENEUR: "aissatou.pages@example.org",
    PROVIDER: "ibrahima.pages@example.org",
    STAFF: "mariama.pages@example.org",
}
# Every page and the accounts that see it (the offer page changes once signed in).
PAGES = {
    "/": (VISITOR,),
    "/offers": (VISITOR,),
    "/offers/{offer_id}": (VISITOR, ENTREPRENEUR),
    "/organizations": (VISITOR,),
    "/organizations/{organization_id}": (VISITOR,),
    "/find-support": (VISITOR,),
    "/legal-notice": (VISITOR,),
    "/privacy": (VISITOR,),
    "/accessibility": (VISITOR,),
    "/contact": (VISITOR,),
    "/account/signup": (VISITOR,),
    "/account/login": (VISITOR,),
    "/account/password-reset": (VISITOR,),
    "/account/password-reset/{token}": (VISITOR,),
    "/me": (ENTREPRENEUR,),
    "/me/account": (ENTREPRENEUR, PROVIDER),
    "/me/account/delete": (ENTREPRENEUR,),
    "/me/bookmarks": (ENTREPRENEUR,),
    "/me/projects/new": (ENTREPRENEUR,),
    "/me/projects/{project_id}": (ENTREPRENEUR,),
    "/me/projects/{project_id}/edit": (ENTREPRENEUR,),
    "/offers/{offer_id}/interest": (ENTREPRENEUR,),
    "/me/requests": (ENTREPRENEUR,),
    "/me/requests/{request_id}": (ENTREPRENEUR,),
    "/provider": (PROVIDER,),
    "/provider/organizations/new": (PROVIDER,),
    "/provider/organizations/{organization_id}": (PROVIDER,),
    "/provider/organizations/{organization_id}/profile": (PROVIDER,),
    "/provider/organizations/{organization_id}/offers/new": (PROVIDER,),
    "/provider/offers/{offer_id}/edit": (PROVIDER,),
    "/provider/inbox": (PROVIDER,),
    "/provider/organizations/{organization_id}/inbox": (PROVIDER,),
    "/provider/requests/{request_id}": (PROVIDER,),
    "/staff": (STAFF,),
    "/staff/review": (STAFF,),
    "/staff/offers": (STAFF,),
    "/staff/offers/{offer_id}/edit": (STAFF,),
    "/staff/organizations": (STAFF,),
    "/staff/organizations/{organization_id}/members": (STAFF,),
    "/staff/users": (STAFF,),
    "/staff/import": (STAFF,),
    "/staff/audit": (STAFF,),
    "/staff/analytics": (STAFF,),
}
NOT_PAGES = {
    "/openapi.json": "the API's description",
    "/docs": "the API's documentation, drawn by Swagger UI",
    "/docs/oauth2-redirect": "a step of Swagger UI's sign-in",
    "/redoc": "the API's documentation, drawn by ReDoc",
    "/healthz": "a probe for the deployment",
    "/lang/{code}": "a redirect that sets the language",
    "/me/data.json": "a download of the account's data",
    "/staff/export/{fmt}": "a download of the catalogue",
    "/staff/analytics/{section}.csv": "a download of a dashboard table",
}
API_PREFIX = "/api/"
UNCLASSIFIED = {
    "id": "pages-unclassified",
    "title": "Prêt d'honneur pour créer une entreprise agricole",
    "description": "Un prêt sans intérêt ni garantie pour lancer une exploitation agricole.",
    "lang": "fr",
    "organization": "Initiative Pages",
    "kind": "financing",
}
OFFER = {
    "title": "Subvention Pages Agricoles",
    "description": "Une subvention pour les exploitations agricoles au Sénégal.",
    "lang": "fr",
    "kind": "financing",
    "primary_category": "grant",
    "countries": ["SN"],
}
PROJECT = {
    "name": "Ferme avicole à Thiès",
    "residence_country": "FR",
    "target_country": "SN",
    "sector": "agriculture",
    "stage": "startup",
    "project_eur": "40 000",
    "applicant_type": "individual",
}


def get_routes(app) -> set[str]:
    """The paths of the application's GET routes (and mounts), the API's aside."""
    return {
        route.path
        for route in iter_route_contexts(app.routes)
        if "GET" in (route.methods or {"GET"}) and not route.path.startswith(API_PREFIX)
    }


def test_every_get_route_is_listed(settings):
    routes = get_routes(create_app(settings)) - {"/static"}
    assert sorted(routes - PAGES.keys() - NOT_PAGES.keys()) == [], "add them to PAGES"
    assert sorted((PAGES.keys() | NOT_PAGES.keys()) - routes) == [], "routes that are gone"


def _last_id(response) -> int:
    assert response.status_code == 303, response.text
    return int(re.search(r"/(\d+)$", response.headers["location"]).group(1))


def _sign_up(site: Browser, role: str, name: str) -> None:
    # Sign-up answers "check your mail"; the account then logs in.
    assert site.signup(EMAILS[role], name, PASSWORD, "fr", account_type=role).status_code == 303


@pytest.fixture(scope="module")
def samples(base_url, engine, catalogue_ids) -> dict[str, object]:
    """One of each thing a page shows, made through the site's forms where it has them:
    a provider's published offer with a change waiting and an API token, a project, a
    bookmark, a request about the offer; and, for the review queue, a pending unclassified
    import."""
    add_staff(engine, EMAILS[STAFF], PASSWORD, display_name="Mariama", locale="fr")
    with (
        httpx.Client(base_url=base_url) as provider_client,
        httpx.Client(base_url=base_url) as entrepreneur_client,
    ):
        provider = Browser(provider_client)
        _sign_up(provider, PROVIDER, "Ibrahima Ndiaye")
        organization_id = _last_id(
            provider.submit(
                "/provider/organizations/new", {"name": "Fonds Pages", "type": "investor"}
            )
        )
        new_offer = f"/provider/organizations/{organization_id}/offers/new"
        assert provider.submit(new_offer, {**OFFER, "action": "submit"}).status_code == 303
        with Session(engine) as session:
            offer = session.scalar(select(Offer).where(Offer.title == OFFER["title"]))
            workflow.approve(session, offer, actor_id=None)
            assert import_offers(session, [(1, UNCLASSIFIED)], status="pending").applied
            session.commit()
            offer_id = offer.id
        edit = f"/provider/offers/{offer_id}/edit"
        changed = {**OFFER, "title": "Subvention Pages Agricoles 2027", "action": "save"}
        assert provider.submit(edit, changed).status_code == 303
        token = provider.submit("/me/account", {"name": "import script"},
                                action="/me/account/tokens")  # fmt: skip
        assert token.status_code == 200, token.text

        entrepreneur = Browser(entrepreneur_client)
        _sign_up(entrepreneur, ENTREPRENEUR, "Aïssatou Diallo")
        project_id = _last_id(entrepreneur.submit("/me/projects/new", PROJECT))
        bookmark = entrepreneur.submit(
            f"/offers/{offer_id}", {}, action=f"/me/bookmarks/{offer_id}"
        )
        assert bookmark.status_code == 303
        interest = f"/offers/{offer_id}/interest"
        message = {"project_id": project_id, "message": "Bonjour, mon projet est-il éligible ?"}
        request_id = _last_id(entrepreneur.submit(interest, message))
    with Session(engine) as session:
        _, token = reset.request_reset(session, EMAILS[ENTREPRENEUR], address="127.0.0.1")
        session.commit()
    return {
        "offer_id": offer_id,
        "organization_id": organization_id,
        "project_id": project_id,
        "request_id": request_id,
        "token": token,
    }


# Both languages on a desktop screen; the longer French words on a small phone too.
@pytest.mark.parametrize(("lang", "width"), [("fr", 1280), ("en", 1280), ("fr", 360)])
@pytest.mark.parametrize("role", [VISITOR, ENTREPRENEUR, PROVIDER, STAFF])
def test_every_page_passes_axe(new_page, axe_source, samples, role, lang, width):
    page = new_page("/account/login", lang=lang, width=width)
    if role != VISITOR:
        log_in(page, EMAILS[role], PASSWORD)
    page.goto(f"/lang/{lang}?next=/")  # an account's own language would win otherwise
    found = {}
    for route, roles in PAGES.items():
        if role not in roles:
            continue
        path = route.format(**samples)
        response = page.goto(path)
        assert response.status == 200, f"{path}: {response.status}"
        assert page.locator("html").get_attribute("lang") == lang, path
        violations = axe_violations(page, axe_source)
        if violations:
            found[path] = describe(violations)
    assert not found, "\n".join(f"{path}: {problems}" for path, problems in found.items())
