"""The installed `passerelle` command as people run it (contract section 4).

Each command runs in a fresh process, from a fresh working directory whose data directory
holds the embedded database (or in a fresh PostgreSQL schema with TEST_DATABASE_URL),
with nothing of the platform imported in advance. The module shares one database: each
test imports offers of its own and looks for them by id.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

# The console script installed next to the interpreter running the tests.
PASSERELLE = shutil.which("passerelle", path=str(Path(sys.executable).parent))
# What the calling shell may have set that would lead the command elsewhere.
INHERITED_SETTINGS = ("DATABASE_URL", "SECRET_KEY", "PASSERELLE_DATA_DIR", "PASSERELLE_ENV")


@dataclass
class Shell:
    """A working directory and environment from which to run the installed command."""

    cwd: Path
    env: dict[str, str]

    def run(self, *args: object, stdin: str | None = None) -> subprocess.CompletedProcess:
        return subprocess.run(
            [PASSERELLE, *map(str, args)],
            cwd=self.cwd,
            env=self.env,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=300,
        )

    def ok(self, *args: object, stdin: str | None = None) -> str:
        """Run a command that must succeed; its standard output."""
        ran = self.run(*args, stdin=stdin)
        assert ran.returncode == 0, f"passerelle {' '.join(map(str, args))}:\n{ran.stderr}"
        return ran.stdout

    def write(self, name: str, text: str) -> Path:
        path = self.cwd / name
        path.write_text(text, encoding="utf-8")
        return path

    def exported(self, name: str = "catalogue.json") -> dict[str, dict]:
        """The published catalogue as `passerelle export` writes it, by offer id."""
        self.ok("export", name)
        return {offer["id"]: offer for offer in json.loads((self.cwd / name).read_text())}


@pytest.fixture(scope="module")
def shell(tmp_path_factory: pytest.TempPathFactory, fresh_database_url: str | None) -> Shell:
    assert PASSERELLE, f"no `passerelle` command next to {sys.executable}: install the project"
    env = {k: v for k, v in os.environ.items() if k not in INHERITED_SETTINGS}
    cwd = tmp_path_factory.mktemp("cli")
    env["PASSERELLE_DATA_DIR"] = str(cwd / "data")
    if fresh_database_url:
        env["DATABASE_URL"] = fresh_database_url
    return Shell(cwd, env)


@pytest.fixture(scope="module")
def first_init(shell: Shell) -> str:
    """The output of the first `passerelle init` on the fresh database."""
    return shell.ok("init")


def offer(offer_id: str, title: str, **fields) -> dict:
    """An offer in the exchange format: a loan in Senegal unless told otherwise."""
    return {
        "id": offer_id,
        "title": title,
        "description": f"{title}: un prêt pour les entrepreneurs de la diaspora.",
        "lang": "fr",
        "organization": "Banque Test",
        "kind": "financing",
        "categories": ["loan"],
        "countries": ["SN"],
    } | fields


def as_csv(offers: list[dict]) -> str:
    """Offers as a CSV file of the exchange format: list values separated by `;`."""
    columns = list(dict.fromkeys(name for record in offers for name in record))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for record in offers:
        writer.writerow({k: ";".join(v) if isinstance(v, list) else v for k, v in record.items()})
    return out.getvalue()


def test_init_creates_the_database_and_is_safe_to_run_again(shell, first_init):
    assert first_init.startswith("Database ready")
    if "DATABASE_URL" not in shell.env:  # the embedded database, in the data directory
        assert (shell.cwd / "data" / "passerelle.db").is_file()
    assert shell.ok("init").startswith("Database ready")


def test_new_offers_imported_from_json_are_exported(shell, first_init):
    source = shell.write("new.json", json.dumps([
        offer("json-1", "Prêt JSON un", countries=["Sénégal", "Mali"], max_project_eur=50000),
        offer("json-2", "Prêt JSON deux", residence_countries=["France"]),
        offer("json-3", "Mentorat JSON", kind="service", categories=["mentoring"], lang="en"),
    ]))  # fmt: skip
    out = shell.ok("import", source)
    assert "3 rows: 3 created" in out
    exported = shell.exported()
    assert exported["json-1"]["countries"] == ["SN", "ML"]
    assert exported["json-1"]["max_project_eur"] == 50000
    assert exported["json-2"]["residence_countries"] == ["FR"]
    assert (exported["json-3"]["kind"], exported["json-3"]["categories"]) == (
        "service",
        ["mentoring"],
    )


def test_new_offers_imported_from_csv_are_exported(shell, first_init):
    source = shell.write("new.csv", as_csv([
        offer("csv-1", "Prêt CSV un", countries=["Côte d'Ivoire", "SN"], ticket_max_eur="30 000 €"),
        offer("csv-2", "Prêt CSV deux", sectors=["agriculture", "trade"]),
        offer("csv-3", "Garantie CSV", categories=["guarantee", "loan"], deadline="2031-06-30"),
    ]))  # fmt: skip
    out = shell.ok("import", source)
    assert "3 rows: 3 created" in out
    exported = shell.exported()
    assert exported["csv-1"]["countries"] == ["CI", "SN"]
    assert exported["csv-1"]["ticket_max_eur"] == 30000
    assert exported["csv-2"]["sectors"] == ["agriculture", "trade"]
    assert exported["csv-3"]["categories"] == ["guarantee", "loan"]
    assert exported["csv-3"]["deadline"] == "2031-06-30"


MIXED = [
    offer("mixed-1", "Prêt valable un"),
    offer("mixed-2", "Prêt valable deux"),
    offer("mixed-3", "Prêt en Narnia", countries=["Narnia"]),
]


def test_one_invalid_record_imports_nothing_and_says_where(shell, first_init):
    ran = shell.run("import", shell.write("mixed.json", json.dumps(MIXED)))
    assert ran.returncode == 1
    errors = [line for line in ran.stderr.splitlines() if "Narnia" in line]
    assert len(errors) == 1 and "3" in errors[0] and "countries" in errors[0], ran.stderr
    assert "Nothing imported" in ran.stdout
    assert not {"mixed-1", "mixed-2", "mixed-3"} & shell.exported().keys()


def test_skip_invalid_imports_the_valid_records(shell, first_init):
    out = shell.ok("import", shell.write("mixed.csv", as_csv(MIXED)), "--skip-invalid")
    assert "2 created" in out and "1 skipped" in out
    exported = shell.exported()
    assert {"mixed-1", "mixed-2"} <= exported.keys() and "mixed-3" not in exported


def test_pending_imports_wait_for_review(shell, first_init):
    source = shell.write("pending.json", json.dumps([offer("pending-1", "Prêt en attente")]))
    assert "1 created" in shell.ok("import", source, "--status", "pending")
    assert "pending-1" not in shell.exported()


def test_exports_in_three_formats_and_imports_them_back(shell, first_init):
    source = shell.write("round.json", json.dumps([offer("round-1", "Prêt aller-retour")]))
    shell.ok("import", source)
    published = shell.exported()
    for fmt in ("json", "csv"):
        out = shell.ok("export", f"out.{fmt}", "--format", fmt)
        assert f"Exported {len(published)} offers" in out
        again = shell.ok("import", f"out.{fmt}")
        # The same ids: every offer found again, and nothing lost on the way.
        assert f"{len(published)} rows: 0 created, 0 updated, {len(published)} unchanged" in again
    shell.ok("export", "out.hsds.json", "--format", "hsds")
    hsds = json.loads((shell.cwd / "out.hsds.json").read_text())
    names = {service["name"] for service in hsds["services"]}
    assert "Prêt aller-retour" in names
    assert "Banque Test" in {organization["name"] for organization in hsds["organizations"]}


def test_demo_catalogue_loads_once(shell, first_init):
    first = shell.ok("init", "--demo")
    second = shell.ok("init", "--demo")
    loaded = int(first.split("Demo catalogue: ")[1].split(" rows")[0])
    assert loaded > 0 and f"{loaded} rows: {loaded} created" in first
    assert f"{loaded} rows: 0 created, 0 updated, {loaded} unchanged" in second


def test_recommend_ranks_the_eligible_offers(shell, first_init):
    shell.ok("import", shell.write("comoros.json", json.dumps([
        offer("km-1", "Prêt Comores", countries=["Comores"], residence_countries=["FR"]),
        offer("km-2", "Prêt Comores réservé aux femmes", countries=["KM"], target_groups=["women"]),
    ])))  # fmt: skip
    profile = shell.write("profile.json", json.dumps({
        "residence_country": "France", "target_country": "Comoros", "sector": "trade",
        "stage": "startup", "project_eur": 20000, "needs": ["loan"],
    }))  # fmt: skip
    answer = json.loads(shell.ok("recommend", profile, "--json", "--as-of", "2026-12-01"))
    recommended = [result["external_id"] for result in answer["results"]]
    assert "km-1" in recommended and "km-2" not in recommended
    assert all(result["reasons"] for result in answer["results"])
    printed = shell.ok("recommend", profile, "--top", "3", "--lang", "fr")
    assert printed.startswith(" 1. [") and "\n 3. [" in printed and "\n 4. [" not in printed


def test_classify_proposes_kind_categories_and_sectors(shell):
    text = "Prêt d'honneur à taux zéro pour les femmes qui créent une entreprise agricole"
    answer = json.loads(shell.ok("classify", text, "--json"))
    assert answer["kind"]["code"] == "financing"
    assert answer["categories"][0]["code"] == "honour_loan"
    assert 0 < answer["categories"][0]["confidence"] <= 1
    assert shell.ok("classify", text, "--lang", "fr").startswith("Kind: financing (Offre de")


def test_create_user_makes_an_account_once(shell, first_init):
    out = shell.ok(
        "create-user", "Awa@Example.org", "--role", "staff", "--name", "Awa", "--password-stdin",
        stdin="a long enough passphrase\n",
    )  # fmt: skip
    assert out.startswith("Created staff account #") and "awa@example.org" in out
    again = shell.run(
        "create-user", "awa@example.org", "--password-stdin", stdin="violet harbour lantern 73\n"
    )
    assert again.returncode == 1 and "awa@example.org" not in again.stdout
    assert "already uses awa@example.org" in again.stderr
