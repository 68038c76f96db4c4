"""Search as people type it: inflections, either language, synonyms, filters named in words."""

from datetime import date

import pytest

from services_catalog.demo import load_demo
from services_catalog.importing import import_offers
from services_catalog.query_reading import read_query
from services_catalog.search import OfferFilters, did_you_mean, search_offers


def offer(key, title, description):
    return {
        "id": key,
        "title": title,
        "description": description,
        "organization": "Réseau Test",
        "kind": "service",
        "categories": ["mentoring"],
    }


WRITTEN = [
    offer("volailles", "Élevage de volailles à Thiès", "Appui aux aviculteurs."),
    offer("poultry", "Poultry farming support", "Advice for small farms."),
    offer("incubateur", "Incubateur d'entreprises sociales", "Six mois d'accompagnement."),
    offer("incubator", "Social business incubator", "Six months of coaching."),
    offer("expatries", "Club des expatriés", "Rencontres mensuelles."),
    offer("proches", "Lever l'argent des proches", "Famille, amis : le premier tour de table."),
    offer("lovemoney", "Love money clinic", "Raising money from relatives."),
    offer("apart", "Money for your love of music", "Instruments on loan."),
    offer("assistance", "Assistance technique aux coopératives", "Missions courtes."),
    offer("support", "Technical support for cooperatives", "Short missions."),
]


@pytest.fixture
def written(session):
    assert import_offers(session, list(enumerate(WRITTEN, 1)), today=date(2026, 11, 1)).applied
    session.commit()
    return session


@pytest.fixture
def demo(session):
    load_demo(session, today=date(2026, 11, 1))
    session.commit()
    return session


def found(session, q, **filters):
    result = search_offers(session, OfferFilters(q=q, **filters))
    return sorted(o.external_id for o in result.offers)


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("poulet", ["poultry", "volailles"]),  # French word, both languages found
        ("poultry", ["poultry", "volailles"]),  # English word, both languages found
        ("volailles", ["poultry", "volailles"]),  # a plural
        ("aviculteur", ["poultry", "volailles"]),
        ("pépinières", ["incubateur", "incubator"]),  # "incubator" itself reads as a filter
        ("diaspora", ["expatries"]),
        ("expatriates", ["expatries"]),
        ("ELEVAGE", ["poultry", "volailles"]),  # no accent, capitals
    ],
)
def test_words_find_their_inflections_and_synonyms_in_either_language(written, q, expected):
    assert found(written, q) == expected


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        # A phrase finds the phrases of its group, in either language, and not its words
        # written apart ("money for your love").
        ("love money", ["lovemoney", "proches"]),
        ("argent des proches", ["lovemoney", "proches"]),
        ("assistance technique", ["assistance", "support"]),
        ("technical support", ["assistance", "support"]),
        ("Technical Support coopératives", ["assistance", "support"]),
    ],
)
def test_phrases_find_the_phrases_of_their_group_in_either_language(written, q, expected):
    assert found(written, q) == expected


def test_financing_in_morocco_is_the_morocco_filter_plus_financing(demo):
    typed = search_offers(demo, OfferFilters(q="financement Maroc", per_page=100))
    chosen = search_offers(demo, OfferFilters(country=["MA"], kind=["financing"], per_page=100))
    assert (typed.filters.country, typed.filters.kind, typed.filters.q) == (
        ["MA"],
        ["financing"],
        None,
    )
    assert typed.total == chosen.total > 10
    assert [o.id for o in typed.offers] == [o.id for o in chosen.offers]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("startup tech Maroc", "technopark-morocco-hosting"),
        ("poulet", "der-fj-diaspora-fund"),
        ("aviculture", "der-fj-diaspora-fund"),
        ("incubateur", "bondinnov-france-africa-incubation"),
    ],
)
def test_the_demo_catalogue_answers_what_people_type(demo, q, expected):
    assert expected in found(demo, q, per_page=100)


@pytest.mark.parametrize(
    ("q", "keywords", "filters"),
    [
        ("financement Maroc", None, {"country": ["MA"], "kind": ["financing"]}),
        ("Morocco funding", None, {"country": ["MA"], "kind": ["financing"]}),
        ("prêts d'honneur Côte d'Ivoire", None, {"country": ["CI"], "category": ["honour_loan"]}),
        ("startup tech", None, {"stage": ["startup"], "sector": ["digital"]}),
        ("poulet au Sénégal", "poulet au", {"country": ["SN"]}),
        ("incubators", None, {"category": ["incubation"]}),
        ("Loans", None, {"category": ["loan", "honour_loan", "microcredit"]}),
        # Two- and three-letter words are not read as ISO codes (DE, AND, IT).
        ("aide de la diaspora and it", "aide de la diaspora and it", {}),
        ("de la", None, {}),
        # Stages named in words: the project's stage, removable like any filter.
        ("idée agriculture", None, {"stage": ["idea"], "sector": ["agriculture"]}),
        ("démarrage", None, {"stage": ["startup"]}),
        ("startup stage", None, {"stage": ["startup"]}),
        ("croissance Maroc", None, {"country": ["MA"], "stage": ["growth"]}),
        ("expansion", None, {"stage": ["growth"]}),
        ("idea stage grant", "grant", {"stage": ["idea"]}),
        # Phrases naming a category are that category's filter.
        ("plan d'affaires", None, {"category": ["business_plan"]}),
        ("venture capital", None, {"category": ["equity"]}),
        ("fonds de garantie", None, {"category": ["guarantee"]}),
    ],
)
def test_a_query_names_countries_and_vocabulary_words(q, keywords, filters):
    read = read_query(q)
    assert (read.keywords, read.filters) == (keywords, filters)


@pytest.mark.parametrize(
    ("q", "respelt"), [("vollaille", "volaille"), ("poultyr farms", "poultry farms")]
)
def test_a_word_that_finds_nothing_is_respelt_as_the_catalogue_writes_it(written, q, respelt):
    assert search_offers(written, OfferFilters(q=q)).total == 0
    suggested = did_you_mean(written, OfferFilters(q=q))
    assert suggested.q == respelt
    assert search_offers(written, suggested).total > 0


def test_no_respelling_is_offered_when_it_would_find_nothing_either(written):
    assert did_you_mean(written, OfferFilters(q="zebra")) is None
    assert did_you_mean(written, OfferFilters(q="poultry")) is None  # a known word
