"""Bulk import of offers from CSV or JSON files (contract section 4, `passerelle import`).

All-or-nothing by default: every row is validated before anything is written, and a
single invalid row means nothing is stored. The CLI and the staff upload page share it.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from services_catalog import service
from services_catalog.errors import MISSING, N_, Message, validation_message
from services_catalog.models import Offer
from services_catalog.schemas import EXCHANGE_FIELDS, OfferRecord
from services_catalog.spreadsheet import unescape_formula
from services_catalog.taxonomy import fold

REQUIRED_COLUMNS = ("title", "description", "organization", "kind")
IMPORT_STATUSES = ("published", "pending", "draft")
UNCLASSIFIED_FLAG = "imported without categories: classify before publishing"
# From this many offers written, an import refreshes the database statistics.
BULK_ROWS = 1_000

Row = tuple[int, Any]  # (row number as the person sees it, raw record)
Progress = Callable[[int, int], None]


class ImportFileError(ValueError):
    """The file as a whole cannot be read (format, encoding, columns)."""

    def __init__(self, text: str, **params: object) -> None:
        self.message = Message(text, params)
        super().__init__(str(self.message))


@dataclass(frozen=True)
class RowError:
    """One problem with one field of one row."""

    row: int
    field: str
    value: Any
    message: Message

    @property
    def missing(self) -> bool:
        return self.message.text == MISSING


@dataclass(frozen=True)
class Conversion:
    """An amount of a row converted to euros."""

    row: int
    field: str
    message: Message


@dataclass
class ImportReport:
    """What an import did, or would have done."""

    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    flagged: int = 0
    applied: bool = False
    errors: list[RowError] = field(default_factory=list)
    conversions: list[Conversion] = field(default_factory=list)


def read_file(path: Path) -> list[Row]:
    """Rows of a `.csv` or `.json` file, chosen by extension."""
    return read_rows(path.name, path.read_bytes())


def read_rows(filename: str, content: bytes) -> list[Row]:
    """Rows of an uploaded or local file, chosen by its extension."""
    suffix = Path(filename).suffix.lower()
    if suffix == ".json":
        return _json_rows(content)
    if suffix == ".csv":
        return _csv_rows(content)
    kind = suffix or filename
    raise ImportFileError(N_("unsupported file type %(kind)s: use .csv or .json"), kind=kind)


def _json_rows(content: bytes) -> list[Row]:
    try:
        data = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ImportFileError(N_("not valid UTF-8 JSON: %(reason)s"), reason=exc) from None
    if isinstance(data, dict) and isinstance(data.get("offers"), list):
        data = data["offers"]
    if not isinstance(data, list):
        raise ImportFileError(N_('expected a list of offers or {"offers": [...]}'))
    return list(enumerate(data, start=1))


def _decode(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("cp1252")  # French Excel's default export


def _column(header: str) -> str:
    return header.strip().lower().replace(" ", "_").replace("-", "_")


def _csv_rows(content: bytes) -> list[Row]:
    text = _decode(content)
    first_line = text.split("\n", 1)[0]
    # French spreadsheets separate columns with ";"; lists then use "|" inside cells.
    delimiter = max((",", ";", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [_column(h) for h in next(reader)]
    except StopIteration:
        raise ImportFileError(N_("the CSV file is empty")) from None
    unknown = [h for h in header if h and h not in EXCHANGE_FIELDS]
    if unknown:
        message = N_("unknown column(s) %(columns)s; expected some of: %(expected)s")
        raise ImportFileError(
            message, columns=", ".join(unknown), expected=", ".join(EXCHANGE_FIELDS)
        )
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise ImportFileError(
            N_("missing required column(s): %(columns)s"), columns=", ".join(missing)
        )
    rows: list[Row] = []
    for number, cells in enumerate(reader, start=2):  # the header is row 1
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(header):
            message = N_("row %(row)s has %(cells)s cells for %(columns)s columns")
            raise ImportFileError(message, row=str(number), cells=len(cells), columns=len(header))
        values = {h: unescape_formula(c) for h, c in zip(header, cells, strict=False) if c.strip()}
        rows.append((number, values))
    return rows


def _row_errors(number: int, error: ValidationError) -> list[RowError]:
    return [_row_error(number, problem) for problem in error.errors()]


def _row_error(number: int, problem: Any) -> RowError:
    """One pydantic error as the field, the value as given and the reason."""
    name = str(problem["loc"][0]) if problem["loc"] else "record"
    return RowError(number, name, *validation_message(problem))


def validate_rows(rows: list[Row]) -> tuple[list[tuple[int, OfferRecord]], ImportReport]:
    """Validate every row; the report lists every error and currency conversion."""
    report = ImportReport(total=len(rows))
    valid: list[tuple[int, OfferRecord]] = []
    first_row_of_id: dict[str, int] = {}
    for number, raw in rows:
        if not isinstance(raw, dict):
            report.errors.append(RowError(number, "record", raw, Message(N_("expected an object"))))
            continue
        context: dict[str, list[tuple[str, Message]]] = {}
        try:
            record = OfferRecord.model_validate(raw, context=context)
        except ValidationError as exc:
            report.errors.extend(_row_errors(number, exc))
            continue
        if record.id is not None:
            first = first_row_of_id.setdefault(record.id, number)
            if first != number:
                message = Message(
                    N_("duplicate id, already used on row %(row)s"), {"row": str(first)}
                )
                report.errors.append(RowError(number, "id", record.id, message))
                continue
        notes = context.get("conversions", [])
        report.conversions.extend(Conversion(number, name, note) for name, note in notes)
        valid.append((number, record))
    return valid, report


def import_offers(
    session: Session,
    rows: list[Row],
    *,
    status: str = "published",
    skip_invalid: bool = False,
    created_by_id: int | None = None,
    today: date | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Validate then store offers; with any error and no `skip_invalid`, store nothing."""
    if status not in IMPORT_STATUSES:
        raise ValueError(f"invalid status {status!r}; expected one of {', '.join(IMPORT_STATUSES)}")
    valid, report = validate_rows(rows)
    report.skipped = report.total - len(valid)
    if report.errors and not skip_invalid:
        report.skipped = report.total
        return report
    writer = _Writer(session, report, status, created_by_id, today or date.today())
    writer.preload(record for _, record in valid)
    for done, (_, record) in enumerate(valid, start=1):
        writer.store(record)
        if progress and (done % 500 == 0 or done == len(valid)):
            progress(done, len(valid))
    service.save_lists(session, list(writer.changed_lists.values()))
    session.flush()
    if report.created + report.updated >= BULK_ROWS:
        service.refresh_statistics(session)
    report.applied = True
    return report


