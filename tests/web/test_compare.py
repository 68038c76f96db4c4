"""Offers side by side (`/compare`), chosen from results and bookmarks, and the offer's
share link: what the pages say, and the clear errors for a choice that cannot be shown."""

from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient

from passerelle.app import create_app
from tests.forms import page_form

FR = {"Accept-Language": "fr-FR,fr;q=0.9"}
EN = {"Accept-Language": "en-GB,en;q=0.9"}


def text(response) -> str:
    """The page's text with its markup and entities read, no-break spaces as spaces."""
    words = re.sub(r"<[^>]+>", " ", html.unescape(response.text))
    return " ".join(re.sub(r"[\u00a0\u202f]", " ", words).split())


def compare(client, *ids, headers=EN):
    return client.get("/compare", params=[("offer", str(i)) for i in ids], headers=headers)


def test_two_offers_side_by_side_with_amounts_eligibility_window_and_provider(
    client, site_catalogue
):
    loan, grant = site_catalogue["web-honour-loan"], site_catalogue["web-open-grant"]
    page = compare(client, loan, grant)
    assert page.status_code == 200
    shown = text(page)
    assert "2 offers side by side" in shown
    assert "From €5,000 to €30,000" in shown and "Up to €15,000" in shown
    assert "Open until 15 January 2099" in shown and "Rolling: apply at any time" in shown
    # Each criterion's cell says what it admits; its row header names the criterion.
    assert (
        "<td>Senegal or Mali</td>" in page.text and "<td>Projects in any country</td>" in page.text
    )
    assert (
        "<td>Association (incl. diaspora / migrants&#39; solidarity organisations)</td>"
        in page.text
    )
    assert "Applicants: Association" not in shown
    assert "Initiative Diaspora" in shown and "Fonds Solidarité" in shown
    assert "Organisation not verified by Passerelle" in shown
    # Accessible table: offers as column headers, criteria as row headers.
    assert page.text.count('<th scope="col">') == 2
    assert '<th scope="row">Project countries</th>' in page.text
    assert shown.index("Prêt d'honneur Diaspora Sénégal") < shown.index("Diaspora solidarity grant")


def test_the_comparison_speaks_french(client, site_catalogue):
    loan, incubator = site_catalogue["web-honour-loan"], site_catalogue["web-incubator"]
    page = compare(client, loan, incubator, headers=FR)
    shown = text(page)
    assert "2 offres côte à côte" in shown
    assert "De 5 000 € à 30 000 €" in shown
    assert "Ouverture le 1 juin 2098, clôture le 30 septembre 2098" in shown
    assert '<th scope="row">Pays du projet</th>' in page.text


def test_more_than_three_offers_is_refused_naming_the_limit(client, site_catalogue):
    ids = [site_catalogue[key] for key in ("web-honour-loan", "web-incubator", "web-open-grant")]
    page = compare(client, *ids, 999)
    assert page.status_code == 400
    assert "You chose 4 offers: at most 3 can be compared at a time." in text(page)
    assert "<table" not in page.text
    french = compare(client, *ids, 999, headers=FR)
    assert "Vous avez choisi 4 offres : 3 au plus peuvent être comparées à la fois." in text(french)


def test_the_same_offer_twice_counts_once(client, site_catalogue):
    ids = [site_catalogue[key] for key in ("web-honour-loan", "web-incubator", "web-open-grant")]
    page = compare(client, *ids, ids[0])
    assert page.status_code == 200
    assert page.text.count('<th scope="col">') == 3


def test_unknown_and_unpublished_offers_are_named_and_the_others_offered(client, site_catalogue):
    loan, pending = site_catalogue["web-honour-loan"], site_catalogue["web-pending"]
    page = compare(client, loan, pending, 2_000_000)
    assert page.status_code == 404
    shown = text(page)
    assert f"These offers are not published, or no longer: {pending}, 2000000." in shown
    assert "Offre en attente de validation" not in shown
    assert f'href="/compare?offer={loan}"' in page.text
    assert "Compare the offer that is still published" in shown


@pytest.mark.parametrize("value", ["abc", "-3", "0", "1.5", "99999999999", "", "12<script>"])
def test_a_value_that_is_no_offer_number_is_a_clear_error(client, site_catalogue, value):
    page = compare(client, site_catalogue["web-honour-loan"], value)
    assert page.status_code == 400
    assert "is not an offer number" in text(page)
    assert "<script>" not in page.text


def test_without_a_choice_the_page_says_how_to_compare(client, site_catalogue):
    page = client.get("/compare", headers=EN)
    assert page.status_code == 200
    assert "Tick “Compare” on two or three offers" in text(page)
    one = compare(client, site_catalogue["web-incubator"])
    assert one.status_code == 200 and "Only one offer is chosen" in text(one)


def test_the_browse_results_compare_form_sends_the_ticked_offers(client, site_catalogue):
    page = client.get("/offers", headers=EN)
    form = page_form(page, action="/compare")
    assert form.method == "GET"
    # The boxes belong to the compare form, not to the filters around them.
    assert "offer" not in {c.name for c in page_form(page, action="/offers").controls}
    chosen = [str(site_catalogue["web-honour-loan"]), str(site_catalogue["web-open-grant"])]
    answer = form.fill(offer=chosen).submit(client, headers=EN)
    assert answer.status_code == 200
    assert answer.text.count('<th scope="col">') == 2


def test_the_match_results_compare_form_sends_the_ticked_offers(client, site_catalogue):
    # An association with a start-up in Senegal: the honour loan and the grant fit.
    profile = {
        "residence_country": "FR",
        "target_country": "SN",
        "sector": "agriculture",
        "stage": "startup",
        "applicant_type": "association",
        "groups": "women",
        "project_eur": "40 000",
    }
    page = client.get("/find-support", params=profile, headers=EN)
    form = page_form(page, action="/compare")
    offered = {c.value for c in form.fields if c.name == "offer"}
    fitting = {str(site_catalogue["web-honour-loan"]), str(site_catalogue["web-open-grant"])}
    assert offered == fitting
    answer = form.fill(offer=sorted(offered)).submit(client, headers=EN)
    assert answer.status_code == 200
    assert "2 offers side by side" in text(answer)


def test_the_offer_page_shares_its_address_from_the_configured_base_url(
    db, settings, site_catalogue
):
    public = settings.model_copy(
        update={"base_url": "https://passerelle.example.org", "allowed_hosts": "testserver"}
    )
    offer_id = site_catalogue["web-honour-loan"]
    with TestClient(create_app(public, engine=db)) as client:
        page = client.get(f"/offers/{offer_id}", headers=EN)
    address = f"https://passerelle.example.org/offers/{offer_id}"
    assert f'value="{address}" readonly' in page.text
    assert "testserver" not in page.text.split('id="share-url"')[1].split(">")[0]
    encoded = f"https%3A//passerelle.example.org/offers/{offer_id}"
    title = "Pr%C3%AAt%20d%27honneur%20Diaspora%20S%C3%A9n%C3%A9gal"
    assert f'href="https://wa.me/?text={title}%0A{encoded}"' in page.text
    assert "mailto:?subject=An%20offer%20on%20Passerelle" in page.text
    assert "Share this offer" in text(page)
