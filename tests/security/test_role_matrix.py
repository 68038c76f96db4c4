"""Every route by every role, allowed or denied, as one table (`ACCESS`).

The routes come from the application itself: a route missing from the table, or a table
entry for a route that is gone, fails the test. Each route is requested by each role with a
valid CSRF token and the path filled with one sample of each kind, all owned by the
entrepreneur and by organisation A (whose member is the provider): so the other
entrepreneur and the provider of another organisation check the object-level rules. The API
is called with each role's personal token, with no token, and with a session cookie alone.

Denied is 401, 403, 404 or a redirect to the login page; allowed is any other answer
below 500 (a form error is an allowed request with bad data). Routes that end a session or
destroy a sample run last, in the order of `LAST`.
"""

from __future__ import annotations

import re
from collections import Counter

from fastapi.routing import iter_route_contexts
from sqlalchemy import select
from sqlmodel import Session

from passerelle.accounts.models import ApiToken, UserAccount
from passerelle.app import create_app
from passerelle.deadlines import service as calendar_feeds
from tests.accounts.conftest import CSRF, HONOUR_LOAN
from tests.pages import OFFER, STAFF, VISITOR
from tests.security.conftest import (
    BYSTANDER,
    COUNTS,
    ENTREPRENEUR,
    OTHER_ENTREPRENEUR,
    OTHER_PROVIDER,
    PROVIDER,
    ROLES,
)

EVERYONE = frozenset(ROLES)
SIGNED_IN = EVERYONE - {VISITOR}
OWNER = frozenset({ENTREPRENEUR})
PROVIDERS = frozenset({PROVIDER, OTHER_PROVIDER, STAFF})
MEMBER = frozenset({PROVIDER, STAFF})
ONLY_STAFF = frozenset({STAFF})
NOBODY = frozenset()
# The API's callers: each role's token, no token at all, and staff's session cookie alone
# (a cookie must never authenticate an API write).
COOKIE_ONLY = "staff cookie, no token"
API_CALLERS = (*ROLES, COOKIE_ONLY)

