"""Export of the catalogue in the exchange format (JSON or CSV)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services_catalog.hsds import hsds_document
from services_catalog.models import LIST_FIELDS, Offer
from services_catalog.schemas import EXCHANGE_FIELDS
from services_catalog.service import offer_to_record
from services_catalog.spreadsheet import escape_formula

EXPORT_FORMATS = ("json", "csv", "hsds")


def export_records(session: Session, statuses: Iterable[str] = ("published",)) -> list[dict]:
    """The offers with these statuses as exchange-format dicts, ordered by id."""
    query = select(Offer).where(Offer.status.in_(list(statuses)))
    records = [offer_to_record(offer).model_dump(mode="json") for offer in session.scalars(query)]
    return sorted(records, key=lambda record: record["id"])


def to_json(records: list[dict]) -> str:
    return json.dumps(records, ensure_ascii=False, indent=2) + "\n"


def _cell(name: str, value: Any) -> str:
    """The cell's text, safe to open in a spreadsheet (the importer undoes the escaping)."""
    if value is None:
        return ""
    if name in LIST_FIELDS:
        return escape_formula(";".join(value))
    return escape_formula(str(value))


def to_csv(records: list[dict]) -> str:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(EXCHANGE_FIELDS)
    for record in records:
        writer.writerow([_cell(name, record[name]) for name in EXCHANGE_FIELDS])
    return buffer.getvalue()


def export_catalogue(session: Session, fmt: str) -> tuple[str, int]:
    """The published catalogue written as `fmt` (json, csv or hsds), and its offer count."""
    if fmt == "hsds":
        document = hsds_document(session)
        return json.dumps(document, ensure_ascii=False, indent=2) + "\n", len(document["services"])
    records = export_records(session)
    if fmt == "json":
        return to_json(records), len(records)
    if fmt == "csv":
        return to_csv(records), len(records)
    raise ValueError(f"unknown export format {fmt!r}; expected one of {', '.join(EXPORT_FORMATS)}")
