"""The API documentation pages render in Chromium with the outside world cut off, under a
policy that allows only the platform's own scripts."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

# What the pages must work under: nothing from outside, no inline script. Both pages set
# styles from their scripts, which needs 'unsafe-inline' for styles only.
POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; worker-src 'self' blob:"
)
# ReDoc shows the Redocly logo from its CDN and drops it when it cannot load.
REDOC_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"


@pytest.fixture
def offline_page(browser, base_url):
    """A page that can reach only the platform; what it asked elsewhere is listed."""
    context = browser.new_context(base_url=base_url)
    outside: list[str] = []
    platform = urlsplit(base_url).netloc

    def only_the_platform(route):
        if urlsplit(route.request.url).netloc != platform:
            outside.append(route.request.url)
            route.abort()
        elif route.request.resource_type == "document":
            response = route.fetch()
            headers = {**response.headers, "content-security-policy": POLICY}
            route.fulfill(response=response, headers=headers)
        else:
            route.continue_()

    context.route("**/*", only_the_platform)
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    yield page, outside, errors
    context.close()


def test_swagger_ui_lists_the_operations_offline(offline_page):
    page, outside, errors = offline_page
    page.goto("/docs")
    page.locator(".opblock-summary-path", has_text="/api/v1/offers").first.wait_for()
    assert outside == [] and errors == []


def test_redoc_lists_the_operations_offline(offline_page):
    page, outside, errors = offline_page
    page.goto("/redoc")
    page.get_by_text("/api/v1/offers", exact=False).first.wait_for(state="attached")
    assert outside == [] and [e for e in errors if REDOC_LOGO not in e] == []
