"""The site_catalogue's pages: content, languages, filters in the URL, formats per locale."""

from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import select

from tests.forms import page_form

FR = {"Accept-Language": "fr-FR,fr;q=0.9"}
EN = {"Accept-Language": "en-GB,en;q=0.9"}


def text(response) -> str:
    """The page's HTML with entities decoded and every kind of space made plain."""
    return re.sub(r"[\u00a0\u202f]", " ", html.unescape(response.text))


def results_heading(response) -> str:
    return re.search(r'<h2 id="results-heading">\s*(.*?)\s*</h2>', text(response), re.S).group(1)


def test_home_speaks_french_by_default(client):
    response = client.get("/")
    assert response.status_code == 200
    assert '<html lang="fr">' in response.text
    assert response.headers["content-language"] == "fr"
    page = text(response)
    assert "Accompagnement et financement pour votre projet en Afrique" in page
    assert "À qui s'adresse Passerelle ?" in page
    assert 'action="/offers"' in page and 'name="q"' in page


def test_home_in_english_from_accept_language(client):
    response = client.get("/", headers=EN)
    assert '<html lang="en">' in response.text
    page = text(response)
    assert "Support and financing for your project in Africa" in page
    assert "Programme staff" in page and "Support and financing providers" in page
    assert 'href="/offers"' in page


def test_home_links_only_to_pages_that_exist(client):
    paths = set(re.findall(r'href="(/[^"?#]*)', client.get("/", headers=EN).text))
    for path in paths - {"/lang/fr"}:
        assert client.get(path).status_code == 200, path


def test_the_cookie_wins_over_accept_language(client):
    client.cookies.set("lang", "en")
    assert '<html lang="en">' in client.get("/", headers=FR).text


def test_accept_language_quality_values_are_honoured(client):
    preferred_french = {"Accept-Language": "de-DE, en;q=0.5, fr-BE;q=0.8"}
    assert '<html lang="fr">' in client.get("/", headers=preferred_french).text
    refused_french = {"Accept-Language": "fr;q=0, en;q=0.1"}
    assert '<html lang="en">' in client.get("/", headers=refused_french).text


def test_browse_lists_offers_with_facet_counts(client, site_catalogue):
    response = client.get("/offers", headers=EN)
    assert results_heading(response) == "3 offers"
    page = text(response)
    assert "Prêt d'honneur Diaspora Sénégal" in page and "Solar incubation programme" in page
    # Two financing offers, one service; the counts are read out to screen readers too.
    assert re.search(r'value="financing">\s*<label[^>]*>.*?aria-hidden="true">2<', page, re.S)
    assert "(2 offers)" in page
    # Category groups, one per kind of offer.
    assert "Support services" in page and "Financing" in page
    # Project countries named by offers: Senegal (3 with the grant open to all), Mali (2).
    assert re.search(r'value="SN">\s*<label[^>]*>.*?Senegal.*?>3<', page, re.S)
    assert re.search(r'value="ML">\s*<label[^>]*>.*?Mali.*?>2<', page, re.S)
    # A sector no offer names still matches the offer open to all sectors.
    assert re.search(r'value="health">\s*<label[^>]*>.*?Health.*?>1<', page, re.S)
    # African countries no offer names are in a list, with that same count.
    assert '<option value="NE">Niger (1)</option>' in page


def test_browse_combines_filters_from_the_url(client, site_catalogue):
    response = client.get("/offers?country=SN&kind=financing&sector=digital", headers=EN)
    assert results_heading(response) == "2 offers"
    page = text(response)
    assert "Solar incubation programme" not in page
    assert re.search(r'value="digital" checked', page)
    # Each active filter is a chip whose link drops only that filter.
    assert 'href="/offers?country=SN&amp;sector=digital"' in response.text
    assert "Support or financing: Financing offer" in page


def test_the_home_search_and_the_browse_form_narrow_the_offers(client, site_catalogue):
    search = page_form(client.get("/", headers=EN), action="/offers")
    found = search.fill(q="solar").submit(client, headers=EN)
    assert results_heading(found) == "1 offer" and "Solar incubation programme" in text(found)
    browse = page_form(client.get("/offers", headers=EN), action="/offers")
    ticked = browse.fill(kind=["financing"], sector=["digital"], sort="deadline")
    narrowed = ticked.submit(client, headers=EN)
    assert results_heading(narrowed) == "2 offers"
    assert "Solar incubation programme" not in text(narrowed)
    assert page_form(narrowed, action="/offers").value("sector") == "digital"  # kept ticked