# The staff space: staff only.
STAFF_ROUTES = (
    ("GET", "/staff"),
    ("GET", "/staff/review"),
    ("GET", "/staff/offers"),
    ("GET", "/staff/offers/{offer_id}/edit"),
    ("GET", "/staff/organizations"),
    ("GET", "/staff/organizations/{organization_id}/members"),
    ("GET", "/staff/users"),
    ("GET", "/staff/import"),
    ("GET", "/staff/audit"),
    ("GET", "/staff/analytics"),
    ("GET", "/staff/analytics/{section}.csv"),
    ("GET", "/staff/export/{fmt}"),
    ("POST", "/staff/review/{offer_id}/approve"),
    ("POST", "/staff/review/{offer_id}/reject"),
    ("POST", "/staff/review/{offer_id}/accept-suggestion"),
    ("POST", "/staff/review/several"),
    ("POST", "/staff/offers/{offer_id}/edit"),
    ("POST", "/staff/offers/{offer_id}/archive"),
    ("POST", "/staff/organizations/{organization_id}/verify"),
    ("POST", "/staff/organizations/{organization_id}/rename"),
    ("POST", "/staff/organizations/{organization_id}/members"),
    ("POST", "/staff/organizations/{organization_id}/members/{user_id}/remove"),
    ("POST", "/staff/users/{user_id}/role"),
    ("POST", "/staff/users/{user_id}/active"),
    ("POST", "/staff/import"),
    ("POST", "/staff/classifier/retrain"),
    ("GET", "/staff/mail"),
    ("POST", "/staff/mail/{mail_id}/retry"),
)
PAGE_AND_API_READS = {
    ("GET", path): EVERYONE
    for path in (
        "/", "/offers", "/offers/{offer_id}", "/organizations", "/organizations/{organization_id}",
        "/find-support", "/lang/{code}", "/healthz", "/livez", "/readyz", "/openapi.json",
        "/docs", "/redoc", "/metrics", "/legal-notice", "/privacy", "/accessibility", "/contact",
        "/account/signup", "/account/login", "/account/password-reset",
        "/account/password-reset/{token}",
        # Calendars: an offer's dates; a feed whose secret address is its only key.
        "/offers/{offer_id}/calendar.ics", "/calendar/{secret}.ics",
        # The freshness mail's page: its signed link, not an account, decides.
        "/offers/{offer_id}/still-accurate",
        "/compare",
    )
} | {
    ("GET", f"/api/v1/{path}"): frozenset(API_CALLERS)
    for path in ("taxonomy", "offers", "offers/{offer_id}", "organizations",
                 "organizations/{organization_id}")
}  # fmt: skip
ACCESS: dict[tuple[str, str], frozenset[str]] = (
    PAGE_AND_API_READS
    | {
        ("POST", "/account/signup"): EVERYONE,
        ("POST", "/account/login"): EVERYONE,
        ("POST", "/account/logout"): EVERYONE,
        ("POST", "/account/password-reset"): EVERYONE,
        ("POST", "/account/password-reset/{token}"): EVERYONE,
        ("POST", "/offers/{offer_id}/still-accurate"): EVERYONE,
        ("POST", "/api/v1/match"): frozenset(API_CALLERS),
        ("POST", "/api/v1/classify"): frozenset(API_CALLERS),
        # API writes: a token of a provider (for its own organisation) or of staff.
        ("POST", "/api/v1/offers"): MEMBER,
        ("PUT", "/api/v1/offers/{offer_id}"): MEMBER,
        ("POST", "/api/v1/offers/{offer_id}/submit"): MEMBER,
        ("POST", "/api/v1/offers/{offer_id}/approve"): ONLY_STAFF,
        ("POST", "/api/v1/offers/{offer_id}/reject"): ONLY_STAFF,
        # Any account's own space.
        ("GET", "/me"): SIGNED_IN,
        ("GET", "/me/account"): SIGNED_IN,
        ("GET", "/me/account/delete"): SIGNED_IN,
        ("GET", "/me/data.json"): SIGNED_IN,
        ("POST", "/me/account/delete"): SIGNED_IN,
        ("POST", "/me/account/password"): SIGNED_IN,
        ("POST", "/me/account/profile"): SIGNED_IN,
        ("POST", "/me/account/sign-out-everywhere"): SIGNED_IN,
        ("POST", "/me/account/tokens"): SIGNED_IN,
        ("POST", "/me/account/tokens/{token_id}/revoke"): frozenset({PROVIDER}),  # its owner
        # Entrepreneurs; a project or a request only by the one who made it.
        ("GET", "/me/bookmarks"): frozenset({ENTREPRENEUR, OTHER_ENTREPRENEUR}),
        ("POST", "/me/bookmarks/{offer_id}"): frozenset({ENTREPRENEUR, OTHER_ENTREPRENEUR}),
        ("POST", "/me/bookmarks/{offer_id}/remove"): frozenset({ENTREPRENEUR, OTHER_ENTREPRENEUR}),
        ("GET", "/me/calendar"): frozenset({ENTREPRENEUR, OTHER_ENTREPRENEUR}),
        ("POST", "/me/calendar"): frozenset({ENTREPRENEUR, OTHER_ENTREPRENEUR}),
        ("POST", "/me/calendar/revoke"): frozenset({ENTREPRENEUR, OTHER_ENTREPRENEUR}),
        ("GET", "/me/projects/new"): frozenset({ENTREPRENEUR, OTHER_ENTREPRENEUR}),
        ("GET", "/me/projects/latest"): frozenset({ENTREPRENEUR, OTHER_ENTREPRENEUR}),
        ("POST", "/me/projects/new"): frozenset({ENTREPRENEUR, OTHER_ENTREPRENEUR}),
        ("GET", "/offers/{offer_id}/interest"): frozenset({ENTREPRENEUR, OTHER_ENTREPRENEUR}),
        ("POST", "/offers/{offer_id}/interest"): frozenset({ENTREPRENEUR, OTHER_ENTREPRENEUR}),
        ("GET", "/me/requests"): frozenset({ENTREPRENEUR, OTHER_ENTREPRENEUR}),
        ("GET", "/me/projects/{project_id}"): OWNER,
        ("GET", "/me/projects/{project_id}/edit"): OWNER,
        ("POST", "/me/projects/{project_id}/edit"): OWNER,
        ("POST", "/me/projects/{project_id}/delete"): OWNER,
        ("GET", "/me/requests/{request_id}"): OWNER,
        ("POST", "/me/requests/{request_id}/close"): OWNER,
        # Alerts: saved searches and "My alerts" for entrepreneurs, an alert by its owner;
        # the unsubscribe link by whoever holds it (its signed token is the authority).
        ("POST", "/me/searches"): frozenset({ENTREPRENEUR, OTHER_ENTREPRENEUR}),
        ("GET", "/me/alerts"): frozenset({ENTREPRENEUR, OTHER_ENTREPRENEUR}),
        ("POST", "/me/alerts/{alert_id}/frequency"): OWNER,
        ("POST", "/me/alerts/{alert_id}/delete"): OWNER,
        ("GET", "/alerts/unsubscribe/{alert_token}"): EVERYONE,
        ("POST", "/alerts/unsubscribe/{alert_token}"): EVERYONE,
        # Providers; organisation A's things only by its member (and staff).
        ("GET", "/provider"): PROVIDERS,
        ("GET", "/provider/inbox"): PROVIDERS,
        ("GET", "/provider/organizations/new"): PROVIDERS,
        ("POST", "/provider/organizations/new"): PROVIDERS,
        ("GET", "/provider/organizations/{organization_id}"): MEMBER,
        ("GET", "/provider/organizations/{organization_id}/inbox"): MEMBER,
        ("GET", "/provider/organizations/{organization_id}/profile"): MEMBER,
        ("POST", "/provider/organizations/{organization_id}/profile"): MEMBER,
        ("GET", "/provider/organizations/{organization_id}/offers/new"): MEMBER,
        ("POST", "/provider/organizations/{organization_id}/offers/new"): MEMBER,
        ("GET", "/provider/offers/{offer_id}/edit"): MEMBER,
        ("POST", "/provider/offers/{offer_id}/edit"): MEMBER,
        ("POST", "/provider/offers/{offer_id}/submit"): MEMBER,
        ("POST", "/provider/offers/{offer_id}/confirm"): MEMBER,
        ("POST", "/provider/offers/{offer_id}/archive"): MEMBER,
        ("GET", "/provider/requests/{request_id}"): MEMBER,
        ("POST", "/provider/requests/{request_id}/reply"): MEMBER,
        ("POST", "/provider/requests/{request_id}/close"): MEMBER,
    }
    | dict.fromkeys(STAFF_ROUTES, ONLY_STAFF)
)
# Routes that close, archive or remove a sample or end a session: after all the others.
LAST = (
    "/me/requests/{request_id}/close",
    "/provider/requests/{request_id}/close",
    "/me/projects/{project_id}/delete",
    "/provider/offers/{offer_id}/archive",
    "/staff/offers/{offer_id}/archive",
    "/staff/organizations/{organization_id}/members/{user_id}/remove",
    "/me/account/sign-out-everywhere",
    "/account/logout",
)
# An API write's body: a valid offer of organisation A, so that only the caller decides.
API_OFFER = {**HONOUR_LOAN, "id": "matrix-offer", "organization": "Fonds Pages"}
REJECTION = {"reason": "Il manque le montant du prêt."}


