from datetime import date

import pytest
from pydantic import ValidationError

from services_catalog.importing import import_offers
from services_catalog.search import OfferFilters, relaxations, search_offers


def offer(key, **fields):
    return {
        "id": key,
        "title": f"Offre {key}",
        "description": "Accompagnement.",
        "organization": "Réseau Test",
        "kind": "service",
        "categories": ["mentoring"],
        **fields,
    }


CATALOGUE = [
    offer("senegal-agri", countries="SN", sectors="agriculture", kind="financing",
          categories="loan", title="Prêt agricole pour la diaspora",
          min_project_eur=10_000, max_project_eur=100_000),
    offer("anywhere", description="Mentorat pour créateurs d'entreprise, partout.",
          last_verified_on=None),
    offer("mali-women", countries="ML", target_groups="women", title="Women founders in Mali",
          deadline="2027-01-15"),
    offer("senegal-ivory-digital", countries="SN;CI", sectors="digital",
          categories="incubation;mentoring", title="Incubateur numérique Dakar Abidjan",
          deadline="2026-12-20", organization="Hub Numérique"),
    offer("france-residents", residence_countries="FR", kind="financing", categories="grant",
          title="Subvention PRA-OSIM", applicant_types="association", min_project_eur=15_000),
]  # fmt: skip


@pytest.fixture
def catalogue(session):
    rows = [(n, {k: v for k, v in o.items() if k != "last_verified_on"}) for n, o in
            enumerate(CATALOGUE, 1)]  # fmt: skip
    import_offers(session, rows, today=date(2026, 11, 1))
    session.commit()
    return session


def ids(result):
    return sorted(o.external_id for o in result.offers)


def find(session, **filters):
    return search_offers(session, OfferFilters(**filters))


def test_no_filter_lists_every_published_offer(catalogue):
    assert find(catalogue).total == 5


def test_unrestricted_offers_appear_for_every_country(catalogue):
    assert ids(find(catalogue, country=["SN"])) == [
        "anywhere", "france-residents", "senegal-agri", "senegal-ivory-digital",
    ]  # fmt: skip
    assert ids(find(catalogue, country=["ML"])) == ["anywhere", "france-residents", "mali-women"]


def test_values_within_a_facet_widen_and_facets_narrow(catalogue):
    assert ids(find(catalogue, country=["SN", "ML"], sector=["digital"])) == [
        "anywhere", "france-residents", "mali-women", "senegal-ivory-digital",
    ]  # fmt: skip
    assert ids(find(catalogue, kind=["financing"], residence_country=["DE"])) == ["senegal-agri"]


def test_categories_describe_and_match_only_when_present(catalogue):
    assert ids(find(catalogue, category=["mentoring"])) == [
        "anywhere", "mali-women", "senegal-ivory-digital",
    ]  # fmt: skip


def test_amount_within_inclusive_bounds(catalogue):
    assert "senegal-agri" in ids(find(catalogue, amount=100_000))
    assert "senegal-agri" not in ids(find(catalogue, amount=100_001))
    assert "france-residents" not in ids(find(catalogue, amount=14_999))


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("pret agricole", ["senegal-agri"]),
        ("PRÊT", ["senegal-agri"]),
        ("Numériques Dakar", ["senegal-ivory-digital"]),  # a sector and a keyword
        ("hub", ["senegal-ivory-digital"]),  # the provider's name is searched too
        ("wom", ["mali-women"]),  # words are prefixes
        ("founder", ["anywhere", "mali-women"]),  # "créateurs" is a synonym
        ("créateurs", ["anywhere", "mali-women"]),  # "founders" too
        ("mentorat partout", ["anywhere"]),
        ("zebra", []),
        ('"; DROP TABLE offer; --', []),
    ],
)
def test_full_text_search_ignores_case_and_accents(catalogue, q, expected):
    assert ids(find(catalogue, q=q)) == expected


def test_facet_counts_include_open_offers_and_ignore_their_own_filter(catalogue):
    facets = find(catalogue, country=["SN"]).facets
    countries = {v.code: (v.count, v.selected) for v in facets["country"]}
    assert countries["SN"] == (4, True)
    assert countries["ML"] == (3, False)
    kinds = {v.code: v.count for v in facets["kind"]}
    assert kinds == {"financing": 2, "service": 2}


def test_sort_by_deadline_puts_rolling_offers_last(catalogue):
    result = find(catalogue, sort="deadline")
    assert [o.external_id for o in result.offers][:2] == ["senegal-ivory-digital", "mali-women"]


def test_paging(catalogue):
    first = find(catalogue, per_page=2)
    third = find(catalogue, per_page=2, page=3)
    assert (first.total, first.pages, len(first.offers), len(third.offers)) == (5, 3, 2, 1)


def test_relaxations_say_which_filter_hides_offers(catalogue):
    filters = OfferFilters(country=["ML"], residence_country=["DE"], kind=["financing"])
    assert search_offers(catalogue, filters).total == 0
    assert relaxations(catalogue, filters) == {"country": 1, "residence_country": 1, "kind": 2}


def test_unpublished_offers_are_not_listed(catalogue):
    import_offers(catalogue, [(1, offer("draft-one"))], status="pending")
    catalogue.commit()
    assert find(catalogue).total == 5


@pytest.mark.parametrize(
    ("field", "value"),
    [("country", "Narnia"), ("sector", "spaceflight"), ("amount", -5), ("per_page", 1000)],
)
def test_bad_filters_name_the_field(field, value):
    with pytest.raises(ValidationError) as caught:
        OfferFilters(**{field: value})
    assert caught.value.errors()[0]["loc"][0] == field


def test_filters_accept_names_and_labels():
    filters = OfferFilters(country="Côte d'Ivoire", sector=["Numérique, TIC et tech"])
    assert (filters.country, filters.sector) == (["CI"], ["digital"])


def test_offers_naming_the_chosen_country_come_before_those_open_to_all(catalogue):
    listed = [o.external_id for o in find(catalogue, country=["SN"]).offers]
    assert sorted(listed[:2]) == ["senegal-agri", "senegal-ivory-digital"]
    by_deadline = [o.external_id for o in find(catalogue, country=["SN"], sort="deadline").offers]
    assert by_deadline[0] == "senegal-ivory-digital"  # other sorts keep their own order
