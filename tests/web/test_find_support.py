"""The "Find support for my project" page: the profile form, its results, its errors."""

from __future__ import annotations

import html
import re

import pytest

from tests.forms import page_form

FR = {"Accept-Language": "fr-FR,fr;q=0.9"}
EN = {"Accept-Language": "en-GB,en;q=0.9"}
HEADERS = {"fr": FR, "en": EN}

# Lives in France, a start-up in agriculture in Senegal: the honour loan fits; the grant
# misses one condition (associations only); the incubator misses two (sector and window).
PROFILE = {
    "residence_country": "FR",
    "target_country": "SN",
    "sector": "agriculture",
    "stage": "startup",
    "applicant_type": "individual",
    "groups": "women",
    "project_eur": "40 000",
    "project_currency": "EUR",
}


def text(response) -> str:
    """The page's HTML with entities decoded and every kind of space made plain."""
    return re.sub(r"[\u00a0\u202f]", " ", html.unescape(response.text))


def section(page: str, start: str, end: str = "</section>") -> str:
    """The part of the page from the marker `start` to the next `end`."""
    found = page[page.index(start) :]
    return found[: found.index(end)]


def field_error(page: str, name: str) -> str:
    match = re.search(rf'<p class="field-error" id="{name}-error">(.*?)</p>', page, re.S)
    assert match, f"no error shown for {name}"
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


def find(client, lang="en", **params):
    """The page at an address with these parameters (a shared or hand-typed link)."""
    return client.get("/find-support", params=params, headers=HEADERS[lang])


def fill_in(client, lang="en", **values):
    """Fill in the page's form with these answers and send it, as a person does."""
    page = client.get("/find-support", headers=HEADERS[lang])
    form = page_form(page, action="/find-support").fill(values)
    return form.submit(client, headers=HEADERS[lang])


def test_the_form_renders_in_french_by_default(client):
    response = client.get("/find-support")
    assert response.status_code == 200
    page = text(response)
    assert '<html lang="fr">' in page
    assert '<h1 class="page-title">Trouver un accompagnement pour mon projet</h1>' in page
    assert '<label for="f-residence_country">Pays où vous vivez</label>' in page
    assert '<label for="f-target_country">Pays de votre projet</label>' in page
    assert "<legend>Stade d'avancement du projet</legend>" in page
    assert "Décrivez votre projet et vos besoins, en français ou en anglais" in page
    assert '<option value="SN">Sénégal</option>' in page
    # A GET form: the results are an address that can be shared.
    assert 'method="get" action="/find-support#answer"' in page
    # Nothing submitted yet: no results and no error.
    assert 'id="answer"' not in page and "field-error" not in page


def test_the_form_renders_in_english_with_its_controls(client):
    page = text(find(client))
    assert '<html lang="en">' in page
    assert "<legend>Where you live and where your project is</legend>" in page
    assert '<label for="f-project_eur">Total amount of the project</label>' in page
    # Project countries: Africa first; residence: Europe and North Africa first.
    target = section(page, 'id="f-target_country"', "</select>")
    assert target.index('label="African countries"') < target.index('label="Other countries"')
    assert target.index('value="SN"') < target.index('value="FR"')
    residence = section(page, 'id="f-residence_country"', "</select>")
    assert residence.index('label="Europe and North Africa"') < residence.index('value="SN"')
    assert '<option value="MA">Morocco</option>' in section(residence, "Europe", "</optgroup>")
    # Each amount has its currency; individual is the default applicant.
    assert re.search(r'name="project_currency">\s*<option value="EUR" selected>', page)
    assert '<option value="XOF">FCFA (XOF)</option>' in page
    assert 'value="individual" checked' in page
    # Kinds of support grouped by kind; groups as checkboxes.
    assert "<legend>Support services</legend>" in page and "<legend>Financing</legend>" in page
    assert 'type="checkbox" id="f-groups-women" name="groups" value="women"' in page


def test_every_page_links_to_the_form_in_its_language(client):
    home = text(client.get("/", headers=FR))
    assert '<a href="/find-support">Trouver un accompagnement</a>' in home
    assert 'class="button" href="/find-support">Trouver un accompagnement pour mon projet' in home
    offers = text(client.get("/offers", headers=EN))
    assert '<a href="/find-support">Find support</a>' in offers
    page = text(find(client))
    assert '<a href="/find-support" aria-current="page">Find support</a>' in page


