"""Import problems said in French and English, pydantic's own error types included."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from passerelle.catalog_messages import row_error, translate
from services_catalog.errors import Message
from services_catalog.importing import validate_rows

VALID = {"title": "Atelier", "description": "Un atelier.", "organization": "Réseau",
         "kind": "service"}  # fmt: skip


def only_error(**fields):
    _, report = validate_rows([(2, VALID | fields)])
    [error] = report.errors
    return error


@pytest.mark.parametrize(
    ("fields", "french", "english"),
    [
        ({"title": "x" * 301}, "plus de 300 caractères", "longer than 300 characters"),
        ({"title": ""}, "vide", "empty"),
        ({"title": 12}, "du texte est attendu", "expected text"),
        ({"colour": "bleu"}, "champ inconnu", "unknown field"),
        ({"deadline": "demain"}, "pas une date (format attendu : AAAA-MM-JJ)",
         "not a date (expected YYYY-MM-DD)"),
        ({"url": "example.org"}, "pas une adresse web (http:// ou https:// attendu)",
         "not a web address (expected http:// or https://)"),
        ({"min_project_eur": "-5 €"}, "les montants négatifs sont refusés",
         "negative amounts are refused"),
        ({"countries": "Congo"},
         "plusieurs pays portent ce nom : choisissez CD (République démocratique du Congo) "
         "ou CG (République du Congo)",
         "several countries have this name: choose CD (Democratic Republic of the Congo) "
         "or CG (Republic of the Congo)"),
    ],
)  # fmt: skip
def test_each_problem_is_said_in_both_languages(fields, french, english):
    error = only_error(**fields)
    assert translate(error.message, "fr") == french
    assert translate(error.message, "en") == english


def test_a_missing_field_is_said_missing_without_a_value():
    _, report = validate_rows([(4, {k: v for k, v in VALID.items() if k != "kind"})])
    [error] = report.errors
    assert row_error(error, "fr") == "ligne 4, champ kind : manquant"
    assert row_error(error, "en") == "row 4, field kind: missing"


def test_numbers_and_dates_are_written_the_readers_way():
    message = Message(
        "%(original)s %(currency)s converted at %(rate)s %(currency)s = 1 EUR (rate of %(date)s)",
        {
            "original": 100_000,
            "currency": "MAD",
            "rate": Decimal("10.7589"),
            "date": date(2025, 6, 16),
        },
    )
    assert translate(message, "fr") == (
        "100\u202f000 MAD convertis au taux de 10,7589 MAD = 1 EUR (taux du 16 juin 2025)"
    )
    assert translate(message, "en") == (
        "100,000 MAD converted at 10.7589 MAD = 1 EUR (rate of 16 June 2025)"
    )
