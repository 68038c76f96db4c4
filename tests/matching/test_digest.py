"""The batch scoring of alert digests gives each profile what `MatchIndex.match` gives it."""

from __future__ import annotations

import random
from dataclasses import replace

from matching import MatchIndex, OfferRecord, Profile
from matching.digest import BLOCK
from passerelle.recommender import CatalogueLabels
from tests.matching.test_batch import AS_OF, random_offer, random_profile

CATEGORIES = ("grant", "loan", "training", "mentoring")
TEXTS = ("poultry farm chicken feed", "mobile app for farmers", "solar pumps", "")


def _offers(rng: random.Random, count: int) -> list[OfferRecord]:
    return [
        replace(
            random_offer(rng, number),
            kind=rng.choice(("service", "financing")),
            categories=tuple(rng.sample(CATEGORIES, rng.randint(0, 2))),
            ticket_min_eur=rng.choice((None, 1_000, 30_000)),
            ticket_max_eur=rng.choice((None, 50_000)),
            description=rng.choice(TEXTS),
        )
        for number in range(1, count + 1)
    ]


def _profiles(rng: random.Random, count: int) -> list[Profile]:
    return [
        replace(
            random_profile(rng),
            needs=tuple(rng.sample(CATEGORIES[:3], rng.randint(0, 2))),
            funding_need_eur=rng.choice((None, 20_000, 90_000)),
            description=rng.choice(("", "a poultry farm", "solar energy for villages")),
        )
        for _ in range(count)
    ]


def _answer(recommendations) -> list[tuple]:
    return [(r.offer_id, r.score, r.reasons, r.cautions, r.components) for r in recommendations]


def test_best_among_the_whole_catalogue_is_the_match_of_each_profile():
    rng = random.Random(3)
    offers = _offers(rng, 400)
    index = MatchIndex.build(offers)
    profiles = _profiles(rng, BLOCK + 40)  # more than one block
    labels = CatalogueLabels()
    ids = [o.offer_id for o in offers]
    batch = index.best_among(profiles, ids, as_of=AS_OF, top=5, lang="fr", labels=labels)
    for profile, found in zip(profiles, batch, strict=True):
        expected = index.match(profile, as_of=AS_OF, top=5, lang="fr", labels=labels).results
        assert _answer(found) == _answer(expected)
    assert sum(map(len, batch)) > len(profiles)  # not a comparison of empty answers


def test_best_among_a_few_offers_keeps_only_eligible_ones_among_them():
    rng = random.Random(8)
    offers = _offers(rng, 300)
    index = MatchIndex.build(offers)
    profiles = _profiles(rng, 50)
    few = [o.offer_id for o in offers[::7]] + [10_000]  # an unknown id is ignored
    labels = CatalogueLabels()
    batch = index.best_among(profiles, few, as_of=AS_OF, top=50, lang="en", labels=labels)
    for profile, found in zip(profiles, batch, strict=True):
        eligible = set(index.eligible_ids(profile, AS_OF)) & set(few)
        assert {r.offer_id for r in found} == eligible
    assert any(batch)


def test_within_explains_only_the_chosen_offers_kept():
    rng = random.Random(4)
    offers = _offers(rng, 200)
    index = MatchIndex.build(offers)
    profiles = _profiles(rng, 30)
    ids = [o.offer_id for o in offers]
    labels = CatalogueLabels()
    full = index.best_among(profiles, ids, as_of=AS_OF, top=10, labels=labels)
    within = {o.offer_id for o in offers if o.offer_id % 3 == 0}
    kept = index.best_among(profiles, ids, as_of=AS_OF, top=10, labels=labels, within=within)
    for all_of_them, some in zip(full, kept, strict=True):
        assert [r.offer_id for r in some] == [
            r.offer_id for r in all_of_them if r.offer_id in within
        ]


def test_no_profiles_or_no_offers():
    index = MatchIndex.build(_offers(random.Random(1), 10))
    labels = CatalogueLabels()
    assert index.best_among([], [1, 2], as_of=AS_OF, top=3, labels=labels) == []
    profile = _profiles(random.Random(2), 1)
    assert index.best_among(profile, [], as_of=AS_OF, top=3, labels=labels) == [[]]
