"""CSV cells that a spreadsheet opens as text, never as a formula (CSV injection).

A cell starting with a formula character gets a leading apostrophe, which spreadsheets
read as "this is text" and do not show. Apostrophes already in front of such a cell get
one more, so that `unescape_formula` gives back exactly the text that was written: a
catalogue exported to CSV imports again unchanged.
"""

from __future__ import annotations

# Characters a spreadsheet would read as the start of a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _looks_escaped(text: str) -> bool:
    """Whether `text` is apostrophes followed by a formula character."""
    return text.lstrip("'").startswith(FORMULA_STARTS)


def escape_formula(text: str) -> str:
    """The cell text a spreadsheet shows as `text` without running it."""
    return "'" + text if _looks_escaped(text) else text


def unescape_formula(text: str) -> str:
    """The text `escape_formula` was given (any other cell is returned as it is)."""
    return text[1:] if text.startswith("'") and _looks_escaped(text) else text