def test_browse_filters_by_project_amount_and_words(client, site_catalogue):
    response = client.get("/offers?amount=5000", headers=EN)
    assert results_heading(response) == "2 offers"  # the honour loan starts at €10,000
    assert "Project amount: €5,000" in text(response)
    response = client.get("/offers?q=solar", headers=EN)
    assert results_heading(response) == "1 offer"
    assert "Solar incubation programme" in text(response) and "Keywords: solar" in text(response)
    french = client.get("/offers?q=pr%C3%AAt&amount=5000", headers=FR)
    assert results_heading(french) == "Aucune offre"
    assert "Montant du projet : 5 000 €" in text(french)


def test_browse_suggests_which_filter_to_relax(client, site_catalogue):
    response = client.get("/offers?country=SN&sector=health&kind=service", headers=EN)
    page = text(response)
    assert "No offer matches all these filters" in page
    assert "Remove “Sector: Health & social care” to see 1 offer" in page
    assert 'href="/offers?country=SN&amp;kind=service"' in response.text
    french = text(client.get("/offers?country=SN&sector=health&kind=service", headers=FR))
    assert "Retirez « Secteur : Santé et action sociale » pour voir 1 offre" in french


def test_browse_pages_through_results(client, site_catalogue):
    page = text(client.get("/offers?per_page=1&page=2&sort=deadline", headers=EN))
    assert "Showing 2 to 2" in page
    assert 'aria-current="page"' in page and 'rel="prev"' in page and 'rel="next"' in page
    assert 'href="/offers?sort=deadline&per_page=1&page=3"' in page


@pytest.mark.parametrize(
    ("query", "name", "value"),
    [
        ("country=Narnia", "country", "Narnia"),
        ("page=0", "page", "0"),
        ("sector=space", "sector", "space"),
        ("amount=lots", "amount", "lots"),
        ("sort=random", "sort", "random"),
    ],
)
def test_bad_query_values_get_a_422_page_naming_them(client, query, name, value):
    response = client.get(f"/offers?{query}", headers=EN)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("text/html")
    page = text(response)
    assert f"<code>{name}</code>" in page and f"“{value}”" in page


def test_a_long_bad_value_is_shortened_on_its_error_page(client):
    response = client.get("/offers", params={"q": "x" * 300}, headers=EN)
    assert response.status_code == 422
    assert "<code>q</code>" in response.text and "x" * 79 + "…" in text(response)


def test_result_cards_show_amounts_and_deadlines_per_locale(client, site_catalogue):
    english = text(client.get("/offers?sort=deadline", headers=EN))
    assert "From €5,000 to €30,000" in english and "Deadline: 15 January 2099" in english
    assert "Opens on 1 June 2098" in english and "Rolling" in english
    assert "Senegal and Mali" in english and "All countries" in english
    french = text(client.get("/offers?sort=deadline", headers=FR))
    assert "De 5 000 € à 30 000 €" in french and "Date limite : 15 janvier 2099" in french
    assert "Au fil de l'eau" in french and "Tous les pays" in french


def test_the_422_page_speaks_french(client):
    page = text(client.get("/offers?country=Narnia", headers=FR))
    assert "Cette adresse contient une valeur que nous ne comprenons pas" in page
    assert "« Narnia » n'est pas une valeur valable pour « Pays du projet »" in page


def test_query_values_are_escaped_on_error_pages(client):
    response = client.get("/offers?country=<script>alert(1)</script>", headers=EN)
    assert response.status_code == 422
    assert "<script>alert" not in response.text


def test_unknown_query_parameters_are_ignored(client, site_catalogue):
    assert client.get("/offers?utm_source=newsletter").status_code == 200


