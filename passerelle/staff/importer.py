"""Bulk import from the staff page: the CLI's code path (`services_catalog.importing`),
a size limit on the upload, and one audit entry for an import that changed the catalogue."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from passerelle.i18n import N_
from services_catalog import importing, workflow
from services_catalog.errors import Message

MAX_UPLOAD_BYTES = 5_000_000
STATUSES = ("pending", "published")
NO_FILE = N_("Choose a .csv or .json file to import.")
TOO_LARGE = N_("The file is larger than %(megabytes)s MB: split it into smaller files.")


@dataclass(frozen=True)
class ImportOutcome:
    """The report of a file that could be read, or the problem with the file as a whole."""

    report: importing.ImportReport | None = None
    problem: str | None = None  # a msgid
    file_error: Message | None = None  # why the reader could not read the file


def run_import(
    session: Session,
    filename: str,
    content: bytes,
    *,
    status: str,
    skip_invalid: bool,
    actor_id: int | None,
) -> ImportOutcome:
    """Import an uploaded file all-or-nothing (or skipping invalid rows), and audit it."""
    if len(content) > MAX_UPLOAD_BYTES:
        return ImportOutcome(problem=TOO_LARGE)
    try:
        rows = importing.read_rows(filename, content)
        # A file unreadable halfway is found by the import's checking pass, before it
        # writes anything (the content cannot change between its two readings).
        report = importing.import_offers(
            session, rows, status=status, skip_invalid=skip_invalid, created_by_id=actor_id
        )
    except importing.ImportFileError as exc:
        return ImportOutcome(problem=N_("The file cannot be read."), file_error=exc.message)
    if report.applied:
        counts = ("total", "created", "updated", "unchanged", "skipped", "flagged")
        workflow.audit(
            session,
            actor_id=actor_id,
            entity="import",
            entity_id=None,
            action="import",
            after={name: getattr(report, name) for name in counts} | {"status": status},
            note=filename,
        )
        session.flush()
    return ImportOutcome(report=report)
