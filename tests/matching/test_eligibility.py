"""Eligibility criterion by criterion, near misses, and the index against a reference."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching import MatchIndex, OfferRecord, Profile, check_eligibility, is_eligible

AS_OF = date(2026, 6, 15)


class TinyLabels:
    """Labels for the test: the code in the requested language's case."""

    def _label(self, code: str, lang: str) -> str:
        return code.upper() if lang == "fr" else code

    country = sector = category = group = stage = applicant_type = _label


LABELS = TinyLabels()


def offer(offer_id: int = 1, **fields) -> OfferRecord:
    base = {"title": f"Offer {offer_id}", "organization": "Org", "kind": "service"}
    return OfferRecord(offer_id=offer_id, **{**base, **fields})


PROFILE = Profile(
    residence_country="FR",
    target_country="SN",
    sector="agriculture",
    stage="startup",
    project_eur=20_000,
    applicant_type="individual",
    groups=("diaspora",),
)


def reference_failures(o: OfferRecord, p: Profile, as_of: date) -> set[str]:
    """Contract section 3, written out plainly, independently of the library."""
    failed = set()
    if o.countries and p.target_country not in o.countries:
        failed.add("target_country")
    if o.residence_countries and p.residence_country not in o.residence_countries:
        failed.add("residence_country")
    if o.sectors and p.sector not in o.sectors:
        failed.add("sector")
    if o.stages and p.stage not in o.stages:
        failed.add("stage")
    if o.applicant_types and p.applicant_type not in o.applicant_types:
        failed.add("applicant_type")
    if o.target_groups and not any(g in o.target_groups for g in p.groups):
        failed.add("target_group")
    too_small = o.min_project_eur is not None and p.project_eur < o.min_project_eur
    too_big = o.max_project_eur is not None and p.project_eur > o.max_project_eur
    if too_small or too_big:
        failed.add("project_size")
    if not o.published:
        failed.add("published")
    not_open = o.opens is not None and as_of < o.opens
    closed = o.deadline is not None and as_of > o.deadline
    if not_open or closed:
        failed.add("window")
    return failed


def index_says(o: OfferRecord, p: Profile = PROFILE, as_of: date = AS_OF) -> bool:
    return MatchIndex.build([o]).eligible_ids(p, as_of) == [o.offer_id]


def failed_criteria(o: OfferRecord, p: Profile = PROFILE, as_of: date = AS_OF) -> set[str]:
    return {f.criterion for f in check_eligibility(o, p, as_of)}


CASES = [
    # (offer fields, eligible?, failing criterion) -- one criterion and its edges per line.
    ({}, True, None),
    ({"countries": ("SN",)}, True, None),
    ({"countries": ("CI", "ML")}, False, "target_country"),
    ({"residence_countries": ("FR", "BE")}, True, None),
    ({"residence_countries": ("DE",)}, False, "residence_country"),
    ({"sectors": ("agriculture", "energy")}, True, None),
    ({"sectors": ("digital",)}, False, "sector"),
    ({"stages": ("startup",)}, True, None),
    ({"stages": ("growth", "scaleup")}, False, "stage"),
    ({"applicant_types": ("individual", "company")}, True, None),
    ({"applicant_types": ("association",)}, False, "applicant_type"),
    ({"target_groups": ("women", "diaspora")}, True, None),
    ({"target_groups": ("women", "youth")}, False, "target_group"),
    ({"min_project_eur": 20_000}, True, None),
    ({"min_project_eur": 20_001}, False, "project_size"),
    ({"max_project_eur": 20_000}, True, None),
    ({"max_project_eur": 19_999}, False, "project_size"),
    ({"min_project_eur": 20_000, "max_project_eur": 20_000}, True, None),
    ({"min_project_eur": 30_000, "max_project_eur": 10_000}, False, "project_size"),
    ({"published": False}, False, "published"),
    ({"opens": AS_OF}, True, None),
    ({"opens": AS_OF + timedelta(days=1)}, False, "window"),
    ({"deadline": AS_OF}, True, None),
    ({"deadline": AS_OF - timedelta(days=1)}, False, "window"),
    ({"opens": AS_OF, "deadline": AS_OF}, True, None),
    ({"opens": None, "deadline": None}, True, None),
]


