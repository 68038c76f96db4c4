"""Trust signals on the public pages: verified or not, and when the offer was last checked."""

from __future__ import annotations

import html
import re

from services_catalog.models import Offer, Organization

FR = {"Accept-Language": "fr-FR,fr;q=0.9"}
EN = {"Accept-Language": "en-GB,en;q=0.9"}


def text(response) -> str:
    return re.sub(r"[\u00a0\u202f]", " ", html.unescape(response.text))


def _organization_of(session, offer_id: int) -> Organization:
    return session.get(Offer, offer_id).organization


def test_an_unverified_organisation_is_marked_on_its_offers_and_its_page(
    client, session, site_catalogue
):
    offer_id = site_catalogue["web-honour-loan"]
    organization = _organization_of(session, offer_id)
    assert not organization.verified
    offer_page = text(client.get(f"/offers/{offer_id}", headers=FR))
    header = offer_page[offer_page.index('class="offer-provider"') :].split("</p>")[0]
    assert "Organisme non vérifié par Passerelle" in header
    assert "Organisme vérifié" not in offer_page
    org_page = text(client.get(f"/organizations/{organization.id}", headers=EN))
    assert "Organisation not verified by Passerelle" in org_page


def test_a_verified_organisation_carries_its_badge(client, session, site_catalogue):
    offer_id = site_catalogue["web-honour-loan"]
    organization = _organization_of(session, offer_id)
    organization.verified = True
    session.commit()
    offer_page = text(client.get(f"/offers/{offer_id}", headers=FR))
    assert 'class="badge badge-verified"' in offer_page and "Organisme vérifié" in offer_page
    assert "non vérifié" not in offer_page
    listing = text(client.get("/organizations", headers=EN))
    assert "Verified organisation" in listing


def test_the_offer_says_when_it_was_last_checked(client, session, site_catalogue):
    offer_id = site_catalogue["web-honour-loan"]
    page = text(client.get(f"/offers/{offer_id}", headers=FR))
    facts = page[page.index("Dernière vérification") :]
    assert '<time datetime="2026-03-02">2 mars 2026</time>' in facts.split("</div>")[0]
    session.get(Offer, offer_id).last_verified_on = None
    session.commit()
    page = text(client.get(f"/offers/{offer_id}", headers=EN))
    assert "Never verified" in page[page.index("Last verified") :].split("</div>")[0]
