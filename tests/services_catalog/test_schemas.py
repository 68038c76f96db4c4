from datetime import date

import pytest
from pydantic import ValidationError

from services_catalog.schemas import OfferRecord


def minimal(**fields):
    return {
        "title": "Prêt d'honneur",
        "description": "Un prêt sans intérêt.",
        "organization": "Réseau Test",
        "kind": "financing",
        **fields,
    }


def errors_of(data):
    with pytest.raises(ValidationError) as caught:
        OfferRecord.model_validate(data)
    return {error["loc"][0] if error["loc"] else None: error for error in caught.value.errors()}


def test_minimal_record_has_no_restrictions():
    record = OfferRecord.model_validate(minimal())
    assert record.lang == "fr"
    assert record.countries == record.sectors == record.target_groups == []
    assert record.min_project_eur is None and record.deadline is None


def test_lists_from_separated_strings_are_normalised_and_deduplicated():
    record = OfferRecord.model_validate(
        minimal(
            countries="Sénégal; cote divoire | CIV\nMali",
            residence_countries="FR, DE, BE",
            sectors=" Agriculture ; energy;",
            categories=["Prêt d'honneur", "grant"],
            target_groups="Femmes;youth",
        )
    )
    assert record.countries == ["SN", "CI", "ML"]
    assert record.residence_countries == ["FR", "DE", "BE"]
    assert record.sectors == ["agriculture", "energy"]
    assert record.categories == ["honour_loan", "grant"]
    assert record.target_groups == ["women", "youth"]


def test_amounts_and_conversions_are_reported_in_the_context():
    context = {}
    record = OfferRecord.model_validate(
        minimal(min_project_eur="30k", max_project_eur="25 000 000 FCFA", ticket_max_eur=15000),
        context=context,
    )
    assert (record.min_project_eur, record.max_project_eur) == (30_000, 38_112)
    assert record.ticket_max_eur == 15_000
    [(name, note)] = context["conversions"]
    assert name == "max_project_eur" and str(note).startswith("25,000,000 FCFA converted")


def test_dates_iso_and_day_first():
    record = OfferRecord.model_validate(minimal(opens="01/02/2027", deadline="2027-03-31"))
    assert (record.opens, record.deadline) == (date(2027, 2, 1), date(2027, 3, 31))


@pytest.mark.parametrize(
    ("data", "field", "needle"),
    [
        (minimal(countries="SN;Atlantis"), "countries", "Atlantis"),
        (minimal(sectors="agriculture;spaceflight"), "sectors", "spaceflight"),
        (minimal(kind="gift"), "kind", "gift"),
        (minimal(lang="de"), "lang", "de"),
        (minimal(min_project_eur="lots"), "min_project_eur", "lots"),
        (minimal(min_project_eur=50_000, max_project_eur=10_000), "max_project_eur", "50,000"),
        (minimal(opens="2027-05-01", deadline="2027-01-01"), "deadline", "2027-05-01"),
        (minimal(deadline="31/02/2027"), "deadline", "31/02/2027"),
        (minimal(url="ftp://example.org"), "url", "ftp://example.org"),
        (minimal(categories="mentoring"), "categories", "mentoring"),
        (minimal(title=""), "title", ""),
        (minimal(colour="blue"), "colour", ""),
    ],
)
def test_invalid_fields_are_named(data, field, needle):
    errors = errors_of(data)
    assert field in errors
    assert needle in errors[field]["msg"] or needle in repr(errors[field]["input"])


def test_missing_required_fields_are_each_named():
    errors = errors_of({"kind": "service"})
    assert {"title", "description", "organization"} <= set(errors)