@pytest.mark.parametrize(
    ("lang", "reason", "kind", "missing"),
    [
        ("en", "Open to projects in Senegal", "Financing offer", "Open only to: Association"),
        ("fr", "Ouvert aux projets au Sénégal", "Offre de financement", "Réservé à : Association"),
    ],
)
def test_eligible_offers_come_with_reasons_and_near_misses_apart(
    client, site_catalogue, lang, reason, kind, missing
):
    response = fill_in(client, lang, **PROFILE)
    assert response.status_code == 200
    page = text(response)
    results = section(page, 'id="answer"')
    loan = site_catalogue["web-honour-loan"]
    assert f'<a href="/offers/{loan}" lang="fr">Prêt d\'honneur Diaspora Sénégal</a>' in results
    assert "Initiative Diaspora" in results and kind in results
    assert f"<li>{reason}</li>" in results
    # Only eligible offers are results: not the grant, the incubator, nor the pending one.
    assert "Diaspora solidarity grant" not in results
    assert "Solar incubation programme" not in results and "en attente" not in page
    near = section(page, 'class="near-misses"')
    grant = site_catalogue["web-open-grant"]
    assert f'href="/offers/{grant}"' in near and missing in near
    assert "Solar incubation programme" not in near  # two conditions missed


def test_results_are_counted_and_the_empty_state_says_what_to_do(client, site_catalogue):
    page = text(fill_in(client, **PROFILE))
    assert re.search(r'id="results-heading">\s*1 offer fits your project', page)
    elsewhere = text(fill_in(client, "fr", **(PROFILE | {"target_country": "CM"})))
    assert re.search(r'id="results-heading">\s*Aucune offre ne correspond encore', elsewhere)
    assert '<a href="/offers">Voir toutes les offres</a>' in elsewhere
    assert "Presque éligible" in elsewhere  # the loan, for projects in Senegal or Mali


@pytest.mark.parametrize(
    ("lang", "shown"), [("fr", "≈ 38 112 € (parité fixe : 655,957 XOF = 1 €)"), ("en", "≈ €38,112")]
)
def test_amounts_in_other_currencies_are_converted(client, site_catalogue, lang, shown):
    params = PROFILE | {"project_eur": "25 000 000", "project_currency": "XOF"}
    response = find(client, lang, **params)
    assert response.status_code == 200
    page = text(response)
    assert f'<p class="conversion" id="project_eur-conversion">{shown}' in page
    assert 'aria-describedby="project_eur-hint project_eur-conversion"' in page
    # 38 112 € fits the loan's 10 000 to 100 000 €: it is a result.
    assert "Prêt d'honneur Diaspora Sénégal" in section(page, 'id="answer"')
    # What was typed is shown again as typed, with its currency.
    assert 'value="25 000 000"' in page and '<option value="XOF" selected>' in page


def test_an_amount_naming_its_own_currency_wins_over_the_select(client, site_catalogue):
    params = PROFILE | {"funding_need_eur": "2 000 000 FCFA", "funding_need_currency": "EUR"}
    page = text(find(client, **params))
    assert "≈ €3,049 (fixed parity: 655.957 FCFA = 1 €)" in page
    params = PROFILE | {"funding_need_eur": "30k", "funding_need_currency": "MAD"}
    rate = r"≈ €2,867 \(rate of 16 June 2025: [\d.]+ MAD = 1 €\)"
    assert re.search(rate, text(find(client, **params)))


def test_needs_read_from_the_description_are_shown_and_ticked(client, site_catalogue):
    description = "I need a loan and help writing my business plan"
    page = text(find(client, **PROFILE, description=description))
    understood = section(page, '<div class="inferred card">', "</div>")
    assert "We understood you are looking for:" in understood
    assert "Loan" in understood and "Business plan & feasibility support" in understood
    assert 'href="#needs"' in understood
    # Ticked in the form, so that the person can correct them and search again.
    assert 'name="needs" value="loan" checked' in page
    assert 'name="needs" value="business_plan" checked' in page
    assert 'name="needs" value="grant">' in page
    assert '<details class="needs-details" open>' in page
    # Needs ticked by the person are theirs: nothing is inferred any more.
    chosen = text(find(client, **PROFILE, description=description, needs="grant"))
    assert "We understood" not in chosen
    assert 'value="grant" checked' in chosen and 'value="loan" checked' not in chosen


def test_a_description_with_no_need_in_it_says_so(client, site_catalogue):
    page = text(find(client, "fr", **PROFILE, description="Bonjour"))
    assert "Votre description ne nous dit pas quels types d'appui vous cherchez." in page


