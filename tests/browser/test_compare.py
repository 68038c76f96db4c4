"""Comparing offers in Chromium: tick two or three results, compare them side by side; on a
360 px phone the table scrolls sideways with its row headers kept in view; axe finds
nothing in either language; and the offer's share address reads from a phone."""

from __future__ import annotations

import re

import pytest

from tests.browser.helpers import axe_check
from tests.browser.test_find_support import STATES

PHONE = 360


def tick_and_compare(page, count: int) -> list[str]:
    """Tick "Compare" on the first `count` results and send; the titles ticked."""
    cards = page.locator(".offer-card").filter(has=page.get_by_role("checkbox"))
    titles = []
    for index in range(count):
        card = cards.nth(index)
        titles.append(card.locator(".card-title a").inner_text())
        card.get_by_role("checkbox").check()
    send = re.compile("Compare the ticked offers|Comparer les offres cochées")
    page.get_by_role("button", name=send).click()
    page.wait_for_url(re.compile(r"/compare\?offer=\d+"))
    return titles


@pytest.mark.parametrize(("source", "count"), [("/offers", 3), (STATES["results"], 2)])
def test_tick_results_and_compare_them(new_page, catalogue_ids, source, count):
    page = new_page(source)
    titles = tick_and_compare(page, count)
    table = page.get_by_role("table", name=f"{count} offers side by side")
    assert table.is_visible()
    headers = table.locator("thead th[scope=col]").all_inner_texts()
    assert [h.strip() for h in headers] == titles
    assert table.get_by_role("rowheader", name="Amount provided").is_visible()
    assert table.get_by_role("rowheader", name="Project countries").is_visible()


def test_a_fourth_offer_is_refused_with_the_limit(new_page, catalogue_ids):
    page = new_page("/offers")
    tick_and_compare(page, 4)
    summary = page.locator(".error-summary")
    assert summary.is_visible()
    assert "at most 3 can be compared at a time" in summary.inner_text()
    # The summary takes the focus, so that a screen reader reads it first.
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_on_a_phone_the_table_scrolls_sideways_and_keeps_its_row_headers(
    new_page, catalogue_ids, lang
):
    page = new_page("/offers", lang=lang, width=PHONE)
    tick_and_compare(page, 3)
    # The page itself does not scroll sideways: only the table's region does.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE
    region = page.locator(".compare-scroll")
    assert region.evaluate("r => r.scrollWidth > r.clientWidth")
    row_header = page.locator(".compare-table tbody th").first
    before = row_header.bounding_box()["x"]
    region.evaluate("r => { r.scrollLeft = r.scrollWidth; }")
    assert abs(row_header.bounding_box()["x"] - before) < 1
    # Readable: the row headers and the first offer's column both fit on the screen.
    assert row_header.bounding_box()["width"] <= 160
    first_cell = page.locator(".compare-table tbody tr").first.locator("td").first
    region.evaluate("r => { r.scrollLeft = 0; }")
    box = first_cell.bounding_box()
    assert box["x"] + box["width"] <= PHONE + 1


@pytest.mark.parametrize("width", [1280, PHONE])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_comparison_and_its_errors_pass_axe(new_page, axe_source, catalogue_ids, lang, width):
    page = new_page("/offers", lang=lang, width=width)
    tick_and_compare(page, 2)
    axe_check(page, axe_source)
    page.goto("/compare?offer=1&offer=2&offer=3&offer=4")
    axe_check(page, axe_source)
    page.goto("/compare?offer=999999")
    axe_check(page, axe_source)


def test_the_share_address_is_shown_whole_on_a_phone(new_page, catalogue_ids):
    page = new_page(f"/offers/{catalogue_ids['known']}", width=PHONE)
    address = page.get_by_label("Address of this offer")
    assert address.input_value().endswith(f"/offers/{catalogue_ids['known']}")
    assert address.get_attribute("readonly") is not None
    box = address.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE
    whatsapp = page.get_by_role("link", name=re.compile("Send on WhatsApp"))
    assert whatsapp.get_attribute("href").startswith("https://wa.me/?text=")
