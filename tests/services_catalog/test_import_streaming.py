"""Large imports: files read row by row in two passes, offers written a batch at a time in
one transaction, still all-or-nothing."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from passerelle import catalog_messages
from passerelle.db import session_scope
from services_catalog import import_files, importing
from services_catalog.importing import FILE_CHANGED, ImportFileError, import_offers, read_rows
from services_catalog.models import Offer, Organization
from services_catalog.synthetic import synthetic_offers


def offers_in(engine) -> int:
    with session_scope(engine) as session:
        return session.scalar(select(func.count()).select_from(Offer))


def as_json(offers: list[dict]) -> bytes:
    return json.dumps(offers).encode()


def test_a_5000_row_file_is_stored_in_batches_holding_one_batch_at_a_time(db):
    offers = synthetic_offers(5_000, seed=5)
    seen = []

    def progress(done, total):
        with_offers = [o for o in session.identity_map.values() if isinstance(o, Offer)]
        seen.append((done, total, len(with_offers)))

    with session_scope(db) as session:
        report = import_offers(session, read_rows("big.json", as_json(offers)), progress=progress)
    assert (report.created, report.total, report.applied, report.errors) == (5000, 5000, True, [])
    # Batches of 2,000; once a batch is stored its offer rows are let go.
    assert [(done, total) for done, total, _ in seen] == [(2000, 5000), (4000, 5000), (5000, 5000)]
    assert max(held for _, _, held in seen) == 0
    assert offers_in(db) == 5000
    last = offers[-1]
    with session_scope(db) as session:
        stored = session.scalar(select(Offer).where(Offer.external_id == last["id"]))
        assert (stored.title, stored.organization.name) == (last["title"], last["organization"])
        assert stored.codes("countries") == last["countries"]
        assert stored.codes("categories") == last["categories"]


def test_a_bad_row_at_the_end_of_a_large_file_imports_nothing(db):
    offers = synthetic_offers(5_000, seed=6)
    offers[-1] |= {"countries": ["Narnia"]}
    with session_scope(db) as session:
        report = import_offers(session, read_rows("big.json", as_json(offers)))
    assert not report.applied and report.skipped == report.total == 5000
    [error] = report.errors
    assert (error.row, error.field, error.value) == (5000, "countries", "Narnia")
    assert offers_in(db) == 0


def test_skip_invalid_stores_the_good_rows_of_every_batch_and_reports_each_bad_one(db, monkeypatch):
    monkeypatch.setattr(importing, "BATCH_ROWS", 7)
    offers = synthetic_offers(40, seed=7)
    for number in (3, 17, 40):  # in the first, a middle and the last batch
        offers[number - 1] |= {"min_project_eur": "beaucoup"}
    with session_scope(db) as session:
        report = import_offers(
            session, read_rows("offers.json", as_json(offers)), skip_invalid=True
        )
    assert (report.created, report.skipped, report.applied) == (37, 3, True)
    assert [(e.row, e.field, e.value) for e in report.errors] == [
        (n, "min_project_eur", "beaucoup") for n in (3, 17, 40)
    ]
    with session_scope(db) as session:
        stored = set(session.scalars(select(Offer.external_id)))
    assert stored == {o["id"] for n, o in enumerate(offers, 1) if n not in (3, 17, 40)}


def test_offers_without_id_meet_their_earlier_rows_across_batches(db, monkeypatch):
    """Without an id, the same provider and title update one offer, whichever batch holds
    the earlier row."""
    monkeypatch.setattr(importing, "BATCH_ROWS", 2)
    plain = [
        {"title": f"Offre {n}", "description": "Une aide.", "organization": "Banque",
         "kind": "service", "categories": ["mentoring"]}
        for n in range(3)
    ]  # fmt: skip
    again = {**plain[0], "organization": "BANQUE", "sectors": ["energy"]}
    with session_scope(db) as session:
        report = import_offers(session, read_rows("o.json", as_json([*plain, again])))
    assert (report.created, report.updated) == (3, 1)
    with session_scope(db) as session:
        assert session.scalar(select(func.count()).select_from(Organization)) == 1
        first = session.scalar(select(Offer).where(Offer.title == "Offre 0"))
        assert first.codes("sectors") == ["energy"]


@pytest.mark.parametrize("skip_invalid", [False, True])
@pytest.mark.parametrize(
    ("name", "tail", "needle"),
    [
        ("offers.json", b'{"id": "x", "title": ', "not valid UTF-8 JSON: parse error"),
        ("offers.csv", b"x,Titre,Desc,Banque,service,mentoring,extra\n", "row 42 has 7 cells"),
    ],
)
def test_a_file_broken_near_its_end_is_refused_before_anything_is_written(
    db, monkeypatch, skip_invalid, name, tail, needle
):
    monkeypatch.setattr(importing, "BATCH_ROWS", 10)
    if name.endswith(".json"):
        content = as_json(synthetic_offers(40, seed=8))[:-1] + b"," + tail
    else:
        lines = ["id,title,description,organization,kind,categories"]
        lines += [f"o{n},Titre {n},Desc,Banque,service,mentoring" for n in range(40)]
        content = ("\n".join(lines) + "\n").encode() + tail
    source = read_rows(name, content)  # the start of the file reads well
    with pytest.raises(ImportFileError, match=needle), session_scope(db) as session:
        import_offers(session, source, skip_invalid=skip_invalid)
    assert offers_in(db) == 0


class ChangingFile:
    """Rows that differ at their second reading, as a file rewritten during an import."""

    def __init__(self, first: list, second: list) -> None:
        self.readings = iter([first, second])

    def __iter__(self):
        yield from enumerate(next(self.readings), start=1)


def test_a_file_changed_between_the_two_readings_rolls_the_import_back(db, monkeypatch):
    monkeypatch.setattr(importing, "BATCH_ROWS", 5)
    offers = synthetic_offers(12, seed=9)
    changed = [*offers[:-1], {**offers[-1], "kind": "mystery"}]
    with pytest.raises(ImportFileError) as raised, session_scope(db) as session:
        import_offers(session, ChangingFile(offers, changed))
    assert raised.value.message.text == FILE_CHANGED
    assert offers_in(db) == 0
    french = catalog_messages.translate(raised.value.message, "fr")
    assert french == "le fichier a changé pendant l'import ; rien n'a été importé"


def test_a_one_pass_iterator_of_rows_is_still_imported(db):
    offers = synthetic_offers(3, seed=10)
    with session_scope(db) as session:
        report = import_offers(session, iter(enumerate(offers, start=1)))
    assert report.created == 3 and offers_in(db) == 3


def test_json_offers_key_after_other_keys_and_a_byte_order_mark():
    content = (
        b"\xef\xbb\xbf"
        + json.dumps(
            {"source": {"offers": "not these"}, "offers": [{"title": "Prêt", "n": 1.5}], "v": 2}
        ).encode()
    )
    assert list(read_rows("offers.json", content)) == [(1, {"title": "Prêt", "n": 1.5})]


@pytest.mark.parametrize(
    "content", [b'{"offers": {"title": "Pret"}}', b'"offers"', b"42", b'{"items": [1]}']
)
def test_json_without_a_list_of_offers_is_refused(content):
    with pytest.raises(ImportFileError, match="list of offers"):
        read_rows("offers.json", content)


def test_csv_not_in_utf8_far_into_the_file_is_read_as_windows_1252(monkeypatch):
    monkeypatch.setattr(import_files, "CHUNK_BYTES", 16)
    head = "title,description,organization,kind\n" + "Prêt,Un prêt.,Banque,financing\n" * 20
    content = head.encode() + "Aide,Une aide à l'export,Société,service\n".encode("cp1252")
    read = list(read_rows("offers.csv", content))
    assert len(read) == 21
    assert read[0][1]["title"] == "PrÃªt"  # UTF-8 bytes read as Windows-1252, as before
    assert read[-1] == (22, {"title": "Aide", "description": "Une aide à l'export",
                             "organization": "Société", "kind": "service"})  # fmt: skip


def test_the_file_is_read_anew_at_each_pass(tmp_path):
    path = tmp_path / "offers.csv"
    path.write_text("title,description,organization,kind\nPrêt,Un prêt.,Banque,financing\n")
    source = importing.read_file(path)
    assert list(source) == list(source) == [
        (2, {"title": "Prêt", "description": "Un prêt.", "organization": "Banque",
             "kind": "financing"})
    ]  # fmt: skip
