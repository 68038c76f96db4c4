"""The staff import page reports in the page's language: the form as the page renders it,
submitted with a file, and the report read back."""

from __future__ import annotations

import html
import json
import re

from sqlalchemy import select

from services_catalog.models import Offer
from tests.staff.page_forms import page_form

CSV = (
    "id,title,description,organization,kind,countries,sectors,target_groups,min_project_eur,"
    "max_project_eur\n"
    "a,Prêt Burkina,Un prêt.,Banque,financing,Burkina,Commerce,Jeunes,5000,30 000 000 FCFA\n"
    "b,,Une aide.,Banque,financing,Narnia,Boulangerie,Migrants,beaucoup,\n"
).encode()


def import_page(browser, language: str) -> str:
    """The import page in `language`, switched to with the page's own language link."""
    page = browser.client.get("/staff/import").text
    if f'<html lang="{language}">' not in page:
        switch = re.search(rf'<a href="([^"]+)" lang="{language}" hreflang="{language}">', page)
        page = browser.client.get(html.unescape(switch.group(1))).text
    assert f'<html lang="{language}">' in page
    return page


def upload(browser, language: str, filename: str, content: bytes):
    """Open the import page in `language`, fill its form with the file, and submit it."""
    form = page_form(import_page(browser, language), "/staff/import")
    assert form.method == "post" and form.enctype == "multipart/form-data"
    assert "csrf_token" in form.fields and form.fields["status"] == "pending"
    [file_field] = form.files
    return browser.client.post(
        form.action, data=form.fields, files={file_field: (filename, content)}
    )


def error_rows(page: str) -> list[tuple[str, ...]]:
    """(row, field, value, problem) of each line of the report's error table."""
    cells = re.compile(r"<tr><td>(\d+)</td><td><code>(\w+)</code></td><td>(.*?)</td><td>(.*?)</td>")
    return cells.findall(page)


def test_the_french_page_reports_in_french(staff, session):
    page = upload(staff, "fr", "offres.csv", CSV)
    text = html.unescape(page.text)
    assert page.status_code == 400 and "Rien n'a été importé" in text
    rows = error_rows(text)
    assert ("3", "title", "—", "manquant") in rows
    assert ("3", "countries", "Narnia", "pays inconnu") in rows
    assert ("3", "min_project_eur", "beaucoup", "aucun nombre dans ce montant") in rows
    several = "plusieurs codes portent ce libellé : choisissez diaspora ou returnee"
    assert ("3", "target_groups", "Migrants", several) in rows
    [sectors] = [problem for row, field, _, problem in rows if field == "sectors"]
    assert sectors.startswith("ni un code ni un libellé de cette liste (codes possibles : ")
    note = (
        "ligne 2, max_project_eur : 30\u202f000\u202f000 FCFA convertis au taux de "
        "655,957 FCFA = 1 EUR (parité fixe)"
    )
    assert f"<li>{note}</li>" in text
    for english in ("Field required", "Value error", "None", "unknown country", "converted at"):
        assert english not in text
    assert session.scalar(select(Offer)) is None


def test_the_english_page_reports_in_english(staff, session):
    page = upload(staff, "en", "offers.csv", CSV)
    assert page.status_code == 400 and "Nothing was imported" in page.text
    rows = error_rows(page.text)
    assert ("3", "title", "—", "missing") in rows
    assert ("3", "countries", "Narnia", "unknown country") in rows
    assert "<li>row 2, max_project_eur: 30,000,000 FCFA converted at 655.957 FCFA" in page.text
    assert "Value error" not in page.text and "None" not in page.text


def test_a_file_that_cannot_be_read_is_explained_in_french(staff, session):
    page = upload(staff, "fr", "offres.xlsx", b"PK")
    assert page.status_code == 400
    assert "type de fichier non pris en charge .xlsx : utilisez .csv ou .json" in page.text


def test_variants_a_programme_officer_writes_are_imported(staff, session):
    page = upload(staff, "fr", "offres.csv", CSV.split(b"\nb,")[0] + b"\n")
    assert page.status_code == 200, error_rows(page.text)
    offer = session.scalar(select(Offer))
    assert offer.lists()["countries"] == ["BF"] and offer.lists()["sectors"] == ["trade"]


def test_a_list_value_is_shown_as_written(staff, session):
    offer = {"title": "Atelier", "description": "Un atelier.", "organization": "Réseau",
             "kind": "service", "categories": ["grant"], "colour": "bleu"}  # fmt: skip
    page = upload(staff, "fr", "offres.json", json.dumps([offer]).encode())
    rows = error_rows(html.unescape(page.text))
    problem = "la catégorie principale grant n'est pas du type service"
    assert ("1", "categories", '["grant"]', problem) in rows
    assert ("1", "colour", "bleu", "champ inconnu") in rows