def test_offer_page_in_english(client, site_catalogue):
    response = client.get(f"/offers/{site_catalogue['web-honour-loan']}", headers=EN)
    assert response.status_code == 200
    page = text(response)
    assert '<h1 lang="fr">Prêt d\'honneur Diaspora Sénégal</h1>' in page
    assert "Projects in Senegal or Mali" in page
    assert "For people living in France" in page
    assert "Women or Young people (35 and under)" in page
    assert "Projects from €10,000 to €100,000" in page
    assert "From €5,000 to €30,000" in page
    assert "Open until 15 January 2099" in page
    assert "2 March 2026" in page  # last verified
    assert "Full description in French" in page  # the offer is not in the page's language
    assert 'href="https://example.org/pret-honneur" rel="noopener external"' in page
    organization = re.search(r'href="(/organizations/\d+)"', page).group(1)
    assert client.get(organization).status_code == 200


def test_offer_page_in_french(client, site_catalogue):
    page = text(client.get(f"/offers/{site_catalogue['web-honour-loan']}", headers=FR))
    assert "Pays du projet : Sénégal ou Mali" in page
    assert "Projets de 10 000 € à 100 000 €" in page
    assert "De 5 000 € à 30 000 €" in page
    assert "Ouvert jusqu'au 15 janvier 2099" in page
    assert "2 mars 2026" in page
    assert "Description complète" not in page  # same language as the page: no notice


def test_offer_windows_and_open_restrictions(client, site_catalogue):
    page = text(client.get(f"/offers/{site_catalogue['web-incubator']}", headers=EN))
    assert "Opens on 1 June 2098, closes on 30 September 2098" in page
    page = text(client.get(f"/offers/{site_catalogue['web-open-grant']}", headers=EN))
    assert "Rolling: apply at any time" in page
    assert "Projects in any country" in page and "Open to all sectors" in page
    assert "Up to €15,000" in page


@pytest.mark.parametrize(("headers", "title"), [(EN, "Page not found"), (FR, "Page introuvable")])
def test_unknown_and_unpublished_offers_are_404_pages(client, site_catalogue, headers, title):
    for path in ("/offers/999999", f"/offers/{site_catalogue['web-pending']}", "/no-such-page"):
        response = client.get(path, headers=headers)
        assert response.status_code == 404
        assert title in text(response)


def test_ids_that_are_not_numbers_get_a_422_page(client):
    for path in ("/offers/abc", "/offers/99999999999999999999", "/organizations/0"):
        response = client.get(path, headers=EN)
        assert response.status_code == 422, path
        assert "This address contains a value we cannot read" in text(response)


def test_the_api_keeps_json_errors(client):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found"}
    assert client.get("/healthz").json()["status"] == "ok"


def test_server_errors_are_pages_on_the_site_and_json_on_the_api(client, monkeypatch):
    from services_catalog import service

    def broken(*_args, **_kwargs):
        raise RuntimeError("the database caught fire")

    monkeypatch.setattr(service, "count_offers", broken)
    monkeypatch.setattr(service, "list_organizations", broken)
    client_without_raise = type(client)(client.app, raise_server_exceptions=False)
    page = client_without_raise.get("/", headers=FR)
    assert page.status_code == 500
    assert "Un problème est survenu de notre côté" in text(page)
    api = client_without_raise.get("/api/v1/organizations")
    assert api.status_code == 500 and api.json() == {"detail": "Internal Server Error"}


def test_organisation_pages(client, site_catalogue):
    listing = text(client.get("/organizations", headers=EN))
    assert "Initiative Diaspora" in listing and "Sun Hub Dakar" in listing
    path = re.search(r'href="(/organizations/\d+)">Initiative Diaspora<', listing).group(1)
    page = text(client.get(path, headers=FR))
    assert "<h1>Initiative Diaspora</h1>" in page
    assert "1 offre" in page  # the pending offer is not shown
    assert "Prêt d'honneur Diaspora Sénégal" in page
    assert client.get("/organizations/999999").status_code == 404


def test_organisation_page_shows_what_we_know_of_it(client, session, site_catalogue):
    from services_catalog.models import Organization

    organization = session.scalars(
        select(Organization).where(Organization.name == "Sun Hub Dakar")
    ).one()
    organization.description = "An incubator for clean-energy start-ups."
    organization.website = "https://sunhub.example/"
    organization.type = "incubator"
    organization.countries = ["SN", "CI"]
    organization.verified = True
    session.commit()
    page = text(client.get(f"/organizations/{organization.id}", headers=FR))
    assert "An incubator for clean-energy start-ups." in page
    assert "Incubateur ou accélérateur" in page and "Organisme vérifié" in page
    assert "Sénégal, Côte d'Ivoire" in page
    assert 'href="https://sunhub.example/" rel="noopener external">sunhub.example<' in page
    assert "Solar incubation programme" in page


