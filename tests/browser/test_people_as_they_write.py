"""Aïssatou and Youssef in Chromium, on the demo catalogue, typing as people do on a phone."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from services_catalog.demo import load_demo

FAISE = "FAISE – ligne de crédit FSE pour les Sénégalais de l'extérieur"  # noqa: RUF001
DER_FJ = "DER/FJ – Fonds Diaspora pour Sénégalais de l'extérieur et de retour"  # noqa: RUF001


@pytest.fixture(scope="module")
def catalogue_ids(engine: Engine, empty_database) -> Iterator[dict[str, int]]:
    """The demo catalogue instead of the synthetic one, for this module."""
    with Session(engine) as session:
        load_demo(session)
        session.commit()
    yield {}
    empty_database()


def fill_profile(page, *, residence, country, sector, stage, project, description, funding=""):
    page.get_by_label("Pays où vous vivez").select_option(label=residence)
    page.get_by_label("Pays de votre projet").select_option(label=country)
    page.get_by_label("Secteur").select_option(sector)
    page.get_by_role("radio", name=stage, exact=True).check()
    page.get_by_role("checkbox", name="Diaspora à l'étranger").check()
    page.get_by_role("textbox", name="Montant total du projet").fill(project)
    page.get_by_role("textbox", name="Montant recherché").fill(funding)
    page.get_by_label("Décrivez votre projet").fill(description)
    page.get_by_role("button", name="Voir les offres pour mon projet").click()
    page.wait_for_url("**#answer")


def titles(section) -> list[str]:
    return section.locator("h3.card-title a").all_inner_texts()


def test_aissatou_is_told_about_creation_and_then_gets_the_loans_first(new_page):
    page = new_page("/find-support", lang="fr")
    fill_profile(
        page,
        residence="France",
        country="Sénégal",
        sector="agriculture",
        stage="Idée",
        project="15 000",
        funding="10 000",
        description="J'ai besoin d'un prêt et d'aide pour mon plan d'affaires",
    )
    hint = page.locator(".suggestions")
    assert "« Création »" in hint.inner_text()
    assert FAISE in titles(page.locator(".near-misses"))
    page.get_by_role("radio", name="Création", exact=True).check()
    page.get_by_role("button", name="Voir les offres pour mon projet").click()
    page.wait_for_url("**stage=startup**")
    assert titles(page.locator("#answer"))[:2] == [FAISE, DER_FJ]


def test_youssef_sees_the_offers_of_a_registered_company(new_page):
    page = new_page("/find-support", lang="fr")
    fill_profile(
        page,
        residence="Belgique",
        country="Maroc",
        sector="digital",
        stage="Création",
        project="80 000",
        description="besoin de 80 000 euros",
    )
    assert "En tant qu'entreprise immatriculée" in page.locator(".suggestions").inner_text()
    near = " ".join(titles(page.locator(".near-misses")))
    for name in ("Technopark", "Tamwilcom", "Afrikwity"):
        assert name in near, near
    first = page.locator("#answer article").first
    assert first.locator(".reasons").inner_text().startswith("Répond à votre besoin")
