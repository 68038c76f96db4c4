import json

import pytest
from sqlalchemy import func, select
from sqlmodel import Session
from typer.testing import CliRunner

from passerelle.cli import app
from passerelle.settings import get_settings
from services_catalog.models import Offer
from services_catalog.synthetic import synthetic_offers

runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def offers_in(engine):
    with Session(engine) as session:
        return session.scalar(select(func.count()).select_from(Offer))


@pytest.fixture
def cli_db(db, settings, monkeypatch):
    """The test database, reached by the CLI through DATABASE_URL; reports in English."""
    monkeypatch.setenv("LC_ALL", "C.UTF-8")
    return db


def test_init_is_safe_to_run_twice(cli_db):
    first = run("init")
    second = run("init")
    assert first.exit_code == second.exit_code == 0, first.output
    assert "Database ready" in second.output


def test_import_then_export_json_and_csv(cli_db, tmp_path):
    source = tmp_path / "offers.json"
    source.write_text(json.dumps({"offers": synthetic_offers(30, seed=3)}))
    imported = run("import", source)
    assert imported.exit_code == 0, imported.output
    assert "30 created" in imported.output
    assert offers_in(cli_db) == 30
    for fmt in ("json", "csv"):
        target = tmp_path / f"out.{fmt}"
        exported = run("export", target, "--format", fmt)
        assert exported.exit_code == 0, exported.output
        assert "Exported 30 offers" in exported.output
    assert len(json.loads((tmp_path / "out.json").read_text())) == 30
    assert (tmp_path / "out.csv").read_text().count("synthetic-") == 30


def test_invalid_file_imports_nothing_and_exits_1(cli_db, tmp_path):
    source = tmp_path / "offers.csv"
    source.write_text(
        "id,title,description,organization,kind,countries,min_project_eur\n"
        "a,Prêt,Un prêt.,Banque,financing,SN,5000\n"
        "b,Aide,Une aide.,Banque,financing,Narnia,beaucoup\n"
    )
    result = run("import", source)
    assert result.exit_code == 1
    assert "row 3, field countries, value “Narnia”: unknown country" in result.output
    assert "row 3, field min_project_eur, value “beaucoup”" in result.output
    assert "Nothing imported" in result.output
    assert offers_in(cli_db) == 0

    skipped = run("import", source, "--skip-invalid", "--status", "pending")
    assert skipped.exit_code == 0, skipped.output
    assert "1 created" in skipped.output and "1 skipped" in skipped.output
    with Session(cli_db) as session:
        assert session.scalar(select(Offer.status)) == "pending"


def test_unreadable_file_exits_1_with_the_reason(cli_db, tmp_path):
    source = tmp_path / "offers.json"
    source.write_text("{oops")
    result = run("import", source)
    assert result.exit_code == 1
    assert "not valid UTF-8 JSON" in result.output


def test_conversions_are_shown(cli_db, tmp_path):
    source = tmp_path / "offers.json"
    offer = synthetic_offers(1)[0] | {"min_project_eur": None, "max_project_eur": "10 000 000 XOF"}
    source.write_text(json.dumps([offer]))
    result = run("import", source)
    assert result.exit_code == 0, result.output
    assert "converted: row 1, max_project_eur: 10,000,000 XOF converted at" in result.output


def test_recommend_prints_ranked_offers_with_reasons(cli_db, tmp_path):
    source = tmp_path / "offers.json"
    source.write_text(json.dumps([
        {"id": "sn", "title": "Prêt Sénégal", "description": "Un prêt.", "organization": "Banque",
         "kind": "financing", "categories": ["loan"], "countries": ["SN"]},
        {"id": "ml", "title": "Prêt Mali", "description": "Un prêt.", "organization": "Banque",
         "kind": "financing", "categories": ["loan"], "countries": ["ML"]},
    ]))  # fmt: skip
    assert run("import", source).exit_code == 0
    profile = tmp_path / "profile.json"
    profile.write_text(json.dumps({
        "residence_country": "FR", "target_country": "Senegal", "sector": "trade",
        "stage": "idea", "project_eur": 5000, "needs": ["loan"],
    }))  # fmt: skip
    text = run("recommend", profile, "--as-of", "2026-11-23", "--lang", "fr")
    assert text.exit_code == 0, text.output
    assert "1. [" in text.output and "Prêt Sénégal" in text.output
    assert "Ouvert aux projets au Sénégal" in text.output
    assert "Near misses:" in text.output and "Prêt Mali" in text.output
    as_json = run("recommend", profile, "--json", "--top", "1")
    assert [r["external_id"] for r in json.loads(as_json.output)["results"]] == ["sn"]


def test_recommend_reports_bad_profiles_by_field(cli_db, tmp_path):
    profile = tmp_path / "profile.json"
    profile.write_text(json.dumps({"residence_country": "Narnia"}))
    result = run("recommend", profile)
    assert result.exit_code == 1
    assert "field residence_country, value “Narnia”: unknown country" in result.output
    assert "field target_country: missing" in result.output
    assert "Value error" not in result.output and "None" not in result.output


@pytest.mark.parametrize(
    "command", [("export", "out.json"), ("classify-evaluate",), ("serve", "--port", "9")]
)
def test_commands_on_a_database_without_schema_say_to_run_init(
    settings, tmp_path, monkeypatch, command
):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    get_settings.cache_clear()  # the settings fixture clears it again afterwards
    result = run(*command)
    assert result.exit_code == 1
    assert "run `passerelle init` first" in result.output