BAD = {
    "residence_country": "Congo",
    "target_country": "Narnia",
    "stage": "bogus",
    "project_eur": "-5 000",
    "funding_need_eur": "abc",
    "groups": "martians",
}


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "en",
            {
                "residence_country": "“Congo” can mean several countries: choose one",
                "target_country": "“Narnia” is not a country we know: choose one from the list.",
                "sector": "Choose the sector of your project.",
                "stage": "“bogus” is not one of the choices offered.",
                "project_eur": "The amount cannot be negative.",
                "funding_need_eur": "“abc” is not an amount we can read",
                "groups": "“martians” is not one of the choices offered.",
            },
        ),
        (
            "fr",
            {
                "residence_country": "« Congo » peut désigner plusieurs pays : choisissez-en un",
                "target_country": "« Narnia » n'est pas un pays que nous connaissons",
                "sector": "Choisissez le secteur d'activité de votre projet.",
                "stage": "« bogus » ne fait pas partie des choix proposés.",
                "project_eur": "Le montant ne peut pas être négatif.",
                "funding_need_eur": "« abc » n'est pas un montant lisible",
                "groups": "« martians » ne fait pas partie des choix proposés.",
            },
        ),
    ],
)
def test_errors_are_named_next_to_each_field(client, site_catalogue, lang, expected):
    response = find(client, lang, **BAD)
    assert response.status_code == 422
    page = text(response)
    for name, message in expected.items():
        assert message in field_error(page, name), name
    # The summary links to each field; the controls say they are invalid.
    summary = section(page, '<div class="error-summary"', "</div>")
    assert summary.count("<li>") == len(expected)
    assert '<a href="#f-target_country">' in summary and '<a href="#f-stage-idea">' in summary
    assert re.search(r'id="f-target_country"[^>]*aria-invalid="true"', page)
    assert 'aria-describedby="project_eur-hint project_eur-error"' in page
    assert 'id="results-heading"' not in page
    # What was right is kept; what was typed is shown again.
    assert 'value="-5 000"' in page and 'value="individual" checked' in page


def test_values_by_name_are_read_like_the_api_reads_them(client, site_catalogue):
    params = PROFILE | {"residence_country": "france", "target_country": "Sénégal"}
    params |= {"sector": "Agriculture, agroalimentaire et pêche", "stage": "Création"}
    response = find(client, **params)
    assert response.status_code == 200
    page = text(response)
    assert '<option value="SN" selected>Senegal</option>' in page
    assert '<option value="agriculture" selected>' in page
    assert "Prêt d'honneur Diaspora Sénégal" in section(page, 'id="answer"')


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"project_eur": "9" * 30}, "project_eur", "This amount is too large."),
        ({"project_eur": ""}, "project_eur", "Enter the total amount of your project."),
        ({"project_currency": "ZZZ"}, "project_eur", "“ZZZ” is not one of the currencies"),
        ({"description": "x" * 6000}, "description", "must not be longer than 5,000 characters"),
        ({"needs": "rocket"}, "needs", "“rocket” is not one of the choices offered."),
        ({"target_country": ""}, "target_country", "Choose the country where your project is"),
    ],
)
def test_each_field_names_its_own_problem(client, params, field, message):
    response = find(client, **(PROFILE | params))
    assert response.status_code == 422
    assert message in field_error(text(response), field)


@pytest.mark.parametrize(
    "query",
    [
        "project_eur=abc",
        "target_country=Narnia",
        "project_eur=1e999&funding_need_eur=inf",
        f"project_eur={'9' * 5000}&residence_country={'x' * 5000}",
        "project_eur=NaN&project_currency=",
        "sector=&stage=&applicant_type=&groups=&needs=",
        "groups=<script>alert(1)</script>&target_country=<b>SN</b>",
        "residence_country=FR&residence_country=ZZ&needs=loan&needs=loan&needs=%00",
        "description=%00%01%ff&project_eur=%E2%88%9230",
        "project_eur=10%C2%A0000&project_currency=xof",
        "page=3&sort=deadline",
    ],
)
def test_garbage_never_breaks_the_page(client, site_catalogue, query):
    response = client.get(f"/find-support?{query}")
    assert response.status_code in (200, 422), response.text[:500]
    assert "Something went wrong" not in response.text
    assert "<script>alert" not in response.text and "<b>SN</b>" not in response.text


def test_the_page_is_excluded_from_the_api_schema(client):
    assert "/find-support" not in client.get("/openapi.json").json()["paths"]
