"""Eligible counts of many profiles at once agree with the index's one-profile answer."""

from __future__ import annotations

import random
from datetime import date, timedelta

from matching import MatchIndex, OfferRecord, Profile

AS_OF = date(2026, 6, 15)
COUNTRIES = ("SN", "ML", "CI", "MA")
SECTORS = ("agriculture", "digital", "energy")
STAGES = ("idea", "startup", "growth")
TYPES = ("individual", "company", "association")
GROUPS = ("diaspora", "women", "youth")


def _some(rng: random.Random, choices: tuple[str, ...]) -> tuple[str, ...]:
    return () if rng.random() < 0.4 else tuple(rng.sample(choices, rng.randint(1, 2)))


def random_offer(rng: random.Random, offer_id: int) -> OfferRecord:
    low = rng.choice((None, 5_000, 50_000))
    deadline = rng.choice((None, AS_OF - timedelta(days=3), AS_OF + timedelta(days=30)))
    return OfferRecord(
        offer_id=offer_id,
        title=f"Offer {offer_id}",
        organization="Org",
        kind="service",
        countries=_some(rng, COUNTRIES),
        residence_countries=_some(rng, ("FR", "BE")),
        sectors=_some(rng, SECTORS),
        stages=_some(rng, STAGES),
        applicant_types=_some(rng, TYPES),
        target_groups=_some(rng, GROUPS),
        min_project_eur=low,
        max_project_eur=None if low is None else low * rng.choice((2, 10)),
        opens=rng.choice((None, AS_OF + timedelta(days=1))),
        deadline=deadline,
        published=rng.random() < 0.9,
    )


def random_profile(rng: random.Random) -> Profile:
    return Profile(
        residence_country=rng.choice(("FR", "BE", "DE")),
        target_country=rng.choice((*COUNTRIES, "ZZ")),  # ZZ: a country no offer names
        sector=rng.choice(SECTORS),
        stage=rng.choice(STAGES),
        project_eur=rng.choice((1_000, 20_000, 200_000)),
        applicant_type=rng.choice(TYPES),
        groups=_some(rng, GROUPS),
    )


def test_batch_counts_equal_the_one_profile_masks():
    rng = random.Random(11)
    index = MatchIndex.build([random_offer(rng, i) for i in range(1, 401)])
    profiles = [random_profile(rng) for _ in range(300)]  # more than one block
    expected = [int(index.eligible_mask(p, AS_OF).sum()) for p in profiles]
    assert index.eligible_counts(profiles, AS_OF).tolist() == expected
    assert sum(expected) > 0  # the comparison is not between two empty answers


def test_unusable_size_and_empty_inputs():
    bounded = OfferRecord(offer_id=1, title="A", organization="O", kind="service",
                          min_project_eur=1_000)  # fmt: skip
    open_offer = OfferRecord(offer_id=2, title="B", organization="O", kind="service")
    index = MatchIndex.build([bounded, open_offer])
    profile = random_profile(random.Random(1))
    odd = Profile(**{**{f: getattr(profile, f) for f in profile.__slots__}, "project_eur": "?"})
    assert index.eligible_counts([odd], AS_OF).tolist() == [1]
    assert index.eligible_counts([], AS_OF).tolist() == []
    assert MatchIndex.build([]).eligible_counts([profile], AS_OF).tolist() == [0]


def test_match_reports_how_many_offers_are_eligible_in_all():
    rng = random.Random(5)
    index = MatchIndex.build([random_offer(rng, i) for i in range(1, 201)])

    class Labels:
        def _label(self, code, lang):
            return code

        country = sector = category = group = stage = applicant_type = _label

    for profile in (random_profile(rng) for _ in range(20)):
        result = index.match(profile, as_of=AS_OF, top=2, labels=Labels())
        assert result.eligible_count == int(index.eligible_mask(profile, AS_OF).sum())
        assert len(result.results) == min(2, result.eligible_count)


def test_pair_counts_follow_country_sector_and_deadline_only():
    rng = random.Random(23)
    offers = [random_offer(rng, i) for i in range(1, 301)]
    index = MatchIndex.build(offers)
    pairs = [(c, s) for c in (*COUNTRIES, "ZZ") for s in SECTORS]

    def admits(codes: tuple[str, ...], value: str) -> bool:
        return not codes or value in codes

    expected = [
        sum(
            1
            for o in offers
            if o.published
            and (o.deadline is None or o.deadline >= AS_OF)
            and admits(o.countries, country)
            and admits(o.sectors, sector)
        )
        for country, sector in pairs
    ]
    assert index.pair_counts(pairs, AS_OF).tolist() == expected
    unrestricted = sum(1 for o in offers if o.published and not o.countries and not o.sectors
                       and (o.deadline is None or o.deadline >= AS_OF))  # fmt: skip
    assert min(expected) >= unrestricted > 0  # open-to-all offers count in every pair