def test_language_switch_sets_the_cookie_and_goes_back(client):
    response = client.get("/lang/en?next=/offers%3Fsector%3Ddigital", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/offers?sector=digital"
    assert "lang=en" in response.headers["set-cookie"]
    assert '<html lang="en">' in client.get("/").text


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)", ""],
)
def test_language_switch_refuses_to_leave_the_site(client, target):
    response = client.get("/lang/fr", params={"next": target}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/"


def test_every_page_links_to_the_other_language(client, site_catalogue):
    page = client.get("/offers?sector=digital", headers=EN).text
    assert 'href="/lang/fr?next=%2Foffers%3Fsector%3Ddigital"' in page
    assert client.get("/lang/de").status_code == 422


def test_static_assets_are_served(client):
    response = client.get("/static/css/passerelle.css")
    assert response.status_code == 200
    assert "--brand" in response.text


def chip_links(response) -> dict[str, str]:
    """Each chip's text and the link that removes it, as the page gives them."""
    found = re.findall(r'<a class="chip" href="([^"]+)">\s*<span>(.*?)</span>', response.text, re.S)
    return {re.sub(r"\s+", " ", html.unescape(label)): html.unescape(url) for url, label in found}


def test_words_naming_a_country_and_financing_become_removable_chips(client, site_catalogue):
    typed = client.get("/offers", params={"q": "financement Sénégal"}, headers=EN)
    chosen = client.get("/offers?country=SN&kind=financing", headers=EN)
    assert results_heading(typed) == results_heading(chosen) == "2 offers"
    assert 'name="q" value=""' in typed.text  # the words were read as filters, none left
    assert "Your search “financement Sénégal” is read as these filters:" in text(typed)
    chips = chip_links(typed)
    assert set(chips) == {"Project country: Senegal", "Support or financing: Financing offer"}
    without_country = client.get(chips["Project country: Senegal"], headers=EN)
    assert chip_links(without_country) == {
        "Support or financing: Financing offer": "/offers",
    }
    assert results_heading(without_country) == "2 offers"
    without_kind = client.get(chips["Support or financing: Financing offer"], headers=EN)
    assert set(chip_links(without_kind)) == {"Project country: Senegal"}
    assert results_heading(without_kind) == "3 offers"


def test_a_stage_named_in_words_is_a_removable_chip(client, site_catalogue):
    typed = client.get("/offers", params={"q": "démarrage Sénégal"}, headers=FR)
    chosen = client.get("/offers?country=SN&stage=startup", headers=FR)
    assert results_heading(typed) == results_heading(chosen) != "Aucune offre"
    chips = chip_links(typed)
    stage_chip = next(label for label in chips if label.endswith(": Création"))
    assert set(chips) == {stage_chip, "Pays du projet : Sénégal"}
    assert chips[stage_chip] == "/offers?country=SN"
    assert chip_links(client.get(chips["Pays du projet : Sénégal"], headers=FR)) == {
        stage_chip: "/offers"
    }


def test_words_left_over_stay_keywords_beside_the_chips(client, site_catalogue):
    response = client.get("/offers", params={"q": "solar Senegal"}, headers=FR)
    chips = chip_links(response)
    assert set(chips) == {"Mots-clés : solar", "Pays du projet : Sénégal"}
    assert chips["Mots-clés : solar"] == "/offers?country=SN"
    assert chips["Pays du projet : Sénégal"] == "/offers?q=solar"
    assert 'name="q" value="solar"' in response.text
    assert "Votre recherche « solar Senegal » est lue comme ces filtres :" in text(response)
    assert "est lue comme" not in text(client.get("/offers?q=solar&country=SN", headers=FR))


def test_a_misspelt_search_offers_the_catalogue_spelling(client, site_catalogue):
    response = client.get("/offers?q=solidarty", headers=FR)
    assert results_heading(response) == "Aucune offre"
    link = re.search(r'Vouliez-vous dire :\s*<a href="([^"]+)">solidarity</a>', response.text)
    respelt = client.get(html.unescape(link.group(1)), headers=FR)
    assert results_heading(respelt) == "1 offre"
    assert "Vouliez-vous dire" not in respelt.text
