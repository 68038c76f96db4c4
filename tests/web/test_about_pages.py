"""The footer's pages in both languages, and a home page that says what exists today."""

from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient

from passerelle.app import create_app

FR = {"Accept-Language": "fr-FR,fr;q=0.9"}
EN = {"Accept-Language": "en-GB,en;q=0.9"}


def text(response) -> str:
    return re.sub(r"[\u00a0\u202f]", " ", html.unescape(response.text))


def footer_links(page: str) -> dict[str, str]:
    footer = page[page.index('<footer class="site-footer">') :]
    return {label: href for href, label in re.findall(r'<a href="([^"]+)">([^<]+)</a>', footer)}


@pytest.mark.parametrize(
    ("headers", "titles"),
    [
        (
            FR,
            ["Mentions légales", "Données personnelles", "Déclaration d'accessibilité", "Contact"],
        ),
        (EN, ["Legal notice", "Privacy notice", "Accessibility statement", "Contact"]),
    ],
)
def test_every_page_links_to_the_four_footer_pages(client, headers, titles):
    links = footer_links(text(client.get("/offers", headers=headers)))
    assert list(links) == titles
    for title, href in links.items():
        page = text(client.get(href, headers=headers))
        assert f"<h1>{title}</h1>" in page, href


def test_the_privacy_notice_says_what_is_kept_and_links_to_the_rights(client):
    page = text(client.get("/privacy", headers=FR))
    for heading in ("Pourquoi", "Combien de temps", "Qui les voit"):
        assert f"<dt>{heading}</dt>" in page
    assert "Jusqu'à la suppression du compte" in page and "1 heure" in page
    assert 'href="/me/data.json"' in page and 'href="/me/account/delete"' in page
    assert "CNIL" in page


def test_the_accessibility_statement_gives_status_tests_and_how_to_report(client):
    page = text(client.get("/accessibility", headers=EN))
    assert "partially conformant" in page and "WCAG) 2.1, level AA" in page
    assert "axe-core" in page and "360 pixels" in page
    assert "Report a problem" in page


def test_without_a_contact_address_the_pages_say_so(client):
    page = text(client.get("/contact", headers=EN))
    assert "has not published a contact address yet" in page
    assert "mailto:" not in page


def test_the_contact_address_and_publisher_come_from_the_settings(db, settings):
    configured = settings.model_copy(
        update={"contact_email": "bonjour@passerelle.example", "publisher": "Association Pont"}
    )
    with TestClient(create_app(configured, engine=db)) as client:
        legal = text(client.get("/legal-notice", headers=FR))
        assert "Ce site est édité par Association Pont." in legal
        assert 'href="mailto:bonjour@passerelle.example"' in legal
        assert 'href="mailto:bonjour@passerelle.example"' in text(client.get("/contact"))


@pytest.mark.parametrize("headers", [FR, EN])
def test_the_home_page_describes_today_and_has_a_provider_entry(client, headers):
    page = text(client.get("/", headers=headers))
    assert "préparation" not in page and "on its way" not in page and "will have" not in page
    entry = re.search(r'<a class="button button-secondary" href="([^"]+)">', page).group(1)
    assert entry == "/account/signup?as=provider"
    signup = text(client.get(entry, headers=headers))
    provider_box = r'id="account_type-provider" name="account_type" value="provider" checked'
    assert re.search(provider_box, signup)
