"""Short titles and summaries in French and in English: which one a reader gets, how the
exchange format carries them, how bad ones are refused, and the demo catalogue's."""

from __future__ import annotations

import csv
import io
import json

import pytest
from sqlalchemy import select

from services_catalog import exporting, search
from services_catalog.bilingual import excerpt, missing_summaries, summary_in, title_in
from services_catalog.demo import demo_offers
from services_catalog.importing import import_offers, read_rows, validate_rows
from services_catalog.models import Offer, OfferCriterion, Organization
from services_catalog.schemas import EXCHANGE_FIELDS, OfferRecord

BASE = {
    "id": "bi-1",
    "title": "Prêt d'honneur Diaspora",
    "description": ("Un prêt sans intérêt pour créer son entreprise au Sénégal. " * 8).strip(),
    "lang": "fr",
    "organization": "Initiative Bilingue",
    "kind": "financing",
    "categories": ["honour_loan"],
}
BOTH = {
    **BASE,
    "title_fr": "Prêt d'honneur pour la diaspora",
    "title_en": "Honour loan for the diaspora",
    "summary_fr": "Un prêt sans intérêt ni garantie pour créer son entreprise au Sénégal.",
    "summary_en": "An interest-free, unsecured loan to start a business in Senegal.",
}
# The contract's fields as they stood before the bilingual ones, in their order.
CONTRACT_FIELDS = (
    "id", "title", "description", "lang", "organization", "url", "kind", "categories",
    "sectors", "countries", "residence_countries", "stages", "applicant_types",
    "target_groups", "min_project_eur", "max_project_eur", "ticket_min_eur", "ticket_max_eur",
    "opens", "deadline",
)  # fmt: skip


def record(**fields) -> OfferRecord:
    return OfferRecord.model_validate({**BASE, **fields})


def test_the_reader_gets_their_language_when_the_offer_has_it():
    offer = OfferRecord.model_validate(BOTH)
    assert (title_in(offer, "fr").text, title_in(offer, "fr").lang) == (BOTH["title_fr"], "fr")
    assert (title_in(offer, "en").text, title_in(offer, "en").lang) == (BOTH["title_en"], "en")
    assert summary_in(offer, "en").text == BOTH["summary_en"]
    assert summary_in(offer, "fr").lang == "fr"


def test_in_the_offers_own_language_the_title_and_description_stand_in():
    offer = record(title_en="Honour loan", summary_en="A loan.")
    assert title_in(offer, "fr").text == BASE["title"]  # not the English one
    assert summary_in(offer, "fr").text == excerpt(BASE["description"])
    assert summary_in(offer, "fr").text.endswith("…") and len(summary_in(offer, "fr").text) <= 221


def test_in_the_other_language_its_own_text_then_the_offers_stand_in():
    only_french = record(title_fr="Prêt d'honneur", summary_fr="Un prêt.")
    assert title_in(only_french, "en").text == "Prêt d'honneur"
    assert title_in(only_french, "en").lang == "fr"
    assert summary_in(only_french, "en").text == "Un prêt."
    nothing = record()
    assert title_in(nothing, "en").text == BASE["title"] and title_in(nothing, "en").lang == "fr"
    assert summary_in(nothing, "en").lang == "fr"


def test_missing_summaries_name_their_languages():
    assert missing_summaries(BASE) == ["fr", "en"]
    assert missing_summaries({**BASE, "summary_fr": "Un prêt."}) == ["en"]
    assert missing_summaries(BOTH) == []


def test_line_breaks_become_spaces_and_blanks_nothing():
    offer = record(summary_en="  An interest-free loan\r\nfor\tfounders.  ", title_fr="   ")
    assert offer.summary_en == "An interest-free loan for founders."
    assert offer.title_fr is None


@pytest.mark.parametrize("name", ["title_fr", "title_en", "summary_fr", "summary_en"])
def test_a_control_character_is_refused_naming_field_value_and_character(name):
    value = "Un prêt\x07 sans intérêt"
    _, report = validate_rows([(4, {**BASE, name: value})])
    [error] = report.errors
    assert (error.row, error.field, error.value) == (4, name, value)
    assert str(error.message) == "contains a control character (U+0007)"


