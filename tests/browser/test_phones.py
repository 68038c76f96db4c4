"""A 360 px phone: a one-row header whose menu opens without script, filters before the
results, two results per screen; and form errors that take the focus."""

from __future__ import annotations

import re

import pytest

from tests.browser.test_find_support import STATES

PHONE = 360
SCREEN = 900  # the height new_page gives its viewport
PHONE_SCREEN = 800  # what a common phone shows below its browser bar


@pytest.fixture
def no_script_page(browser, base_url):
    """A phone browser with JavaScript switched off."""
    context = browser.new_context(
        base_url=base_url,
        java_script_enabled=False,
        locale="en",
        extra_http_headers={"Accept-Language": "en"},
        viewport={"width": PHONE, "height": SCREEN},
    )
    yield context.new_page()
    context.close()


def _height(page, selector: str) -> float:
    return page.locator(selector).first.bounding_box()["height"]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_header_keeps_to_one_row_on_a_phone(new_page, lang):
    page = new_page("/", lang=lang, width=PHONE)
    assert _height(page, ".site-header") <= 64
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE
    # On a desktop the menus sit in the header and the disclosure is not shown.
    wide = new_page("/", lang=lang, width=1280)
    assert wide.locator(".site-menu").is_hidden()
    assert wide.get_by_role("navigation", name=re.compile("Main menu|Menu principal")).is_visible()


def test_the_phone_menu_opens_without_javascript(no_script_page):
    page = no_script_page
    page.goto("/")
    offers = page.get_by_role("link", name="Offers", exact=True)
    assert offers.is_hidden()
    page.get_by_text("Menu", exact=True).click()
    assert page.get_by_role("link", name="Log in").is_visible()
    offers.click()
    page.wait_for_url(re.compile(r"/offers$"))


def test_the_filters_come_before_the_results_on_a_phone(new_page, catalogue_ids):
    page = new_page("/offers", width=PHONE)
    filters = page.locator(".filters").bounding_box()
    first_card = page.locator(".offer-card").first.bounding_box()
    assert filters["y"] < first_card["y"]
    assert filters["height"] < 80  # folded: one line
    assert first_card["y"] < SCREEN  # a result shows on the first screen
    page.get_by_role("heading", name="Refine").click()
    page.get_by_role("checkbox", name=re.compile("^Financing")).check()
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"kind=financing"))
    # On a desktop the filters are unfolded beside the results.
    wide = new_page("/offers", width=1280)
    assert wide.get_by_role("button", name="Apply filters").is_visible()
    beside = wide.locator(".filters").bounding_box()
    assert beside["x"] > wide.locator(".results").bounding_box()["x"]


def test_a_phone_shows_two_results_per_screen(new_page, catalogue_ids):
    page = new_page(STATES["results"], width=PHONE)
    cards = page.locator(".match-card")
    assert cards.count() >= 2
    heights = [cards.nth(i).bounding_box()["height"] for i in range(min(cards.count(), 6))]
    assert sum(heights) / len(heights) <= PHONE_SCREEN / 2, heights
    first = cards.first
    assert first.locator(".card-amount").is_visible() or first.locator(".timing").is_visible()


@pytest.mark.parametrize("width", [PHONE, 1280])
def test_a_form_with_errors_moves_the_focus_to_its_summary(new_page, width):
    page = new_page("/account/signup", width=width)
    page.locator("main form button[type=submit]").click()
    summary = page.get_by_role("alert")
    summary.wait_for()
    assert page.evaluate("document.activeElement.className") == "error-summary"
    summary.get_by_role("link", name=re.compile("^E-mail address")).click()
    assert page.evaluate("document.activeElement.id") == "email"
    assert page.get_by_label("E-mail address").get_attribute("aria-invalid") == "true"
