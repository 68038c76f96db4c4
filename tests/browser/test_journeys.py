"""What a visitor does, in Chromium: search, filter, unfilter, switch language, open an offer."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit


def query(page) -> dict[str, list[str]]:
    """The filters in the page's address (the sort menu always sends its choice)."""
    found = parse_qs(urlsplit(page.url).query)
    if found.get("sort") == ["relevance"]:
        del found["sort"]
    return found


def results_count(page) -> int:
    return int(re.sub(r"\D", "", page.locator("#results-heading").inner_text()))


def test_search_from_the_home_page(new_page):
    page = new_page("/")
    page.get_by_label("What are you looking for?").fill("Sénégal")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/offers\?q="))
    assert query(page)["q"] == ["Sénégal"]
    assert page.get_by_role("link", name="Prêt d'honneur solidaire Sénégal").is_visible()


def test_apply_and_remove_facets(new_page):
    page = new_page("/offers")
    everything = results_count(page)
    page.get_by_role("checkbox", name=re.compile("^Financing offer")).check()
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"kind=financing"))
    financing = results_count(page)
    assert 0 < financing < everything

    page.locator("summary", has_text="Sector").click()  # a closed group opens
    page.get_by_role("checkbox", name=re.compile("^Agriculture")).check()
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"sector=agriculture"))
    assert query(page) == {"kind": ["financing"], "sector": ["agriculture"]}
    assert results_count(page) <= financing

    # Chips remove one filter at a time; the back button brings it back.
    page.get_by_role("link", name=re.compile("Support or financing: Financing offer")).click()
    page.wait_for_url(lambda url: "kind=" not in url)
    assert query(page) == {"sector": ["agriculture"]}
    page.go_back()
    page.wait_for_url(re.compile(r"kind=financing"))
    assert page.get_by_role("checkbox", name=re.compile("^Financing offer")).is_checked()


def test_sort_and_page_through_results(new_page):
    page = new_page("/offers")
    page.get_by_label("Sort by").select_option("deadline")
    page.get_by_role("button", name="Sort", exact=True).click()
    page.wait_for_url(re.compile(r"sort=deadline"))
    page.get_by_role("navigation", name="Pages of results").get_by_role("link", name="Next").click()
    page.wait_for_url(re.compile(r"page=2"))
    assert query(page)["sort"] == ["deadline"]
    assert page.locator(".results-range").inner_text().startswith("Showing 21")


def test_switch_language_and_stay_on_the_page(new_page):
    page = new_page("/offers?sector=digital", lang="en")
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_role("navigation", name="Language").get_by_role("link", name="Français").click()
    page.wait_for_url(re.compile(r"/offers\?sector=digital$"))
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Trouver un accompagnement ou un financement"
    )
    # The choice is remembered over the browser's own language.
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "fr"


def test_open_an_offer_from_the_results(new_page):
    page = new_page("/offers?q=honneur", lang="fr")
    page.get_by_role("link", name="Prêt d'honneur solidaire Sénégal").click()
    page.wait_for_url(re.compile(r"/offers/\d+$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Prêt d'honneur solidaire Sénégal"
    assert page.get_by_text("Ouvert jusqu'au 15 janvier 2099").is_visible()
    source = page.get_by_role("link", name=re.compile("Voir la page officielle"))
    assert source.get_attribute("href") == "https://example.org/pret"
    assert "noopener" in source.get_attribute("rel")


def test_the_skip_link_comes_first_and_leads_to_the_content(new_page):
    page = new_page("/offers")
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    assert skip.inner_text() == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_pages_fit_a_small_phone(new_page, catalogue_ids):
    for path in ("/", "/offers", f"/offers/{catalogue_ids['known']}", "/organizations"):
        for lang in ("fr", "en"):
            page = new_page(path, lang=lang, width=360)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 360, f"{path} ({lang}) is {width}px wide at 360px"
