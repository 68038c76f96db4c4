"""A dashboard section's figures as a table: shown on the page and downloaded as CSV.

Each cell carries the text shown (formatted for the locale) and the value exported
(numbers as numbers, dates in ISO form), so the page and its CSV are the same rows.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date

from passerelle.analytics.charts import Chart, ChartRow
from services_catalog.spreadsheet import escape_formula

# Rows shown on the page; the CSV always has them all.
PAGE_ROWS = 100


@dataclass(frozen=True)
class Cell:
    text: str
    value: object = None  # exported value; the text when None
    href: str | None = None

    @property
    def exported(self) -> object:
        return self.text if self.value is None else self.value


@dataclass(frozen=True)
class Column:
    title: str
    numeric: bool = False


@dataclass(frozen=True)
class Row:
    cells: list[Cell]
    highlight: bool = False


@dataclass
class Section:
    """One part of the dashboard: heading, explanation, chart and table."""

    key: str
    title: str
    intro: str
    empty: str  # said instead of the table when there is no row
    columns: list[Column]
    rows: list[Row] = field(default_factory=list)
    chart: Chart | None = None
    chart_rows: list[ChartRow] = field(default_factory=list)

    @property
    def shown_rows(self) -> list[Row]:
        return self.rows[:PAGE_ROWS]

    @property
    def more(self) -> int:
        return max(0, len(self.rows) - PAGE_ROWS)


def _safe(value: object) -> object:
    """Text that a spreadsheet would run as a formula is written as plain text."""
    if isinstance(value, str):
        return escape_formula(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def section_csv(section: Section) -> str:
    """The section's table as CSV: its column titles, then every row's exported values."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([column.title for column in section.columns])
    for row in section.rows:
        writer.writerow([_safe(cell.exported) for cell in row.cells])
    return out.getvalue()
