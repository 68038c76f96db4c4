"""`passerelle import` reports in its reader's language: --lang, else the locale."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from services_catalog.models import Offer

PASSERELLE = Path(sys.executable).with_name("passerelle")  # the installed command

# Row 2 is valid (its amount in FCFA is converted); row 3 has a missing title, an unknown
# country, a sector nobody uses and an amount without a number.
CSV = (
    "id,title,description,organization,kind,countries,sectors,min_project_eur,max_project_eur\n"
    "a,Prêt Burkina,Un prêt.,Banque,financing,Burkina,Commerce,5000,30 000 000 FCFA\n"
    "b,,Une aide.,Banque,financing,Narnia,Boulangerie,beaucoup,\n"
)


@pytest.fixture
def offers_csv(tmp_path) -> Path:
    path = tmp_path / "offres.csv"
    path.write_text(CSV, encoding="utf-8")
    return path


def passerelle(*args: object, **locale: str) -> subprocess.CompletedProcess:
    environment = {
        name: value
        for name, value in os.environ.items()
        if name not in ("LC_ALL", "LC_MESSAGES", "LANG")
    }
    return subprocess.run(
        [PASSERELLE, *map(str, args)],
        env=environment | locale,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def offers_in(engine) -> int:
    with Session(engine) as session:
        return session.scalar(select(func.count()).select_from(Offer))


def test_the_report_follows_a_french_locale(db, settings, offers_csv):
    result = passerelle("import", offers_csv, LANG="fr_FR.UTF-8")
    assert result.returncode == 1
    errors = result.stderr.splitlines()
    assert "erreur : ligne 3, champ title : manquant" in errors
    assert "erreur : ligne 3, champ countries, valeur «\u00a0Narnia\u00a0» : pays inconnu" in errors
    assert any(
        line.startswith("erreur : ligne 3, champ sectors, valeur «\u00a0Boulangerie\u00a0» : "
                        "ni un code ni un libellé de cette liste")
        for line in errors
    )  # fmt: skip
    assert "champ min_project_eur, valeur «\u00a0beaucoup\u00a0» : aucun nombre" in result.stderr
    note = "conversion : ligne 2, max_project_eur : 30\u202f000\u202f000 FCFA convertis au taux"
    assert note in result.stdout
    assert "655,957 FCFA = 1 EUR (parité fixe)" in result.stdout
    assert "Rien n'a été importé : 4 erreur(s) sur 2 ligne(s)." in result.stdout
    for english in ("Field required", "Value error", "None", "unknown country", "converted at"):
        assert english not in result.stdout + result.stderr
    assert offers_in(db) == 0


def test_lang_overrides_the_locale(db, settings, offers_csv):
    result = passerelle("import", offers_csv, "--lang", "en", LANG="fr_FR.UTF-8")
    assert "error: row 3, field countries, value “Narnia”: unknown country" in result.stderr
    assert "error: row 3, field title: missing" in result.stderr
    assert "converted: row 2, max_project_eur: 30,000,000 FCFA converted at 655.957" in (
        result.stdout
    )
    assert "Nothing imported: 4 error(s) in 2 rows." in result.stdout


def test_an_unreadable_file_is_explained_in_french(db, settings, tmp_path):
    sheet = tmp_path / "offres.xlsx"
    sheet.write_bytes(b"PK")
    result = passerelle("import", sheet, "--lang", "fr", LC_ALL="en_GB.UTF-8")
    assert result.returncode == 1
    assert "type de fichier non pris en charge .xlsx : utilisez .csv ou .json" in result.stderr
