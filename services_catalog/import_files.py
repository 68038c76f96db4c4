"""Reading offer files (contract section 2) row by row, never holding a whole file.

A file is read again each time its rows are iterated: the import checks every row in a
first pass and stores them in a second, so that a large file costs the memory of one row
at a time, not of the file.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

import ijson

from services_catalog.errors import N_, Message
from services_catalog.schemas import EXCHANGE_FIELDS
from services_catalog.spreadsheet import unescape_formula

REQUIRED_COLUMNS = ("title", "description", "organization", "kind")
NOT_A_LIST = N_('expected a list of offers or {"offers": [...]}')
CHUNK_BYTES = 1 << 20

Row = tuple[int, Any]  # (row number as the person sees it, raw record)


class ImportFileError(ValueError):
    """The file as a whole cannot be read (format, encoding, columns)."""

    def __init__(self, text: str, **params: object) -> None:
        self.message = Message(text, params)
        super().__init__(str(self.message))


class RowSource:
    """The rows of a `.csv` or `.json` file, read from the start at each iteration.

    Made only for a file that can be read as a whole: its format, encoding, columns and
    first row are checked at once, so that such a problem is told before any database work.
    A problem further on (a CSV row with too many cells, broken JSON) raises
    ImportFileError when the reading comes to it.
    """

    def __init__(self, filename: str, open_stream: Callable[[], BinaryIO]) -> None:
        suffix = Path(filename).suffix.lower()
        self._open = open_stream
        if suffix == ".json":
            self._read: Callable[[BinaryIO], Iterator[Row]] = _json_rows
        elif suffix == ".csv":
            encoding = _csv_encoding(open_stream)
            self._read = lambda stream: _csv_rows(stream, encoding)
        else:
            kind = suffix or filename
            message = N_("unsupported file type %(kind)s: use .csv or .json")
            raise ImportFileError(message, kind=kind)
        rows = iter(self)
        next(rows, None)
        rows.close()

    def __iter__(self) -> Iterator[Row]:
        with self._open() as stream:
            yield from self._read(stream)


def read_file(path: Path) -> RowSource:
    """Rows of a local `.csv` or `.json` file, chosen by extension."""
    return RowSource(path.name, lambda: path.open("rb"))


def read_rows(filename: str, content: bytes) -> RowSource:
    """Rows of an uploaded file, chosen by its extension."""
    return RowSource(filename, lambda: io.BytesIO(content))


def _json_rows(stream: BinaryIO) -> Iterator[Row]:
    start = len(codecs.BOM_UTF8) if stream.read(len(codecs.BOM_UTF8)) == codecs.BOM_UTF8 else 0
    stream.seek(start)
    try:
        if stream.read(CHUNK_BYTES).lstrip().startswith(b"["):
            # A plain list, the usual case: parsed and built by ijson's C code throughout.
            stream.seek(start)
            yield from enumerate(ijson.items(stream, "item", use_float=True), start=1)
            return
        stream.seek(start)
        yield from enumerate(_json_offers(stream), start=1)
    except ijson.JSONError as exc:
        raise ImportFileError(N_("not valid UTF-8 JSON: %(reason)s"), reason=_reason(exc)) from None


def _json_offers(stream: BinaryIO) -> Iterator[Any]:
    """The items of a top-level list, or of the list under `offers` in a top-level object,
    each built when its turn comes."""
    events = ijson.parse(stream, use_float=True)
    _, event, _ = next(events, ("", None, None))
    if event == "start_array":  # a list after a megabyte of white space
        yield from ijson.items(events, "item", use_float=True)
        return
    if event == "start_map":
        for prefix, event, _ in events:
            if prefix == "offers":  # the value of the top-level key `offers`
                if event != "start_array":
                    break
                yield from ijson.items(events, "offers.item", use_float=True)
                return
    raise ImportFileError(NOT_A_LIST)


def _reason(exc: ijson.JSONError) -> str:
    """The parser's first line (the next ones draw where in the text it stopped)."""
    reason = exc.args[0] if exc.args else exc
    if isinstance(reason, bytes):
        reason = reason.decode("utf-8", "replace")
    return str(reason).strip().splitlines()[0]


def _csv_encoding(open_stream: Callable[[], BinaryIO]) -> str:
    """UTF-8 when the whole file decodes as such, else French Excel's default export."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    with open_stream() as stream:
        try:
            while chunk := stream.read(CHUNK_BYTES):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "cp1252"
    return "utf-8-sig"


def _column(header: str) -> str:
    return header.strip().lower().replace(" ", "_").replace("-", "_")


def _csv_rows(stream: BinaryIO, encoding: str) -> Iterator[Row]:
    text = io.TextIOWrapper(stream, encoding=encoding, newline="")
    first_line = text.readline()
    # French spreadsheets separate columns with ";"; lists then use "|" inside cells.
    delimiter = max((",", ";", "\t"), key=first_line.split("\n", 1)[0].count)
    reader = csv.reader(_lines(first_line, text), delimiter=delimiter)
    try:
        header = [_column(h) for h in next(reader)]
    except StopIteration:
        raise ImportFileError(N_("the CSV file is empty")) from None
    _check_columns(header)
    for number, cells in enumerate(reader, start=2):  # the header is row 1
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(header):
            message = N_("row %(row)s has %(cells)s cells for %(columns)s columns")
            raise ImportFileError(message, row=str(number), cells=len(cells), columns=len(header))
        values = {h: unescape_formula(c) for h, c in zip(header, cells, strict=False) if c.strip()}
        yield number, values


def _lines(first: str, rest: io.TextIOWrapper) -> Iterator[str]:
    if first:
        yield first
    yield from rest


def _check_columns(header: list[str]) -> None:
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