@pytest.mark.parametrize(("fields", "eligible", "criterion"), CASES)
def test_each_criterion_and_its_edges(fields, eligible, criterion):
    o = offer(**fields)
    assert is_eligible(o, PROFILE, AS_OF) is eligible
    assert index_says(o) is eligible
    assert failed_criteria(o) == ({criterion} if criterion else set())
    assert reference_failures(o, PROFILE, AS_OF) == failed_criteria(o)


def test_no_group_fails_any_group_restriction_but_not_an_open_offer():
    loner = replace(PROFILE, groups=())
    assert not is_eligible(offer(target_groups=("diaspora",)), loner, AS_OF)
    assert not index_says(offer(target_groups=("diaspora",)), loner)
    assert index_says(offer(), loner)


def test_failure_says_what_was_required():
    (failure,) = check_eligibility(offer(countries=("CI", "ML")), PROFILE, AS_OF)
    assert (failure.criterion, failure.codes) == ("target_country", ("CI", "ML"))
    (size,) = check_eligibility(offer(min_project_eur=30_000), PROFILE, AS_OF)
    assert (size.minimum, size.maximum) == (30_000, None)
    (window,) = check_eligibility(offer(deadline=date(2026, 3, 1)), PROFILE, AS_OF)
    assert window.deadline == date(2026, 3, 1)


def test_several_failures_are_all_listed():
    o = offer(countries=("CI",), sectors=("digital",), published=False)
    assert failed_criteria(o) == {"target_country", "sector", "published"}


def test_near_misses_fail_exactly_one_criterion_and_are_published():
    catalogue = [
        offer(1),
        offer(2, countries=("CI",)),
        offer(3, countries=("CI",), sectors=("digital",)),
        offer(4, published=False),
        offer(5, published=False, countries=("CI",)),
        offer(6, opens=date(2027, 9, 1)),
    ]
    result = MatchIndex.build(catalogue).match(PROFILE, as_of=AS_OF, labels=LABELS)
    assert [r.offer_id for r in result.results] == [1]
    assert {(n.offer_id, n.criterion) for n in result.near_misses} == {
        (2, "target_country"),
        (6, "window"),
    }


def test_unknown_codes_and_odd_values_do_not_crash():
    odd = Profile(
        residence_country="ZZ",
        target_country="??",
        sector="space_mining",
        stage="",
        project_eur=None,  # type: ignore[arg-type]
        applicant_type="robot",
        groups=("martians",),
    )
    catalogue = [offer(1), offer(2, countries=("SN",)), offer(3, min_project_eur=10)]
    result = MatchIndex.build(catalogue).match(odd, as_of=AS_OF, labels=LABELS, lang="de")
    assert [r.offer_id for r in result.results] == [1]
    assert {n.offer_id for n in result.near_misses} == {2, 3}
    assert failed_criteria(catalogue[2], odd) == {"project_size"}


def test_empty_catalogue():
    result = MatchIndex.build([]).match(PROFILE, as_of=AS_OF, labels=LABELS)
    assert (result.results, result.near_misses) == ([], [])


def test_duplicate_offer_ids_are_refused():
    with pytest.raises(ValueError, match="unique"):
        MatchIndex.build([offer(1), offer(1)])


# Random catalogues over small vocabularies, so that matches and boundary days are common.
COUNTRIES = ["SN", "CI", "ML", "FR"]
RESIDENCES = ["FR", "BE", "SN"]
SECTORS = ["agriculture", "digital", "energy"]
STAGES = ["idea", "startup", "growth", "scaleup"]
APPLICANTS = ["individual", "company", "association"]
GROUPS = ["diaspora", "returnee", "women", "youth"]
CATEGORIES = ["loan", "grant", "mentoring", "training"]
DAYS = [date(2026, 6, d) for d in (10, 14, 15, 16, 20)]
TEXTS = ["Prêt agricole pour la diaspora", "Digital mentoring programme", "", "Subvention"]


