"""What programme officers write for countries and codes resolves through one resolver."""

import pycountry
import pytest
from sqlalchemy import select

from services_catalog.aliases import country_aliases, strip_accents, vocabulary_aliases
from services_catalog.countries import (
    AFRICAN_COUNTRIES,
    AmbiguousCountryError,
    country_name,
    normalize_country,
)
from services_catalog.importing import import_offers
from services_catalog.models import Offer
from services_catalog.taxonomy import (
    VOCABULARIES,
    AmbiguousCodeError,
    UnknownCodeError,
    label,
    normalize_code,
)

# Where the platform's diaspora readers mostly live.
RESIDENCE_COUNTRIES = ("FR", "BE", "CH", "DE", "IT", "ES", "PT", "NL", "GB", "IE", "LU", "US", "CA")


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("Burkina", "BF"),
        ("burkina", "BF"),
        ("Haute-Volta", "BF"),
        ("Centrafrique", "CF"),
        ("RCA", "CF"),
        ("Rép. centrafricaine", "CF"),
        ("RDC", "CD"),
        ("Rép. dém. du Congo", "CD"),
        ("Dem. Rep. of the Congo", "CD"),
        ("Congo Kinshasa", "CD"),
        ("Congo-Brazzaville", "CG"),
        ("Congo Brazza", "CG"),
        ("Rép. du Congo", "CG"),
        ("Guinée Conakry", "GN"),
        ("Guinée", "GN"),
        ("Guinea", "GN"),
        ("Bissau", "GW"),
        ("Cap Vert", "CV"),
        ("Cape Verde", "CV"),
        ("São Tomé", "ST"),
        ("Sao Tome", "ST"),
        ("Maurice", "MU"),
        ("l'île Maurice", "MU"),
        ("Tanzanie", "TZ"),
        ("Gambie", "GM"),
        ("la Gambie", "GM"),
        ("LA GAMBIE", "GM"),
        ("The Gambia", "GM"),
        ("Swaziland", "SZ"),
        ("Côte d'Ivoire", "CI"),
        ("cote d ivoire", "CI"),
        ("Ivory Coast", "CI"),
        ("RCI", "CI"),
        ("Sud-Soudan", "SS"),
        ("le Sénégal", "SN"),
        ("Afrique du Sud", "ZA"),
        ("les Comores", "KM"),
        ("Etats Unis", "US"),
        ("Grande Bretagne", "GB"),
        ("St-Martin (partie française)", "MF"),
    ],
)
def test_short_forms_and_variants_resolve(typed, code):
    assert normalize_country(typed) == code


@pytest.mark.parametrize("code", sorted(AFRICAN_COUNTRIES | set(RESIDENCE_COUNTRIES)))
@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_african_and_residence_country_resolves_however_its_name_is_written(code, language):
    name = country_name(code, language)
    for written in (name, name.upper(), name.lower(), f"la {name}", f"{name}."):
        assert normalize_country(written) == code, written
    assert normalize_country(strip_accents(name)) == code


def test_a_bare_congo_is_refused_with_the_candidates():
    with pytest.raises(AmbiguousCountryError) as caught:
        normalize_country("le Congo")
    assert caught.value.candidates == ("CD", "CG")
    assert "CD (Democratic Republic of the Congo)" in str(caught.value)
    assert "CG (Republic of the Congo)" in str(caught.value)


def test_every_country_alias_names_a_country_and_resolves_to_it():
    codes = {country.alpha_2 for country in pycountry.countries}
    for alias, code in country_aliases():
        assert code in codes, alias
        assert normalize_country(alias) == code, alias


@pytest.mark.parametrize(
    ("vocabulary", "typed", "code"),
    [
        ("sector", "Commerce", "trade"),
        ("sector", "le commerce", "trade"),
        ("sector", "Numérique", "digital"),
        ("sector", "numerique", "digital"),
        ("sector", "BTP", "construction"),
        ("sector", "Santé", "health"),
        ("sector", "Pêche", "agriculture"),
        ("category", "Subvention", "grant"),
        ("category", "Prêt d\u2019honneur", "honour_loan"),
        ("category", "Mentorat", "mentoring"),
        ("category", "Accès aux marchés", "market_access"),
        ("category", "Capital-risque", "equity"),
        ("stage", "Démarrage", "startup"),
        ("stage", "la création", "startup"),
        ("stage", "Croissance", "growth"),
        ("stage", "Passage à l'échelle", "scaleup"),
        ("applicant_type", "Entreprise", "company"),
        ("applicant_type", "OSIM", "association"),
        ("applicant_type", "Particulier", "individual"),
        ("target_group", "Jeunes", "youth"),
        ("target_group", "les femmes", "women"),
        ("target_group", "Migrants de retour", "returnee"),
        ("kind", "Financement", "financing"),
        ("kind", "Accompagnement", "service"),
    ],
)
def test_short_labels_of_every_vocabulary_resolve(vocabulary, typed, code):
    assert normalize_code(vocabulary, typed) == code


def test_every_vocabulary_alias_names_a_code_and_resolves_to_it_alone():
    shared = {"Migrants"}  # listed for two codes on purpose: refused, below
    for vocabulary, alias, code in vocabulary_aliases():
        assert code in VOCABULARIES[vocabulary], alias
        if alias not in shared:
            assert normalize_code(vocabulary, alias) == code, alias


def test_a_word_of_several_codes_is_refused_with_the_candidates():
    with pytest.raises(AmbiguousCodeError) as caught:
        normalize_code("target_group", "les migrants")
    assert caught.value.candidates == ("diaspora", "returnee")
    assert str(caught.value).startswith(
        "several codes have this label: choose diaspora or returnee"
    )


@pytest.mark.parametrize("vocabulary", ["sector", "category", "stage", "applicant_type"])
def test_labels_in_both_languages_still_resolve(vocabulary):
    for code in VOCABULARIES[vocabulary]:
        for language in ("en", "fr"):
            assert normalize_code(vocabulary, label(vocabulary, code, language)) == code


def test_an_unknown_label_is_refused_with_the_allowed_codes():
    with pytest.raises(UnknownCodeError, match="trade"):
        normalize_code("sector", "Boulangerie")


def test_an_import_reads_what_a_programme_officer_writes(session):
    row = {
        "title": "Fonds d'appui Burkina",
        "description": "Un fonds pour les commerçants de retour au Burkina.",
        "organization": "Fonds Sahel",
        "kind": "Financement",
        "categories": "Subvention",
        "sectors": "Commerce; Numérique",
        "countries": "Burkina; Rép. dém. du Congo",
        "residence_countries": "la France | Belgique",
        "stages": "Démarrage",
        "applicant_types": "Entreprise",
        "target_groups": "Migrants de retour",
    }
    report = import_offers(session, [(2, row)])
    assert report.applied, report.errors
    offer = session.scalars(select(Offer)).one()
    lists = offer.lists()
    assert (offer.kind, lists["categories"], lists["stages"]) == (
        "financing",
        ["grant"],
        ["startup"],
    )
    assert lists["sectors"] == ["trade", "digital"] and lists["countries"] == ["BF", "CD"]
    assert lists["residence_countries"] == ["FR", "BE"]
    assert lists["applicant_types"] == ["company"] and lists["target_groups"] == ["returnee"]


@pytest.mark.parametrize(
    "vocabulary", ["kind", "category", "sector", "stage", "applicant_type", "target_group"]
)
def test_every_code_of_the_contract_has_short_labels(vocabulary):
    aliased = {code for name, _, code in vocabulary_aliases() if name == vocabulary}
    assert aliased == set(VOCABULARIES[vocabulary])
