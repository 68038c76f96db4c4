import gettext

import pycountry
import pytest

from services_catalog.countries import (
    AFRICAN_COUNTRIES,
    AmbiguousCountryError,
    CountryError,
    UnknownCountryError,
    country_choices,
    country_name,
    normalize_country,
)

ALL_CODES = sorted(country.alpha_2 for country in pycountry.countries)
FRENCH = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"])


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("sn", "SN"),
        ("SN", "SN"),
        (" sn ", "SN"),
        ("CIV", "CI"),
        ("civ", "CI"),
        ("Côte d'Ivoire", "CI"),
        ("cote divoire", "CI"),
        ("COTE D\u2019IVOIRE", "CI"),  # typographic apostrophe
        ("Cote-d'Ivoire", "CI"),
        ("Ivory Coast", "CI"),
        ("Republic of Côte d'Ivoire", "CI"),
        ("Senegal", "SN"),
        ("Sénégal", "SN"),
        ("  sénégal  ", "SN"),
        ("Allemagne", "DE"),
        ("Germany", "DE"),
        ("UK", "GB"),
        ("U.K.", "GB"),
        ("United Kingdom", "GB"),
        ("Royaume-Uni", "GB"),
        ("Great Britain", "GB"),
        ("England", "GB"),
        ("Angleterre", "GB"),
        ("USA", "US"),
        ("U.S.A.", "US"),
        ("United States of America", "US"),
        ("Etats-Unis", "US"),
        ("États-Unis d'Amérique", "US"),
        ("Congo-Kinshasa", "CD"),
        ("RDC", "CD"),
        ("DRC", "CD"),
        ("République démocratique du Congo", "CD"),
        ("Democratic Republic of the Congo", "CD"),
        ("Congo, The Democratic Republic of the", "CD"),
        ("Congo-Brazzaville", "CG"),
        ("République du Congo", "CG"),
        ("Republic of the Congo", "CG"),
        ("Tanzanie", "TZ"),
        ("Tanzania", "TZ"),
        ("United Republic of Tanzania", "TZ"),
        ("Cap-Vert", "CV"),
        ("Cabo Verde", "CV"),
        ("Cape Verde", "CV"),
        ("Swaziland", "SZ"),
        ("eSwatini", "SZ"),
        ("Guinée-Bissau", "GW"),
        ("Guinee Bissau", "GW"),
        ("Guinée équatoriale", "GQ"),
        ("Guinée-Équatoriale", "GQ"),
        ("Guinée", "GN"),
        ("Guinée-Conakry", "GN"),
        ("Russia", "RU"),
        ("Russie", "RU"),
        ("Russian Federation", "RU"),
        ("South Korea", "KR"),
        ("Corée du Sud", "KR"),
        ("Republic of Korea", "KR"),
        ("North Korea", "KP"),
        ("Pays-Bas", "NL"),
        ("Hollande", "NL"),
        ("Holland", "NL"),
        ("the Netherlands", "NL"),
        ("Belgique", "BE"),
        ("Suisse", "CH"),
        ("Maroc", "MA"),
        ("Morocco", "MA"),
        ("Tunisie", "TN"),
        ("Algérie", "DZ"),
        ("algerie", "DZ"),
        ("Cameroun", "CM"),
        ("Cameroon", "CM"),
        ("The Gambia", "GM"),
        ("Gambie", "GM"),
        ("Centrafrique", "CF"),
        ("République centrafricaine", "CF"),
        ("Soudan du Sud", "SS"),
        ("Île Maurice", "MU"),
        ("Maurice", "MU"),
        ("Afrique du Sud", "ZA"),
        ("Égypte", "EG"),
        ("Turkey", "TR"),
        ("Türkiye", "TR"),
        ("Turquie", "TR"),
        ("Bolivia", "BO"),
        ("Vietnam", "VN"),
        ("Viet Nam", "VN"),
        ("Iran", "IR"),
        ("Czech Republic", "CZ"),
        ("La Réunion", "RE"),
        ("Vatican", "VA"),
        ("Holy See", "VA"),
    ],
)
def test_normalize_country_reads_codes_names_and_variants(typed, code):
    assert normalize_country(typed) == code


@pytest.mark.parametrize("code", ALL_CODES)
def test_every_iso_code_normalises_to_itself(code):
    country = pycountry.countries.get(alpha_2=code)
    assert normalize_country(code) == code
    assert normalize_country(code.lower()) == code
    assert normalize_country(country.alpha_3) == code
    assert normalize_country(country.alpha_3.lower()) == code


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_display_name_normalises_back_to_its_code(language):
    misread = {
        code: country_name(code, language)
        for code in ALL_CODES
        if normalize_country(country_name(code, language)) != code
    }
    assert misread == {}


def test_every_iso_name_normalises_in_english_and_french():
    # Bare "Congo" (CG's ISO name) is the one deliberate exception: it is ambiguous.
    misread = {}
    for country in pycountry.countries:
        for name in (country.name, getattr(country, "official_name", None)):
            if name is None or name == "Congo":
                continue
            for spelling in (name, FRENCH.gettext(name)):
                if normalize_country(spelling) != country.alpha_2:
                    misread[spelling] = country.alpha_2
    assert misread == {}