def route_keys(app) -> set[tuple[str, str]]:
    """(method, path) of every route the application answers, HEAD and mounts aside."""
    return {
        (method, route.path_format)
        for route in iter_route_contexts(app.routes)
        for method in route.methods or ()
        if method != "HEAD"
    }


def _in_order(keys: set[tuple[str, str]]) -> list[tuple[str, str]]:
    """Reads first, then writes, then the routes of `LAST` in their order."""
    last = {path: place for place, path in enumerate(LAST)}
    return sorted(keys, key=lambda key: (last.get(key[1], -1), key[0] != "GET", key))


def _path_values(cast, db, path: str) -> dict[str, object]:
    """The samples by path parameter: the token is the provider's; the user is organisation
    A's member when removed from it, else an account no role of the matrix uses (staff
    deactivate it)."""
    with Session(db) as session:
        token_id = session.scalar(select(ApiToken.id).where(ApiToken.name == "import script"))
        email = cast.emails[PROVIDER] if path.endswith("/remove") else BYSTANDER
        user_id = session.scalar(select(UserAccount.id).where(UserAccount.email == email))
        secret = _feed_secret(cast, session) if "{secret}" in path else ""
    return {**cast.samples, "token_id": token_id, "user_id": user_id, "fmt": "csv",
            "secret": secret, "section": "supply-demand", "code": "fr"}  # fmt: skip


