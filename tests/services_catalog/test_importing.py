import json

import pytest
from sqlalchemy import func, select, text

from services_catalog import exporting, importing
from services_catalog.importing import (
    UNCLASSIFIED_FLAG,
    ImportFileError,
    import_offers,
    read_rows,
)
from services_catalog.models import (
    OPEN_TO_ALL,
    RESTRICTION_FIELDS,
    Offer,
    OfferCriterion,
    Organization,
)
from services_catalog.synthetic import synthetic_offers


def offer(number, **fields):
    return {
        "id": f"offer-{number}",
        "title": f"Offre {number}",
        "description": "Accompagnement des porteurs de projet.",
        "organization": "Réseau Test",
        "kind": "service",
        "categories": ["mentoring"],
        **fields,
    }


def rows(*records):
    return list(enumerate(records, start=1))


def count(session, model):
    return session.scalar(select(func.count()).select_from(model))


def test_import_creates_offers_and_organisations(session):
    report = import_offers(session, rows(offer(1, countries="SN;ML"), offer(2)))
    session.commit()
    assert (report.created, report.applied, report.errors) == (2, True, [])
    stored = session.scalars(select(Offer).order_by(Offer.id)).all()
    assert [o.external_id for o in stored] == ["offer-1", "offer-2"]
    assert stored[0].codes("countries") == ["SN", "ML"]
    assert stored[0].status == "published" and stored[0].last_verified_on is not None
    assert count(session, Organization) == 1


def test_one_invalid_row_imports_nothing_and_every_error_is_reported(session):
    import_offers(session, rows(offer(0)))
    session.commit()
    report = import_offers(
        session,
        rows(
            offer(1, title="Changed"),
            offer(2, countries="Atlantis", sectors="spaceflight"),
            offer(3, kind=None),
        ),
    )
    session.rollback()
    assert not report.applied
    assert report.skipped == 3
    assert {(e.row, e.field, e.value) for e in report.errors} >= {
        (2, "countries", "Atlantis"),
        (2, "sectors", "spaceflight"),
        (3, "kind", None),
    }
    countries = next(e for e in report.errors if e.field == "countries")
    assert str(countries.message) == "unknown country" and not countries.missing
    assert count(session, Offer) == 1


def test_skip_invalid_imports_the_valid_rows(session):
    report = import_offers(
        session, rows(offer(1), offer(2, countries="Atlantis"), offer(3)), skip_invalid=True
    )
    session.commit()
    assert (report.created, report.skipped, len(report.errors)) == (2, 1, 1)
    assert count(session, Offer) == 2


def test_importing_the_same_ids_again_updates_in_place(session):
    import_offers(session, rows(offer(1, sectors="agriculture;energy"), offer(2)))
    session.commit()
    criteria_before = count(session, OfferCriterion)
    again = import_offers(session, rows(offer(1, sectors="agriculture;energy"), offer(2)))
    session.commit()
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    changed = import_offers(session, rows(offer(1, sectors="energy"), offer(2, title="Nouveau")))
    session.commit()
    assert (changed.created, changed.updated) == (0, 2)
    assert count(session, Offer) == 2
    assert count(session, OfferCriterion) == criteria_before - 1
    first = session.scalar(select(Offer).where(Offer.external_id == "offer-1"))
    assert first.codes("sectors") == ["energy"]


def test_rows_without_id_match_on_provider_and_title(session):
    plain = offer(1)
    del plain["id"]
    import_offers(session, rows(plain, dict(plain)))
    import_offers(session, rows(plain))
    session.commit()
    assert count(session, Offer) == 1
    changed = import_offers(session, rows({**plain, "sectors": "health"}))
    session.commit()
    assert (changed.created, changed.updated) == (0, 1)
    assert session.scalar(select(Offer)).codes("sectors") == ["health"]


def test_duplicate_ids_in_one_file_are_an_error(session):
    report = import_offers(session, rows(offer(1), offer(1, title="Other")))
    assert [(e.row, e.field, e.value) for e in report.errors] == [(2, "id", "offer-1")]
    assert "row 1" in str(report.errors[0].message)


def test_offers_without_categories_wait_for_review(session):
    report = import_offers(session, rows(offer(1, categories=[])))
    session.commit()
    stored = session.scalar(select(Offer))
    assert report.flagged == 1
    assert (stored.status, stored.review_flag) == ("pending", UNCLASSIFIED_FLAG)


def test_currency_conversions_are_reported_by_row(session):
    report = import_offers(session, rows(offer(1), offer(2, max_project_eur="100 000 MAD")))
    [conversion] = report.conversions
    assert (conversion.row, conversion.field) == (2, "max_project_eur")
    assert str(conversion.message).startswith("100,000 MAD converted at ")


def test_invalid_status_is_refused(session):
    with pytest.raises(ValueError, match="'live'"):
        import_offers(session, rows(offer(1)), status="live")