def test_a_summary_too_long_is_refused_with_the_reason():
    value = "Un prêt sans intérêt. " * 20  # 440 characters
    _, report = validate_rows([(2, {**BASE, "summary_en": value})])
    [error] = report.errors
    assert (error.field, error.value) == ("summary_en", value)
    assert str(error.message).startswith("439 characters, longer than 400: a short title")
    assert "one or two sentences" in str(error.message)
    assert record(summary_en="x" * 400).summary_en == "x" * 400


def test_a_summary_that_is_not_text_is_refused():
    _, report = validate_rows([(1, {**BASE, "summary_fr": ["a", "b"]})])
    assert [(e.field, str(e.message)) for e in report.errors] == [("summary_fr", "expected text")]


def _export(session, fmt: str) -> str:
    text, _ = exporting.export_catalogue(session, fmt)
    return text


def _empty(session) -> None:
    session.expunge_all()
    for table in (OfferCriterion, Offer, Organization):
        session.execute(table.__table__.delete())
    session.commit()


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_round_trip_keeps_both_languages(session, fmt):
    rows = [(1, BOTH), (2, {**BASE, "id": "bi-2", "title": "Sans traduction"})]
    assert import_offers(session, rows).applied
    session.commit()
    first = _export(session, fmt)
    _empty(session)
    report = import_offers(session, read_rows(f"catalogue.{fmt}", first.encode()))
    assert report.created == 2, report.errors
    session.commit()
    assert _export(session, fmt) == first
    stored = session.scalar(select(Offer).where(Offer.external_id == "bi-1"))
    assert (stored.title_fr, stored.title_en) == (BOTH["title_fr"], BOTH["title_en"])
    assert (stored.summary_fr, stored.summary_en) == (BOTH["summary_fr"], BOTH["summary_en"])
    other = session.scalar(select(Offer).where(Offer.external_id == "bi-2"))
    assert (other.title_fr, other.summary_en) == (None, None)  # no defaults written in


def test_the_contract_fields_are_unchanged_in_json_and_csv(session):
    assert import_offers(session, [(1, BOTH)]).applied
    session.commit()
    [exported] = json.loads(_export(session, "json"))
    assert {name: exported[name] for name in ("id", "title", "description", "lang")} == {
        name: BOTH[name] for name in ("id", "title", "description", "lang")
    }
    assert exported["summary_en"] == BOTH["summary_en"]
    header = next(csv.reader(io.StringIO(_export(session, "csv"))))
    assert [name for name in header if name in CONTRACT_FIELDS] == list(CONTRACT_FIELDS)
    assert set(header) - set(CONTRACT_FIELDS) == {
        "title_fr",
        "title_en",
        "summary_fr",
        "summary_en",
    }
    assert tuple(header) == EXCHANGE_FIELDS


def test_a_csv_with_the_new_columns_imports_them(session):
    content = (
        "id;title;description;lang;organization;kind;categories;title_en;summary_en\n"
        "bi-csv;Prêt agricole;Un prêt pour les fermes.;fr;Banque Verte;financing;loan;"
        "Farm loan;A loan for farms.\n"
    ).encode()
    assert import_offers(session, read_rows("offers.csv", content)).applied
    offer = session.scalar(select(Offer).where(Offer.external_id == "bi-csv"))
    assert (offer.title_en, offer.summary_en, offer.title_fr) == (
        "Farm loan",
        "A loan for farms.",
        None,
    )


def test_search_finds_an_offer_by_its_title_or_summary_in_the_other_language(session):
    assert import_offers(session, [(1, BOTH)]).applied
    session.commit()
    found = search.search_offers(session, search.OfferFilters(q="unsecured"))
    assert [offer.external_id for offer in found.offers] == ["bi-1"]
    offer = session.scalar(select(Offer).where(Offer.external_id == "bi-1"))
    offer.summary_en = "A loan for beekeepers."
    session.commit()
    assert search.search_offers(session, search.OfferFilters(q="unsecured")).total == 0
    assert search.search_offers(session, search.OfferFilters(q="beekeepers")).total == 1


def test_every_demo_offer_has_both_languages():
    offers = demo_offers()
    assert len(offers) == 75
    for entry in offers:
        texts = [entry.get(name) for name in ("title_fr", "title_en", "summary_fr", "summary_en")]
        assert all(texts), entry["id"]
        assert entry[f"title_{entry['lang']}"] == entry["title"], entry["id"]
        assert entry["summary_fr"] != entry["summary_en"], entry["id"]
        assert entry["title_fr"] != entry["title_en"], entry["id"]
        OfferRecord.model_validate(entry)  # lengths and characters within the rules
