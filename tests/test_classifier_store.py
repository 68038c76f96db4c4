"""The saved classifier: a file that does not load never stops the platform."""

from __future__ import annotations

import logging

import pytest
from fastapi.testclient import TestClient

from passerelle.app import create_app
from passerelle.classifier_store import MODEL_FILE, ClassifierStore, _read_model
from services_catalog.classify import Classifier
from services_catalog.importing import import_offers
from services_catalog.synthetic import synthetic_offers

HONOUR_LOAN = {"text": "Prêt d'honneur à taux zéro pour créer votre entreprise"}


def _from_another_scikit_learn(good: bytes) -> bytes:
    header, _, body = good.partition(b"\n")
    return header.replace(b'"scikit_learn": "', b'"scikit_learn": "0.') + b"\n" + body


BROKEN_FILES = {
    "truncated": lambda good: good[: len(good) // 2],
    "garbage": lambda good: b"\x00\xffnot a model at all",
    # What the platform wrote before the header: a bare pickle.
    "no header": lambda good: good.partition(b"\n")[2],
    "another scikit-learn": _from_another_scikit_learn,
}


@pytest.fixture
def saved_model(db, settings, session) -> bytes:
    """A model retrained on a small catalogue and saved as the platform saves it."""
    import_offers(session, list(enumerate(synthetic_offers(20), start=1)))
    session.commit()
    store = ClassifierStore(settings.data_dir)
    store.retrain(session)
    return store.path.read_bytes()


@pytest.mark.parametrize("damage", BROKEN_FILES)
def test_a_broken_model_is_retrained_at_start_with_a_warning(
    db, settings, saved_model, damage, caplog
):
    path = settings.data_dir / MODEL_FILE
    path.write_bytes(BROKEN_FILES[damage](saved_model))
    with (
        caplog.at_level(logging.WARNING, logger="passerelle.classifier_store"),
        TestClient(create_app(settings, engine=db)) as client,
    ):
        answer = client.post("/api/v1/classify", json=HONOUR_LOAN)
    assert answer.status_code == 200
    assert answer.json()["categories"][0]["code"] == "honour_loan"
    assert "cannot be used" in caplog.text and "retrained on the catalogue" in caplog.text
    # Saved again in a form this process (and every other one) reads.
    assert isinstance(_read_model(path), Classifier)


def test_without_a_database_the_shipped_classifier_answers(settings, tmp_path, caplog):
    path = tmp_path / MODEL_FILE
    path.write_bytes(b"\x00broken")
    with caplog.at_level(logging.WARNING, logger="passerelle.classifier_store"):
        classifier = ClassifierStore(tmp_path).current()
    assert classifier is Classifier.default()
    assert "the shipped classifier answers" in caplog.text
    assert path.read_bytes() == b"\x00broken"  # left for staff to retrain


def test_a_good_model_loads_without_retraining(db, settings, saved_model, caplog, monkeypatch):
    monkeypatch.setattr(
        Classifier, "from_catalogue", lambda session: pytest.fail("retrained a good model")
    )
    with caplog.at_level(logging.WARNING, logger="passerelle.classifier_store"):
        classifier = ClassifierStore(settings.data_dir, db).current()
    assert isinstance(classifier, Classifier) and classifier is not Classifier.default()
    assert caplog.text == ""