def codes(pool: list[str], odd: str | None = None) -> st.SearchStrategy[tuple[str, ...]]:
    values = pool + ([odd] if odd else [])
    return st.lists(st.sampled_from(values), max_size=3, unique=True).map(tuple)


offers = st.builds(
    OfferRecord,
    offer_id=st.integers(1, 500),
    title=st.sampled_from(TEXTS),
    organization=st.just("Org"),
    kind=st.sampled_from(["service", "financing"]),
    description=st.sampled_from(TEXTS),
    categories=codes(CATEGORIES),
    sectors=codes(SECTORS, odd="odd_sector"),
    countries=codes(COUNTRIES),
    residence_countries=codes(RESIDENCES),
    stages=codes(STAGES),
    applicant_types=codes(APPLICANTS),
    target_groups=codes(GROUPS),
    min_project_eur=st.sampled_from([None, 1_000, 20_000]),
    max_project_eur=st.sampled_from([None, 1_000, 20_000, 50_000]),
    ticket_min_eur=st.sampled_from([None, 5_000]),
    ticket_max_eur=st.sampled_from([None, 30_000]),
    opens=st.sampled_from([None, *DAYS]),
    deadline=st.sampled_from([None, *DAYS]),
    published=st.sampled_from([True, True, True, False]),
)
catalogues = st.lists(offers, max_size=30, unique_by=lambda o: o.offer_id)
profiles = st.builds(
    Profile,
    residence_country=st.sampled_from([*RESIDENCES, "US"]),
    target_country=st.sampled_from(COUNTRIES),
    sector=st.sampled_from([*SECTORS, "health"]),
    stage=st.sampled_from(STAGES),
    project_eur=st.sampled_from([0, 999, 1_000, 1_001, 20_000, 50_000, 60_000]),
    funding_need_eur=st.sampled_from([None, 4_000, 10_000, 40_000]),
    applicant_type=st.sampled_from(APPLICANTS),
    groups=codes(GROUPS),
    needs=codes(CATEGORIES),
    description=st.sampled_from(TEXTS),
)
RANDOM = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@RANDOM
@given(catalogue=catalogues, profile=profiles, as_of=st.sampled_from(DAYS))
def test_index_eligibility_equals_the_reference(catalogue, profile, as_of):
    index = MatchIndex.build(catalogue)
    expected = sorted(o.offer_id for o in catalogue if not reference_failures(o, profile, as_of))
    assert index.eligible_ids(profile, as_of) == expected
    for o in catalogue:
        assert failed_criteria(o, profile, as_of) == reference_failures(o, profile, as_of)


@RANDOM
@given(catalogue=catalogues, profile=profiles, as_of=st.sampled_from(DAYS))
def test_no_result_is_ineligible_and_near_misses_lack_exactly_one(catalogue, profile, as_of):
    by_id = {o.offer_id: o for o in catalogue}
    everything = len(catalogue)
    result = MatchIndex.build(catalogue).match(
        profile, as_of=as_of, top=everything, near_misses=everything, labels=LABELS
    )
    for r in result.results:
        assert reference_failures(by_id[r.offer_id], profile, as_of) == set()
        assert 0.0 <= r.score <= 1.0
    eligible = {o.offer_id for o in catalogue if not reference_failures(o, profile, as_of)}
    assert {r.offer_id for r in result.results} == eligible
    # Offers meeting a known need first (a "needs" component above 0), then by score.
    ranking = [(r.components.get("needs", 1.0) == 0, -r.score, r.offer_id) for r in result.results]
    assert ranking == sorted(ranking)
    for n in result.near_misses:
        o = by_id[n.offer_id]
        assert o.published
        assert reference_failures(o, profile, as_of) == {n.criterion}
        assert n.missing
    near = {
        o.offer_id
        for o in catalogue
        if o.published and len(reference_failures(o, profile, as_of)) == 1
    }
    assert {n.offer_id for n in result.near_misses} == near
