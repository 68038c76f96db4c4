"""axe-core on every page of every space, in both languages.

The pages are the application's GET routes: each is in `PAGES` (tests/pages.py) with the
account that sees it (its path parameters filled from one sample of each kind), or in
`NOT_PAGES` with the reason it is no page; a new route in neither fails
`test_every_get_route_is_listed`.
"""

from __future__ import annotations

import httpx
import pytest

from passerelle.app import create_app
from tests.accounts.conftest import Browser
from tests.browser.helpers import PASSWORD, SAMPLES_SECRET, axe_violations, describe, log_in
from tests.pages import (
    EMAILS,
    ENTREPRENEUR,
    NOT_PAGES,
    PAGES,
    PROVIDER,
    STAFF,
    VISITOR,
    get_routes,
    make_samples,
)


def test_every_get_route_is_listed(settings):
    routes = get_routes(create_app(settings)) - {"/static"}
    assert sorted(routes - PAGES.keys() - NOT_PAGES.keys()) == [], "add them to PAGES"
    assert sorted((PAGES.keys() | NOT_PAGES.keys()) - routes) == [], "routes that are gone"


@pytest.fixture(scope="module")
def samples(base_url, engine, catalogue_ids) -> dict[str, object]:
    with (
        httpx.Client(base_url=base_url) as provider_client,
        httpx.Client(base_url=base_url) as entrepreneur_client,
    ):
        return make_samples(
            engine,
            Browser(provider_client),
            Browser(entrepreneur_client),
            secret=SAMPLES_SECRET,
        )


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
