"""Indexes patched from the change log answer as indexes built anew, and readers never fail.

Runs on SQLite, and on PostgreSQL with TEST_DATABASE_URL.
"""

from __future__ import annotations

import random
import threading
from datetime import date

import numpy as np
import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from matching import MatchIndex, Profile
from passerelle.recommender import Recommender
from services_catalog import browse_index, spelling
from services_catalog.importing import import_offers
from services_catalog.models import CatalogueChange, Offer, Organization, note_catalogue_change
from services_catalog.search import (
    DESCRIPTION_FACETS,
    RESTRICTION_FACETS,
    OfferFilters,
    _current_index,
    search_offers,
)
from services_catalog.service import catalogue_version
from services_catalog.synthetic import (
    PROJECT_COUNTRIES,
    RESIDENCE_COUNTRIES,
    synthetic_offer,
    synthetic_offers,
)
from services_catalog.taxonomy import SECTORS, STAGES, TARGET_GROUPS
from services_catalog.workflow import archive

TODAY = date(2026, 11, 23)


FIELDS = {**RESTRICTION_FACETS, **DESCRIPTION_FACETS}  # those the site's search indexes


def assert_same_browse_index(patched: browse_index.BrowseIndex, built: browse_index.BrowseIndex):
    assert patched.version == built.version
    np.testing.assert_array_equal(patched.offer_ids, built.offer_ids)
    for name in ("status", "min_project", "max_project", "deadline", "verified"):
        np.testing.assert_array_equal(getattr(patched, name), getattr(built, name), err_msg=name)
    assert patched.codes == built.codes
    for facet, matrix in built.matrices.items():
        assert (patched.matrices[facet] != matrix).nnz == 0, facet
    np.testing.assert_array_equal(patched.text.terms, built.text.terms)
    np.testing.assert_allclose(patched.text.lengths, built.text.lengths)
    assert abs(patched.text.matrix - built.text.matrix).max() < 1e-4


def random_profile(rng: random.Random) -> Profile:
    return Profile(
        residence_country=rng.choice(RESIDENCE_COUNTRIES),
        target_country=rng.choice(PROJECT_COUNTRIES),
        sector=rng.choice(list(SECTORS)),
        stage=rng.choice(list(STAGES)),
        project_eur=rng.choice((2_000, 20_000, 200_000)),
        funding_need_eur=rng.choice((None, 10_000)),
        groups=tuple(rng.sample(list(TARGET_GROUPS), rng.randint(0, 2))),
        needs=rng.choice(((), ("loan",), ("mentoring", "training"))),
        description=rng.choice(("", "financement agricole solaire", "digital training women")),
    )


def match_answer(recommender: Recommender, profile: Profile):
    result = recommender.recommend(profile, as_of=TODAY, top=500)
    return (
        result.eligible_count,
        [(r.offer_id, r.score, r.organization, r.title) for r in result.results],
        [(n.offer_id, n.criterion) for n in result.near_misses],
    )


def random_edit(session: Session, rng: random.Random, numbers: list[int]) -> None:
    """One change of the kinds the site makes: add, edit, unpublish, delete, rename."""
    offers = session.scalars(select(Offer).order_by(Offer.id)).all()
    action = rng.choice(("add", "edit", "edit", "unpublish", "delete", "rename"))
    if action == "add" or not offers:
        numbers.append(max(numbers) + 1)
        rows = [(1, synthetic_offer(rng, numbers[-1], TODAY))]
        import_offers(session, rows, today=TODAY)
    elif action == "edit":
        offer = rng.choice(offers)
        raw = synthetic_offer(rng, 0, TODAY) | {"id": offer.external_id}
        import_offers(session, [(1, raw)], today=TODAY)
    elif action == "unpublish":
        published = [o for o in offers if o.status == "published"]
        if published:
            archive(session, rng.choice(published), actor_id=None)
    elif action == "delete":
        session.delete(rng.choice(offers))
    else:
        organization = rng.choice(session.scalars(select(Organization)).all())
        organization.name = f"{organization.name} bis"
    session.commit()


