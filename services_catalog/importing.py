"""Bulk import of offers from CSV or JSON files (contract section 4, `passerelle import`).

All-or-nothing by default: every row is validated before anything is written, and a
single invalid row means nothing is stored. The CLI and the staff upload page share it.
Files are read row by row and written a batch at a time (see `import_files`), so that a
catalogue of 100,000 offers imports in bounded memory.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from itertools import islice
from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from services_catalog import service
from services_catalog.errors import MISSING, N_, Message, validation_message
from services_catalog.import_files import (
    REQUIRED_COLUMNS,
    ImportFileError,
    Row,
    RowSource,
    read_file,
    read_rows,
)
from services_catalog.models import Offer, utcnow
from services_catalog.schemas import OfferRecord
from services_catalog.taxonomy import fold

__all__ = [
    "REQUIRED_COLUMNS",
    "ImportFileError",
    "ImportReport",
    "Row",
    "RowSource",
    "import_offers",
    "read_file",
    "read_rows",
    "validate_rows",
]

IMPORT_STATUSES = ("published", "pending", "draft")
UNCLASSIFIED_FLAG = "imported without categories: classify before publishing"
# From this many offers written, an import refreshes the database statistics.
BULK_ROWS = 1_000
# Offers stored per flush: the records and offer rows of one batch are all an import holds.
BATCH_ROWS = 2_000
FILE_CHANGED = N_("the file changed while it was being imported; nothing was imported")

Progress = Callable[[int, int], None]


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


def _row_errors(number: int, error: ValidationError) -> list[RowError]:
    return [_row_error(number, problem) for problem in error.errors()]


def _row_error(number: int, problem: Any) -> RowError:
    """One pydantic error as the field, the value as given and the reason."""
    name = str(problem["loc"][0]) if problem["loc"] else "record"
    return RowError(number, name, *validation_message(problem))


def validated_records(
    rows: Iterable[Row], report: ImportReport
) -> Iterator[tuple[int, OfferRecord]]:
    """The valid rows' records, one at a time; every row counts in `report.total`, and
    each invalid row's errors and each currency conversion go into `report`."""
    first_row_of_id: dict[str, int] = {}
    for number, raw in rows:
        report.total += 1
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
        yield number, record


def validate_rows(rows: Iterable[Row]) -> tuple[list[tuple[int, OfferRecord]], ImportReport]:
    """Validate every row; the report lists every error and currency conversion."""
    report = ImportReport()
    valid = list(validated_records(rows, report))
    return valid, report


