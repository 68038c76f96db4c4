"""axe-core finds no accessibility violation on the main pages, in both languages."""

from __future__ import annotations

import pytest

from tests.browser.helpers import axe_check

PAGES = (
    "/",
    "/offers",
    "/offers?kind=financing&sector=agriculture",
    "/offers?q=solidiare",  # nothing found: "did you mean"
    "known-offer",
    "/nowhere",
)


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("width", [1280, 360])
def test_no_axe_violations(new_page, axe_source, catalogue_ids, path, lang, width):
    if path == "known-offer":
        path = f"/offers/{catalogue_ids['known']}"
    page = new_page(path, lang=lang, width=width)
    axe_check(page, axe_source)


def test_open_facets_are_still_accessible(new_page, axe_source):
    """With every facet group opened, the checkboxes and lists pass too."""
    page = new_page("/offers?country=SN", lang="fr")
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    axe_check(page, axe_source)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_words_read_as_filter_chips_are_accessible(new_page, axe_source, lang):
    """A search naming a country and financing shows chips; they and their links pass."""
    page = new_page("/offers?q=financement+Maroc+poulet", lang=lang)
    chips = page.locator("a.chip")
    assert chips.count() == 3  # country, kind and the keyword left over
    axe_check(page, axe_source)
    page.locator("a.chip", has_text="poulet").click()  # removing a chip is a plain link
    page.wait_for_load_state()
    assert page.locator("a.chip").count() == 2
    assert page.locator("#q").input_value() == ""
