"""Staff open the analytics dashboard in Chromium, in both languages, and axe finds nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from passerelle.accounts.models import Project, UserAccount
from passerelle.analytics.models import SearchEvent
from tests.browser.helpers import add_staff, axe_check, log_in

EMAIL = "analyst@example.org"
PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def staff_account(engine: Engine, catalogue_ids) -> str:
    """A staff account, a project and a few logged searches (gone with the catalogue)."""
    add_staff(engine, EMAIL, PASSWORD)
    with Session(engine) as session:
        owner = UserAccount(email="owner@example.org", password_hash="-")
        session.add(owner)
        session.flush()
        session.add(
            Project(owner_id=owner.id, name="Ferme", residence_country="FR", target_country="SN",
                    sector="agriculture", stage="startup", project_eur=40_000)
        )  # fmt: skip
        session.add_all(
            [
                SearchEvent(kind="match", country="NE", sector="creative", results=0,
                            query={"country": ["NE"], "sector": ["creative"]}),
                SearchEvent(kind="search", results=0, query={"q": "pisciculture"}),
            ]
        )  # fmt: skip
        session.commit()
    return EMAIL


def open_dashboard(new_page, lang: str, width: int = 1280):
    page = new_page("/account/login", lang=lang, width=width)
    log_in(page, EMAIL, PASSWORD)
    page.goto(f"/lang/{lang}?next=/staff/analytics")
    return page


@pytest.mark.parametrize(
    ("lang", "heading", "pair"),
    [
        ("en", "Analytics", "Niger · Culture, media & creative industries"),
        ("fr", "Statistiques", "Niger · Culture, médias et industries créatives"),
    ],
)
def test_staff_open_the_dashboard(new_page, staff_account, lang, heading, pair):
    page = open_dashboard(new_page, lang)
    assert page.get_by_role("heading", level=1).inner_text() == heading
    assert page.locator("html").get_attribute("lang") == lang
    chart = page.locator("#supply-demand svg[role=img]")
    assert chart.is_visible()
    assert pair in chart.text_content()
    rows = page.locator("#supply-demand tbody tr")
    assert rows.count() == 2  # Niger (a match request) and Senegal (the saved project)
    link = page.locator("#supply-demand a[download]")
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.startswith("passerelle-supply-demand-")


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("width", [1280, 360])
def test_dashboard_has_no_axe_violations(new_page, axe_source, staff_account, lang, width):
    page = open_dashboard(new_page, lang, width)
    assert page.url.endswith("/staff/analytics")
    axe_check(page, axe_source)
    # Nothing wider than the phone's screen but the tables, which scroll in their frame.
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
