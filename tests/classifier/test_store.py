"""The stored classifier: shared by every process over one database, and a model that
does not load never stops the platform."""

from __future__ import annotations

import logging
import pickle

import pytest
import sklearn
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from passerelle.app import create_app
from passerelle.classifier import store as store_module
from passerelle.classifier.models import StoredClassifier
from passerelle.classifier.store import ClassifierStore
from services_catalog.classify import Classifier
from services_catalog.importing import import_offers
from services_catalog.synthetic import synthetic_offers
from tests.web.test_classify_api import publish_xalis

HONOUR_LOAN = {"text": "Prêt d'honneur à taux zéro pour créer votre entreprise"}
XALIS = "Xalis tontine Sandaga"
LOGGER = "passerelle.classifier.store"


def stored(session) -> list[tuple[str, int, str]]:
    """(scikit-learn version, generation, trained by) of every stored model."""
    rows = session.execute(
        select(
            StoredClassifier.scikit_learn, StoredClassifier.generation, StoredClassifier.trained_by
        ).order_by(StoredClassifier.scikit_learn, StoredClassifier.generation)
    )
    session.commit()  # a new snapshot at the next read
    return [tuple(row) for row in rows]


def files_in(directory) -> list:
    return sorted(directory.rglob("*")) if directory.exists() else []


@pytest.fixture
def saved_model(db, session) -> None:
    """A model retrained on a small catalogue and stored as the platform stores it."""
    import_offers(session, list(enumerate(synthetic_offers(20), start=1)))
    session.commit()
    ClassifierStore(db).retrain(session, trained_by="test")
    assert stored(session) == [(sklearn.__version__, 1, "test")]


DAMAGES = {
    "truncated": lambda good: {"model": good[: len(good) // 2]},
    "garbage": lambda good: {"model": b"\x00\xffnot a model at all"},
    "not a classifier": lambda good: {"model": pickle.dumps({"a": "dict"})},
    "another format": lambda good: {"format": store_module.FORMAT + 1},
}


@pytest.mark.parametrize("damage", DAMAGES)
def test_a_broken_model_is_replaced_at_start_with_a_warning(
    db, settings, session, saved_model, damage, caplog
):
    good = session.scalar(select(StoredClassifier.model))
    session.execute(update(StoredClassifier).values(**DAMAGES[damage](good)))
    session.commit()
    with (
        caplog.at_level(logging.WARNING, logger=LOGGER),
        TestClient(create_app(settings, engine=db)) as client,
    ):
        answer = client.post("/api/v1/classify", json=HONOUR_LOAN)
    assert answer.status_code == 200
    assert answer.json()["categories"][0]["code"] == "honour_loan"
    assert "cannot be used" in caplog.text
    assert "retrained on the catalogue and stored" in caplog.text
    # Stored again, in place of the broken one, in a form every process reads.
    assert stored(session) == [(sklearn.__version__, 2, "replacement of an unusable model")]
    assert ClassifierStore(db).current() is not Classifier.default()


def test_a_model_of_another_scikit_learn_is_retrained_and_kept_for_its_version(
    db, settings, session, saved_model, caplog
):
    session.execute(update(StoredClassifier).values(scikit_learn="0.1"))
    session.commit()
    with (
        caplog.at_level(logging.WARNING, logger=LOGGER),
        TestClient(create_app(settings, engine=db)) as client,
    ):
        assert client.post("/api/v1/classify", json=HONOUR_LOAN).status_code == 200
    assert "written by scikit-learn 0.1" in caplog.text
    # Processes still running the old version keep theirs, rather than retraining in turn.
    assert stored(session) == [
        ("0.1", 1, "test"),
        (sklearn.__version__, 1, "replacement of an unusable model"),
    ]


def test_when_retraining_fails_the_shipped_classifier_answers(
    db, session, saved_model, caplog, monkeypatch
):
    session.execute(update(StoredClassifier).values(model=b"\x00broken"))
    session.commit()
    attempts: list[int] = []

    def failing(session):
        attempts.append(1)
        raise RuntimeError("no catalogue")

    monkeypatch.setattr(Classifier, "from_catalogue", failing)
    store = ClassifierStore(db, recheck_seconds=0)
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        assert store.current() is Classifier.default()
        assert store.current() is Classifier.default()
    assert "the shipped classifier answers" in caplog.text
    assert attempts == [1]  # not again at every check while the broken model stays
    assert stored(session) == [(sklearn.__version__, 1, "test")]  # left for staff to retrain


def test_a_good_model_loads_without_retraining(db, saved_model, caplog, monkeypatch):
    monkeypatch.setattr(
        Classifier, "from_catalogue", lambda session: pytest.fail("retrained a good model")
    )
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        classifier = ClassifierStore(db).current()
    assert isinstance(classifier, Classifier) and classifier is not Classifier.default()
    assert caplog.text == ""


def test_without_a_stored_model_the_shipped_classifier_answers(db):
    assert ClassifierStore(db).current() is Classifier.default()


def test_processes_racing_to_replace_a_broken_model_store_one(db, session, saved_model):
    session.execute(update(StoredClassifier).values(model=b"\x00broken"))
    session.commit()
    first, second = ClassifierStore(db), ClassifierStore(db)
    assert first._store(Classifier.default(), 2, "first")
    # The second, which read the broken generation 1 too, finds generation 2 taken.
    assert not second._store(Classifier.default(), 2, "second")
    assert stored(session) == [(sklearn.__version__, 2, "first")]


def test_a_model_retrained_through_one_process_serves_the_others(
    db, settings, session, monkeypatch
):
    publish_xalis(session)
    shipped = Classifier.default().suggest(XALIS)
    data_before = files_in(settings.data_dir)
    with (
        TestClient(create_app(settings, engine=db)) as first,
        TestClient(create_app(settings, engine=db)) as second,
    ):
        retrained = first.app.state.classifiers.retrain(session, trained_by="test")
        assert retrained.suggest(XALIS) != shipped
        # The other process looks again once its second between checks has passed.
        later = monotonic_shifted_by(2.0)
        monkeypatch.setattr(store_module, "monotonic", later)
        answer = second.post("/api/v1/classify", json={"text": XALIS}).json()
    assert [c["code"] for c in answer["categories"]] == [
        code for code, _ in retrained.suggest(XALIS).categories
    ]
    # A new process starts with it, and nothing was written to the data directory.
    assert ClassifierStore(db).current().suggest(XALIS) == retrained.suggest(XALIS)
    assert files_in(settings.data_dir) == data_before


def monotonic_shifted_by(seconds: float):
    real = store_module.monotonic
    return lambda: real() + seconds


def test_between_checks_a_process_asks_the_database_nothing(db, session, monkeypatch):
    store = ClassifierStore(db, recheck_seconds=3600)
    store.current()
    monkeypatch.setattr(store, "latest_generation", lambda: pytest.fail("asked again"))
    assert store.current() is Classifier.default()


def test_a_retrain_racing_another_is_stored_after_it(db, session, saved_model, monkeypatch):
    store = ClassifierStore(db)
    latest = store.latest_generation
    seen = [0]  # read before another process stored generation 1
    monkeypatch.setattr(store, "latest_generation", lambda: seen.pop() if seen else latest())
    store.retrain(session, trained_by="second")
    assert stored(session) == [(sklearn.__version__, 2, "second")]
