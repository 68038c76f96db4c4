"""The site's pages and the accounts that see them, shared by the tests that visit every
page (axe-core in a browser, the form fuzz, the role matrix).

`PAGES` holds each GET route with the accounts that see it, `NOT_PAGES` the GET routes that
are no page; `make_samples` makes one of each thing the pages show, through the site's forms.
"""

from __future__ import annotations

import re

from fastapi.routing import iter_route_contexts
from sqlalchemy import select
from sqlmodel import Session

from passerelle.accounts import reset
from passerelle.alerts.models import Alert
from passerelle.alerts.service import unsubscribe_token
from passerelle.outbox.models import OutboxMail
from services_catalog import workflow
from services_catalog.importing import import_offers
from services_catalog.models import Offer
from tests.accounts.conftest import Browser
from tests.browser.helpers import PASSWORD, add_staff

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
    "/compare": (VISITOR,),
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
    "/me/calendar": (ENTREPRENEUR,),
    "/me/projects/new": (ENTREPRENEUR,),
    "/me/projects/{project_id}": (ENTREPRENEUR,),
    "/me/projects/{project_id}/edit": (ENTREPRENEUR,),
    "/offers/{offer_id}/interest": (ENTREPRENEUR,),
    "/me/requests": (ENTREPRENEUR,),
    "/me/requests/{request_id}": (ENTREPRENEUR,),
    "/me/alerts": (ENTREPRENEUR,),
    "/alerts/unsubscribe/{alert_token}": (VISITOR,),
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
    "/staff/mail": (STAFF,),
    "/staff/analytics": (STAFF,),
}
NOT_PAGES = {
    "/openapi.json": "the API's description",
    "/docs": "the API's documentation, drawn by Swagger UI",
    "/docs/assets": "the scripts and styles Swagger UI and ReDoc load",
    "/redoc": "the API's documentation, drawn by ReDoc",
    "/healthz": "a probe for the deployment: the database answers",
    "/livez": "a probe for the deployment: the process answers",
    "/readyz": "a probe for the deployment: the match index is built",
    "/metrics": "figures for Prometheus",
    "/lang/{code}": "a redirect that sets the language",
    "/me/projects/latest": "a redirect to the newest project's matches (after a sign-up)",
    "/me/data.json": "a download of the account's data",
    "/offers/{offer_id}/calendar.ics": "a download of an offer's dates for a calendar",
    "/calendar/{secret}.ics": "a person's calendar feed, read by calendar applications",
    "/offers/{offer_id}/still-accurate": "opened from a freshness mail's signed link only; "
    "its states pass axe in tests/browser/test_freshness.py",
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
    "summary_fr": "Subvention pour les exploitations agricoles du Sénégal.",
    "kind": "financing",
    "primary_category": "grant",
    "countries": ["SN"],
    "deadline": "2099-06-30",  # a date for its calendar download
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


def _last_id(response) -> int:
    assert response.status_code == 303, response.text
    return int(re.search(r"/(\d+)$", response.headers["location"]).group(1))


def sign_up(site: Browser, email: str, name: str, account_type: str) -> None:
    """An account made from the sign-up form, then signed in as its mail says."""
    answer = site.signup(email, name, PASSWORD, account_type=account_type)
    assert answer.status_code == 303, answer.text


def make_samples(
    engine, provider: Browser, entrepreneur: Browser, *, secret: str
) -> dict[str, object]:
    """One of each thing a page shows, made through the site's forms where it has them:
    a provider's published offer with a change waiting and an API token, a project, a
    bookmark, a request about the offer; and, for the review queue, a pending unclassified
    import; a saved search, and the unsubscribe link of the project's alert (signed with the
    platform's `secret`). `provider` and `entrepreneur` end signed in; the staff account is
    made too."""
    add_staff(engine, EMAILS[STAFF], PASSWORD, display_name="Mariama", locale="fr")
    sign_up(provider, EMAILS[PROVIDER], "Ibrahima Ndiaye", PROVIDER)
    organization_id = _last_id(
        provider.submit("/provider/organizations/new", {"name": "Fonds Pages", "type": "investor"})
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
    token = provider.submit("/me/account", {"name": "import script"}, action="/me/account/tokens")
    assert token.status_code == 200, token.text

    sign_up(entrepreneur, EMAILS[ENTREPRENEUR], "Aïssatou Diallo", ENTREPRENEUR)
    project_id = _last_id(entrepreneur.submit("/me/projects/new", PROJECT))
    bookmark = entrepreneur.submit(f"/offers/{offer_id}", {}, action=f"/me/bookmarks/{offer_id}")
    assert bookmark.status_code == 303
    interest = f"/offers/{offer_id}/interest"
    message = {"project_id": project_id, "message": "Bonjour, mon projet est-il éligible ?"}
    request_id = _last_id(entrepreneur.submit(interest, message))
    saved = entrepreneur.submit("/offers?country=SN", {"name": "Sénégal"}, action="/me/searches")
    assert saved.status_code == 303, saved.text
    assert entrepreneur.client.get("/me/alerts").status_code == 200  # alerts of the project
    with Session(engine) as session:
        _, token = reset.request_reset(session, EMAILS[ENTREPRENEUR], address="192.0.2.1")
        # The entrepreneur's welcome mail, refused by the server: the staff page lists it.
        welcome = session.scalar(
            select(OutboxMail).where(OutboxMail.to_address == EMAILS[ENTREPRENEUR])
        )
        welcome.status, welcome.attempts, welcome.last_error = "failed", 1, "550 5.1.1 No such user"
        session.add(welcome)
        session.commit()
        alert_id = session.scalar(select(Alert.id).where(Alert.project_id == project_id))
        mail_id = welcome.id
    return {
        "alert_id": alert_id,
        "alert_token": unsubscribe_token(secret, alert_id),
        "offer_id": offer_id,
        "organization_id": organization_id,
        "project_id": project_id,
        "request_id": request_id,
        "token": token,
        "mail_id": mail_id,
    }