def import_offers(
    session: Session,
    rows: Iterable[Row],
    *,
    status: str = "published",
    skip_invalid: bool = False,
    created_by_id: int | None = None,
    today: date | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Validate then store offers; with any error and no `skip_invalid`, store nothing.

    `rows` is read twice, a row at a time: once to check them all (nothing is written
    before the whole file is known to be readable and, by default, valid), then to store
    them in batches of BATCH_ROWS in the caller's transaction. A one-pass iterator is
    first copied into a list.
    """
    if status not in IMPORT_STATUSES:
        raise ValueError(f"invalid status {status!r}; expected one of {', '.join(IMPORT_STATUSES)}")
    if iter(rows) is rows:
        rows = list(rows)
    report = ImportReport()
    valid = sum(1 for _ in validated_records(rows, report))
    report.skipped = report.total - valid
    if report.errors and not skip_invalid:
        report.skipped = report.total
        return report
    writer = _Writer(session, report, status, created_by_id, today or date.today(), valid)
    again = ImportReport()
    done = 0
    for batch in _batches(validated_records(rows, again), BATCH_ROWS):
        writer.store_batch([record for _, record in batch])
        done += len(batch)
        if progress:
            progress(done, valid)
    if (again.total, len(again.errors), done) != (report.total, len(report.errors), valid):
        # Only a file rewritten between the two readings gets here: the caller's
        # transaction must not commit what this pass stored.
        raise ImportFileError(FILE_CHANGED)
    if report.created + report.updated >= BULK_ROWS:
        service.refresh_statistics(session)
    report.applied = True
    return report


def _batches(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


@dataclass
class _Writer:
    """Stores validated records a batch at a time, finding the offers and organisations
    they update; an offer row is kept in memory only while its batch is written."""

    session: Session
    report: ImportReport
    status: str
    created_by_id: int | None
    today: date
    expected: int  # valid records to store
    organizations: dict = field(default_factory=dict)
    # Offers with an external id, by that id → offer id. An import of several batches reads
    # them all once, so that a batch of new offers costs no lookup (on PostgreSQL, 500 ids
    # at a time in a table growing from empty, the lookups came to scan the whole table and
    # took most of a large import); one of a single batch, such as an edit, looks up only
    # its own (reading 100,000 ids took a one-offer edit 0.2 s).
    by_external_id: dict = field(default_factory=dict)
    # Offers without an external id, by (organisation name key, folded title) → offer id.
    by_title: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.organizations = service.organizations_by_key(self.session)
        if self.expected > BATCH_ROWS:
            self.by_external_id = service.offer_ids_by_external_id(self.session)
            self.by_title = service.offer_ids_by_title(self.session)

    def store_batch(self, records: list[OfferRecord]) -> None:
        """Store these records with a few queries and one flush."""
        if self.expected <= BATCH_ROWS:  # one batch: only its own offers are looked up
            ids = [r.id for r in records if r.id]
            self.by_external_id = service.offer_ids_by_external_id(self.session, ids)
            keys = [_title_key(r.organization, r.title)[0] for r in records if not r.id]
            self.by_title = service.offer_ids_by_title(self.session, keys)
        with_id = {r.id: self.by_external_id[r.id] for r in records if r.id in self.by_external_id}
        wanted = {_title_key(r.organization, r.title) for r in records if not r.id}
        known = {key: self.by_title[key] for key in wanted if key in self.by_title}
        by_id = service.offers_by_id(self.session, [*with_id.values(), *known.values()])
        batch = _Batch(
            by_external_id={key: by_id[i] for key, i in with_id.items() if i in by_id},
            by_title={key: by_id[i] for key, i in known.items() if i in by_id},
            stored_lists=service.stored_lists(self.session, by_id),
        )
        for record in records:
            self.store(record, batch)
        self.session.flush()  # new organisations get their ids
        service.insert_new_offers(
            self.session,
            [
                (self._new_row(record, organization), record.lists())
                for record, organization in batch.new
            ],
        )
        service.save_lists(self.session, list(batch.changed_lists.values()))
        self.session.flush()
        for key, offer in batch.by_title.items():
            self.by_title[key] = offer.id
        self._forget(batch)

    def _new_row(self, record: OfferRecord, organization) -> dict:
        """The offer table's row for a new offer with an external id."""
        status, flag = self._status(record)
        now = utcnow()
        return {name: getattr(record, name) for name in service.SCALAR_FIELDS} | {
            "external_id": record.id,
            "organization_id": organization.id,
            "status": status,
            "review_flag": flag,
            "written_amounts": record.written_amounts,
            "created_by_id": self.created_by_id,
            "last_verified_on": self.today,
            "created_at": now,
            "updated_at": now,
            "version": 1,
        }

    def _status(self, record: OfferRecord) -> tuple[str, str | None]:
        """The status and review flag an imported record gets."""
        if not record.categories:
            return "pending", UNCLASSIFIED_FLAG
        return self.status, None

    def _forget(self, batch: _Batch) -> None:
        """Let this batch's offer rows go: the next batches read again what they update."""
        for offer in batch.offers:
            if offer in self.session:
                self.session.expunge(offer)
        # The other side of Offer.organization collects every offer given an organisation.
        for organization in self.organizations.values():
            if organization in self.session:
                self.session.expire(organization, ["offers"])

    def store(self, record: OfferRecord, batch: _Batch) -> None:
        organization = service.get_or_create_organization(
            self.session, record.organization, self.organizations
        )
        title_key = (organization.name_key, fold(record.title))
        if record.id:
            offer = batch.by_external_id.get(record.id)
        else:  # without an id, the same provider and title mean the same offer
            offer = batch.by_title.get(title_key)
        if not record.categories:
            self.report.flagged += 1
        is_new = offer is None
        if is_new and record.id:  # the bulk of a large import: inserted without the ORM
            batch.new.append((record, organization))
            self.report.created += 1
            return
        if is_new:
            offer = Offer(created_by_id=self.created_by_id)
            self.session.add(offer)
            batch.by_title[title_key] = offer
        batch.offers.append(offer)
        changed = service.apply_scalars(offer, record, organization)
        if offer.written_amounts != record.written_amounts:  # a row replaces them all
            offer.written_amounts = record.written_amounts
            changed = True
        lists = record.lists()
        if is_new or batch.stored_lists.get(offer.id) != lists:
            batch.changed_lists[id(offer)] = (offer, lists)
            changed = True
        status, flag = self._status(record)
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


@dataclass
class _Batch:
    """What the writer knows while it stores one batch."""

    by_external_id: dict  # external id → offer
    by_title: dict  # (organisation name key, folded title) → offer, without external id
    stored_lists: dict  # offer id → lists as stored before the import
    offers: list = field(default_factory=list)  # ORM offers stored
    new: list = field(default_factory=list)  # (record, organisation) of new offers with an id
    changed_lists: dict = field(default_factory=dict)  # id(offer) → (offer, lists)


def _title_key(organization: str, title: str) -> tuple[str, str]:
    return fold(organization), fold(title)
