"""The installed command and the titles and summaries in French and in English: the demo
catalogue loads with both, exports keep them, and a bad one is reported by row and field."""

from __future__ import annotations

from services_catalog.demo import demo_offers

from .test_installed_command import as_csv, first_init, offer, shell  # noqa: F401  (fixtures)

BILINGUAL = ("title_fr", "title_en", "summary_fr", "summary_en")


def test_init_demo_loads_every_offer_in_both_languages(shell, first_init):  # noqa: F811
    shell.ok("init", "--demo")
    exported = shell.exported()
    demo_ids = [entry["id"] for entry in demo_offers()]
    assert set(demo_ids) <= set(exported)
    for offer_id in demo_ids:
        assert all(exported[offer_id][name] for name in BILINGUAL), offer_id


def test_import_reports_a_bad_summary_by_row_field_and_value(shell, first_init):  # noqa: F811
    rows = [
        offer("bi-cli-1", "Prêt bilingue", summary_en="A loan for founders."),
        offer("bi-cli-2", "Prêt trop long", summary_fr="Un prêt. " * 50),
    ]
    ran = shell.run("import", shell.write("bilingual.csv", as_csv(rows)), "--lang", "en")
    assert ran.returncode == 1
    assert "row 3, field summary_fr, value “Un prêt. Un prêt." in ran.stdout + ran.stderr
    assert "449 characters, longer than 400" in ran.stdout + ran.stderr
    assert "bi-cli-1" not in shell.exported("after.json")  # all or nothing
    shell.ok("import", shell.write("good.csv", as_csv(rows[:1])))
    assert shell.exported("good.json")["bi-cli-1"]["summary_en"] == "A loan for founders."