@dataclass
class _Writer:
    """Stores validated records, finding the offers and organisations they update."""

    session: Session
    report: ImportReport
    status: str
    created_by_id: int | None
    today: date
    organizations: dict = field(default_factory=dict)
    by_external_id: dict = field(default_factory=dict)
    by_title: dict = field(default_factory=dict)
    changed_lists: dict = field(default_factory=dict)  # id(offer) → (offer, lists)
    stored_lists: dict = field(default_factory=dict)  # offer id → lists before the import

    def preload(self, records) -> None:
        """Fetch in a few queries every row this import may update."""
        ids = [record.id for record in records if record.id]
        self.organizations = service.organizations_by_key(self.session)
        self.by_external_id = service.offers_by_external_id(self.session, ids)
        self.by_title = service.offers_by_title(self.session)
        existing = [*self.by_external_id.values(), *self.by_title.values()]
        self.stored_lists = service.stored_lists(self.session, (o.id for o in existing))

    def store(self, record: OfferRecord) -> None:
        organization = service.get_or_create_organization(
            self.session, record.organization, self.organizations
        )
        title_key = (organization.name_key, fold(record.title))
        if record.id:
            offer = self.by_external_id.get(record.id)
        else:  # without an id, the same provider and title mean the same offer
            offer = self.by_title.get(title_key)
        is_new = offer is None
        if is_new:
            offer = Offer(created_by_id=self.created_by_id)
            self.session.add(offer)
            if not record.id:
                self.by_title[title_key] = offer
        changed = service.apply_scalars(offer, record, organization)
        if offer.written_amounts != record.written_amounts:  # a row replaces them all
            offer.written_amounts = record.written_amounts
            changed = True
        lists = record.lists()
        if is_new or self.stored_lists.get(offer.id) != lists:
            self.changed_lists[id(offer)] = (offer, lists)
            changed = True
        status, flag = self.status, None
        if not record.categories:
            status, flag = "pending", UNCLASSIFIED_FLAG
            self.report.flagged += 1
        if (offer.status, offer.review_flag) != (status, flag):
            offer.status, offer.review_flag = status, flag
            changed = True
        if is_new:
            self.report.created += 1
        elif changed:
            self.report.updated += 1
        else:
            self.report.unchanged += 1
            return
        service.mark_changed(offer, verified_on=self.today)