def _feed_secret(cast, session: Session) -> str:
    """A live calendar address of the entrepreneur's, made anew for each request."""
    owner = session.scalar(
        select(UserAccount).where(UserAccount.email == cast.emails[ENTREPRENEUR])
    )
    secret = calendar_feeds.new_feed_token(session, owner)
    session.commit()
    return secret


def _signed_in(client) -> bool:
    return client.get("/me", follow_redirects=False).status_code == 200


def _call_api(cast, caller: str, method: str, path: str):
    client = cast.clients[STAFF if caller == COOKIE_ONLY else caller]
    headers = {}
    if caller in cast.tokens:
        headers["Authorization"] = f"Bearer {cast.tokens[caller]}"
    if method == "GET":
        return client.get(path, headers=headers)
    body = REJECTION if path.endswith("/reject") else API_OFFER
    return client.request(method, path, json=body, headers=headers)


def _allowed(cast, role: str, method: str, path: str) -> bool:
    """Whether `role` may take this route: the request is sent and its answer read."""
    if path.startswith("/api/"):
        response = _call_api(cast, role, method, path)
        assert response.status_code < 500, f"{role} {method} {path}: {response.text[-2000:]}"
        return response.status_code not in (401, 403, 404)
    client = cast.clients[role]
    if method == "GET":
        response = client.get(path, follow_redirects=False)
    else:
        page = "/account/login" if role == VISITOR else "/me/account"
        token = CSRF.search(client.get(page).text).group(1)
        response = client.post(path, data={"csrf_token": token}, follow_redirects=False)
    assert response.status_code < 500, f"{role} {method} {path}: {response.text[-2000:]}"
    if response.status_code in (401, 403, 404):
        return False
    if not re.match(r"/account/login\b", response.headers.get("location", "")):
        return True
    # Sent to the login page: refused, unless the route itself ended the session.
    if role == VISITOR or _signed_in(client):
        return False
    cast.log_in(role)
    return True


def test_every_route_and_role_is_allowed_or_denied_as_listed(cast, db, settings):
    app = create_app(settings, engine=db)
    routes = route_keys(app)
    assert sorted(routes - ACCESS.keys()) == [], "add these routes to ACCESS"
    assert sorted(ACCESS.keys() - routes) == [], "these routes are gone from the application"
    wrong, counts = [], Counter()
    for method, path in _in_order(routes):
        for role in API_CALLERS if path.startswith("/api/") else ROLES:
            expected = role in ACCESS[method, path]
            counts["requests"] += 1
            counts["forbidden accesses tried"] += not expected
            if (
                _allowed(cast, role, method, path.format(**_path_values(cast, db, path)))
                != expected
            ):
                wrong.append(f"{method} {path} by {role}: {'denied' if expected else 'ALLOWED'}")
    COUNTS["role matrix"] = counts
    assert not wrong, "\n".join(wrong)


def test_no_account_downloads_anothers_data(cast):
    """The data download is the account's own: nothing of the entrepreneur's in another's."""
    mine = cast.clients[ENTREPRENEUR].get("/me/data.json")
    theirs = cast.clients[OTHER_ENTREPRENEUR].get("/me/data.json")
    assert cast.emails[ENTREPRENEUR] in mine.text and OFFER["title"] not in theirs.text
    for sample in (cast.emails[ENTREPRENEUR], "Ferme avicole", "mon projet est-il éligible"):
        assert sample not in theirs.text