@pytest.mark.parametrize("typed", ["Congo", "congo", "CONGO", "Le Congo"])
def test_bare_congo_asks_to_choose(typed):
    with pytest.raises(AmbiguousCountryError) as caught:
        normalize_country(typed)
    message = str(caught.value)
    assert repr(typed) in message
    assert "CD" in message
    assert "CG" in message
    assert caught.value.candidates == ("CD", "CG")
    assert caught.value.value == typed


@pytest.mark.parametrize(
    ("typed", "candidates"),
    [("Korea", ("KP", "KR")), ("Corée", ("KP", "KR")), ("Virgin Islands", ("VG", "VI"))],
)
def test_other_ambiguous_names(typed, candidates):
    with pytest.raises(AmbiguousCountryError) as caught:
        normalize_country(typed)
    assert caught.value.candidates == candidates


@pytest.mark.parametrize("typed", ["Atlantis", "Wakanda", "XX", "XYZ", "Senegall", "123"])
def test_unknown_country_names_the_value(typed):
    with pytest.raises(UnknownCountryError) as caught:
        normalize_country(typed)
    assert str(caught.value) == f"unknown country: {typed!r}"
    assert caught.value.value == typed
    assert isinstance(caught.value, ValueError)


def test_unknown_country_message_is_the_documented_one():
    with pytest.raises(ValueError, match=r"^unknown country: 'Atlantis'$"):
        normalize_country("Atlantis")


@pytest.mark.parametrize("typed", ["", " ", "\t\n", "\u00a0"])
def test_empty_country_is_an_error(typed):
    with pytest.raises(CountryError) as caught:
        normalize_country(typed)
    assert caught.value.value == typed


@pytest.mark.parametrize("typed", [None, 42, ["SN"]])
def test_non_text_country_is_an_error(typed):
    with pytest.raises(UnknownCountryError):
        normalize_country(typed)


@pytest.mark.parametrize(
    ("code", "locale", "name"),
    [
        ("CI", "en", "Côte d'Ivoire"),
        ("CI", "fr", "Côte d'Ivoire"),
        ("TZ", "en", "Tanzania"),
        ("TZ", "fr", "Tanzanie"),
        ("BO", "en", "Bolivia"),
        ("SN", "fr", "Sénégal"),
        ("DE", "fr", "Allemagne"),
        ("CD", "en", "Democratic Republic of the Congo"),
        ("CG", "en", "Republic of the Congo"),
        ("CD", "fr", "République démocratique du Congo"),
        ("CG", "fr", "République du Congo"),
        ("KR", "en", "South Korea"),
        ("RU", "fr", "Russie"),
        ("sn", "en", "Senegal"),
        ("SN", "fr_FR", "Sénégal"),
        ("SN", "fr-BE", "Sénégal"),
        ("SN", "de", "Senegal"),
    ],
)
def test_country_name(code, locale, name):
    assert country_name(code, locale) == name


def test_country_name_of_an_unknown_code():
    with pytest.raises(UnknownCountryError, match="'ZZ'"):
        country_name("ZZ")


@pytest.mark.parametrize("language", ["en", "fr"])
def test_display_names_are_distinct_and_never_inverted(language):
    names = [country_name(code, language) for code in ALL_CODES]
    assert len(set(names)) == len(names)
    inverted = [name for name in names if name.endswith((" of", " de", " d'", ", Îles"))]
    assert inverted == []


@pytest.mark.parametrize("language", ["en", "fr"])
def test_choices_hold_every_country_once(language):
    choices = country_choices(language)
    assert sorted(code for code, _ in choices) == ALL_CODES
    assert all(name == country_name(code, language) for code, name in choices)


def test_french_choices_sort_accented_names_among_their_letter():
    names = [name for _, name in country_choices("fr")]
    in_order = ["Dominique", "Égypte", "Émirats arabes unis", "Équateur", "Espagne", "États-Unis"]
    assert [names.index(name) for name in in_order] == sorted(names.index(n) for n in in_order)
    assert names.index("Éthiopie") < names.index("Fidji")
    assert names[-1] == "Zimbabwe"


def test_english_choices_are_alphabetical():
    names = [name for _, name in country_choices("en")]
    assert names[0] == "Afghanistan"
    assert names.index("Côte d'Ivoire") < names.index("Croatia")


def test_choices_are_a_fresh_list_each_time():
    country_choices("en").clear()
    assert len(country_choices("en")) == len(ALL_CODES)


def test_african_countries_are_the_54_states():
    assert len(AFRICAN_COUNTRIES) == 54
    assert set(ALL_CODES) >= AFRICAN_COUNTRIES
    assert {"SN", "CI", "CD", "CG", "MA", "TN", "DZ", "EG", "ZA", "CV", "SS"} <= AFRICAN_COUNTRIES
    assert not {"EH", "RE", "YT", "SH", "FR"} & AFRICAN_COUNTRIES