def test_csv_french_spreadsheet_layout():
    content = (
        "Title;Description;Organization;Kind;Countries;Max_project_eur\n"
        "Prêt;Un prêt.;Banque;financing;SN|ML;30 000 €\n"
        ";;;;;\n"
    ).encode("cp1252")
    [(number, row)] = read_rows("offers.csv", content)
    assert number == 2
    assert row == {
        "title": "Prêt",
        "description": "Un prêt.",
        "organization": "Banque",
        "kind": "financing",
        "countries": "SN|ML",
        "max_project_eur": "30 000 €",
    }


@pytest.mark.parametrize(
    ("name", "content", "needle"),
    [
        ("offers.xlsx", b"", "type .xlsx:"),
        ("offers.json", b"{not json", "JSON"),
        ("offers.json", b'{"items": []}', "list of offers"),
        ("offers.csv", b"", "empty"),
        ("offers.csv", b"title,description,organization,kind,colour\n", r"column\(s\) colour;"),
        ("offers.csv", b"title,description\n", "organization, kind"),
    ],
)
def test_unreadable_files_are_refused_with_the_reason(name, content, needle):
    with pytest.raises(ImportFileError, match=needle):
        read_rows(name, content)


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_export_import_export_round_trip(engine, db, fmt):
    from sqlmodel import Session

    from passerelle.db import session_scope

    source = synthetic_offers(150, seed=7)
    with session_scope(db) as session:
        import_offers(session, rows(*source))
    with session_scope(db) as session:
        first, _ = exporting.export_catalogue(session, fmt)
        for table in (OfferCriterion, Offer, Organization):
            session.execute(table.__table__.delete())
    with session_scope(db) as session:
        assert count(session, Offer) == 0
        parsed = read_rows(f"export.{fmt}", first.encode())
        report = import_offers(session, parsed)
        assert report.created == 150, report.errors[:3]
    with Session(db) as session:
        second, _ = exporting.export_catalogue(session, fmt)
    assert second == first
    if fmt == "json":
        assert sorted(json.loads(first), key=lambda r: r["id"]) == sorted(
            source, key=lambda r: r["id"]
        )


def test_unrestricted_fields_are_stored_as_open_to_all_rows(session):
    import_offers(session, rows(offer(1, countries="SN")))
    session.commit()
    stored = session.scalar(select(Offer))
    markers = session.scalars(
        select(OfferCriterion.field).where(OfferCriterion.code == OPEN_TO_ALL)
    ).all()
    assert sorted(markers) == sorted(RESTRICTION_FIELDS - {"country"})
    assert stored.lists()["sectors"] == [] and stored.codes("countries") == ["SN"]
    import_offers(session, rows(offer(1, sectors="energy")))
    session.commit()
    markers = session.scalars(
        select(OfferCriterion.field).where(OfferCriterion.code == OPEN_TO_ALL)
    ).all()
    assert sorted(markers) == sorted(RESTRICTION_FIELDS - {"sector"})


def test_a_bulk_import_on_postgresql_leaves_the_planner_informed(session, monkeypatch):
    """Until statistics exist, PostgreSQL plans for empty tables; a bulk import analyses."""
    if session.get_bind().dialect.name != "postgresql":
        pytest.skip("planner statistics are PostgreSQL's")
    monkeypatch.setattr(importing, "BULK_ROWS", 5)
    import_offers(session, rows(*(offer(n, countries=["SN", "ML"]) for n in range(6))))
    session.commit()
    estimated = session.execute(
        text(
            "SELECT relname, reltuples FROM pg_class WHERE relname IN ('offer', 'offer_criterion')"
        )
    ).all()
    assert dict(estimated) == {"offer": 6, "offer_criterion": count(session, OfferCriterion)}


def test_csv_export_opens_formulas_as_text_and_imports_back_unchanged(engine, db):
    """A title like `=HYPERLINK(...)` would run in a spreadsheet: the CSV cell starts with
    an apostrophe instead, and importing the file gives back the text as written."""
    import csv
    import io

    from passerelle.db import session_scope
    from services_catalog.spreadsheet import FORMULA_STARTS

    written = offer(
        1,
        title='=HYPERLINK("http://evil.example","Cliquez")',
        description="+33 1 23 45 67 89, -20 % sur les frais",
        organization="@Réseau",
    )
    tricky = offer(2, title="'=déjà protégé", description="''+deux apostrophes")
    with session_scope(db) as session:
        import_offers(session, rows(written, tricky))
    with session_scope(db) as session:
        exported, _ = exporting.export_catalogue(session, "csv")
        for table in (OfferCriterion, Offer, Organization):
            session.execute(table.__table__.delete())
    cells = [cell for row in csv.reader(io.StringIO(exported)) for cell in row]
    assert not [cell for cell in cells if cell.startswith(FORMULA_STARTS)]
    assert '\'=HYPERLINK("http://evil.example","Cliquez")' in cells
    with session_scope(db) as session:
        assert import_offers(session, read_rows("export.csv", exported.encode())).created == 2
        stored = {o.external_id: o for o in session.scalars(select(Offer))}
        assert stored["offer-1"].title == written["title"]
        assert stored["offer-1"].description == written["description"]
        assert stored["offer-1"].organization.name == "@Réseau"
        assert stored["offer-2"].title == tricky["title"]
        assert stored["offer-2"].description == tricky["description"]
