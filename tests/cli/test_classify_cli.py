"""`passerelle classify TEXT [--json]` and `passerelle classify-evaluate`."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from passerelle.cli import app

runner = CliRunner()

HONOUR_LOAN = "Prêt d'honneur à taux zéro pour créer votre entreprise"
INCUBATION = "Incubation programme for tech startups in Lagos with mentoring"


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture
def cli_db(db, settings):
    """The test database, reached by the CLI through DATABASE_URL."""
    return db


def test_classify_prints_kind_categories_and_sectors(cli_db):
    result = run("classify", INCUBATION)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("Kind: service (Support service), confidence ")
    assert "incubation" in result.output and "mentoring" in result.output
    assert "Sectors:" in result.output and "digital" in result.output


def test_classify_says_when_no_sector_is_proposed(cli_db):
    result = run("classify", HONOUR_LOAN, "--lang", "fr")
    assert result.exit_code == 0, result.output
    assert "Kind: financing (Offre de financement)" in result.output
    assert "honour_loan" in result.output and "Prêt d'honneur" in result.output
    assert "open to all sectors" in result.output


def test_classify_json_is_the_api_answer(client):
    result = run("classify", HONOUR_LOAN, "--json")
    assert result.exit_code == 0, result.output
    printed = json.loads(result.output)
    assert printed == client.post("/api/v1/classify", json={"text": HONOUR_LOAN}).json()
    assert printed["kind"]["code"] == "financing"
    assert printed["categories"][0]["code"] == "honour_loan"


def test_classify_refuses_an_empty_text():
    result = run("classify", "   ")
    assert result.exit_code == 1
    assert "empty" in result.output


def test_classify_can_retrain_on_the_catalogue(cli_db):
    result = run("classify", INCUBATION, "--catalogue", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["kind"]["code"] == "service"


def test_classify_evaluate_prints_a_table(cli_db):
    result = run("classify-evaluate", "--folds", "3")
    assert result.exit_code == 0, result.output
    assert "Data: the shipped examples and 0 published offer(s)." in result.output
    assert "classifier" in result.output and "baseline" in result.output
    rows = [line.split() for line in result.output.splitlines()]
    fields = {row[0]: row for row in rows if row and row[0] in {"kind", "categories", "sectors"}}
    assert set(fields) == {"kind", "categories", "sectors"}
    assert all(float(row[2]) > float(row[3]) for row in fields.values())


def test_classify_evaluate_json_on_the_shipped_data():
    result = run("classify-evaluate", "--shipped", "--folds", "3", "--json")
    assert result.exit_code == 0, result.output
    evaluation = json.loads(result.output)
    assert evaluation["folds"] == 3 and evaluation["records"] > 400
    assert [f["field"] for f in evaluation["fields"]] == ["kind", "categories", "sectors"]
    assert all(f["macro_f1"] > f["baseline_f1"] for f in evaluation["fields"])


def test_train_classifier_stores_the_model_the_platform_then_uses(cli_db, settings, session):
    from passerelle.classifier.store import ClassifierStore
    from services_catalog.classify import Classifier
    from tests.classifier.test_store import files_in
    from tests.web.test_classify_api import publish_xalis

    publish_xalis(session)
    data_before = files_in(settings.data_dir)
    result = run("train-classifier")
    assert result.exit_code == 0, result.output
    assert "1 published offer(s)" in result.output
    assert "Stored in the database" in result.output
    assert files_in(settings.data_dir) == data_before
    saved = ClassifierStore(cli_db).current().suggest("Xalis Sandaga")
    assert saved != Classifier.default().suggest("Xalis Sandaga")
    answer = json.loads(run("classify", "Xalis Sandaga", "--json").output)
    assert [c["code"] for c in answer["categories"]] == [code for code, _ in saved.categories]
