"""`passerelle recommend` reads a profile as people write it, in the installed command."""

from __future__ import annotations

import json

from tests.cli.test_import_report_language import passerelle


def test_a_profile_with_variants_is_read_and_a_bare_congo_refused(db, settings, tmp_path):
    profile = tmp_path / "profil.json"
    profile.write_text(
        json.dumps({
            "residence_country": "la France", "target_country": "Congo", "sector": "Commerce",
            "stage": "Démarrage", "applicant_type": "Entreprise", "groups": ["Jeunes"],
            "project_eur": 20000,
        }),
        encoding="utf-8",
    )  # fmt: skip
    result = passerelle("recommend", profile, "--lang", "fr")
    assert result.returncode == 1
    [error] = result.stderr.splitlines()
    assert error == (
        f"erreur : {profile} : champ target_country, valeur «\u00a0Congo\u00a0» : plusieurs pays "
        "portent ce nom : choisissez CD (République démocratique du Congo) "
        "ou CG (République du Congo)"
    )