@pytest.fixture
def spied(monkeypatch):
    """Counts of the patches the indexes make (a test that always rebuilt proves nothing)."""
    calls = {"browse": 0, "match": 0}
    browse_patch, match_patch = browse_index.patch, MatchIndex.patched

    def count_browse(*args, **kwargs):
        calls["browse"] += 1
        return browse_patch(*args, **kwargs)

    def count_match(self, *args, **kwargs):
        calls["match"] += 1
        return match_patch(self, *args, **kwargs)

    monkeypatch.setattr(browse_index, "patch", count_browse)
    monkeypatch.setattr(MatchIndex, "patched", count_match)
    return calls


@pytest.mark.parametrize("seed", [1, 2])
def test_patched_indexes_answer_as_rebuilt_ones_after_random_edits(db, session, spied, seed):
    rng = random.Random(seed)
    import_offers(session, list(enumerate(synthetic_offers(40, seed=seed), 1)), today=TODAY)
    session.commit()
    numbers = list(range(1, 41))
    following = Recommender(db, needs_model=None, recheck_seconds=0)
    following.index()
    _current_index(session)
    spelling.vocabulary(session)
    profiles = [random_profile(rng) for _ in range(6)]
    for step in range(25):
        random_edit(session, rng, numbers)
        patched = _current_index(session)
        version = catalogue_version(session)
        assert_same_browse_index(patched, browse_index.build(session, FIELDS, version))
        vocabulary, built = spelling.vocabulary(session), spelling.build(session, version)
        assert (vocabulary.titles, vocabulary.uses) == (built.titles, built.uses), step
        assert vocabulary.built_at < version, step  # patched, not built again
        session.rollback()
        rebuilt = Recommender(db, needs_model=None)
        for profile in profiles:
            assert match_answer(following, profile) == match_answer(rebuilt, profile), step
    assert spied["browse"] >= 20 and spied["match"] >= 20


def test_a_version_that_did_not_list_its_offers_makes_the_indexes_rebuild(db, session, spied):
    import_offers(session, list(enumerate(synthetic_offers(5), 1)), today=TODAY)
    session.commit()
    following = Recommender(db, needs_model=None, recheck_seconds=0)
    following.index()
    _current_index(session)
    spelling.vocabulary(session)
    first, second = session.scalars(select(Offer).order_by(Offer.id).limit(2)).all()
    archive(session, first, actor_id=None)
    session.commit()
    version = catalogue_version(session)
    logged = select(CatalogueChange.offer_id).where(CatalogueChange.version == version)
    assert session.scalars(logged).all() == [first.id]
    patches = dict(spied)
    # As a writer that changes offers by bulk statements without naming them.
    session.execute(update(Offer).where(Offer.id == second.id).values(status="archived"))
    note_catalogue_change(session)
    session.commit()
    logged = select(CatalogueChange).where(CatalogueChange.version == version + 1)
    assert session.scalars(logged).all() == []
    published = sorted(session.scalars(select(Offer.id).where(Offer.status == "published")))
    assert following.index().offer_ids.tolist() == published
    browsed = _current_index(session)
    assert browsed.version == version + 1
    assert published == browsed.offer_ids[browsed.status == "published"].tolist()
    assert spied == patches
    assert spelling.vocabulary(session).built_at == catalogue_version(session)


def test_readers_never_fail_while_the_indexes_follow_edits(db, session):
    import_offers(session, list(enumerate(synthetic_offers(200, seed=3), 1)), today=TODAY)
    session.commit()
    recommender = Recommender(db, needs_model=None, recheck_seconds=0)
    recommender.index()
    failures: list[BaseException] = []
    stop = threading.Event()

    def read(number: int) -> None:
        rng = random.Random(number)
        while not stop.is_set():
            try:
                with Session(db) as reader:
                    result = search_offers(reader, OfferFilters(country=["SN"]))
                    assert result.total >= 0
                result = recommender.recommend(random_profile(rng), as_of=TODAY)
                assert all(r.offer_id > 0 for r in result.results)
            except BaseException as error:  # every failure, reported by the test itself
                failures.append(error)
                return

    readers = [threading.Thread(target=read, args=(n,)) for n in range(4)]
    for reader in readers:
        reader.start()
    rng, numbers = random.Random(4), list(range(1, 201))
    try:
        for _ in range(20):
            random_edit(session, rng, numbers)
    finally:
        stop.set()
        for reader in readers:
            reader.join(30)
    assert failures == []
    session.rollback()
    assert recommender.index().offer_ids.tolist() == sorted(
        session.scalars(select(Offer.id).where(Offer.status == "published"))
    )
