"""Variants people write for countries and codes: the lookup key and the alias tables.

The tables are data (`data/country_aliases.csv`, `data/vocabulary_aliases.csv`), kept by
hand beside the ISO names and the contract's labels: a programme officer's "Burkina",
"RDC" or "Commerce" is added there, not in code.
"""

from __future__ import annotations

import csv
import functools
import re
import unicodedata
from importlib import resources

_WORD = re.compile(r"[a-z0-9]+")
_LEADING_ARTICLES = frozenset({"the", "la", "le", "les", "l"})
# Words abbreviated in official names ("Rép. dém. du Congo", "Dem. Rep. of the Congo"):
# each spelling, in either language, is read as one stem.
_STEMS = {
    "rep": "rep", "republique": "rep", "republic": "rep",
    "dem": "dem", "democratique": "dem", "democratic": "dem",
    "fed": "fed", "federale": "fed", "federal": "fed",
    "st": "saint", "ste": "sainte",
}  # fmt: skip


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@functools.lru_cache(maxsize=8192)  # imports repeat the same few spellings
def lookup_key(text: str) -> str:
    """What two spellings must share to name the same thing: case, accents, punctuation,
    spacing, a leading article and common abbreviations ignored."""
    words = _WORD.findall(strip_accents(text.casefold()))
    if len(words) > 1 and words[0] in _LEADING_ARTICLES:
        words = words[1:]
    return "".join(_STEMS.get(word, word) for word in words)


def _rows(filename: str) -> list[dict[str, str]]:
    text = resources.files("services_catalog").joinpath("data", filename).read_text("utf-8")
    lines = (line for line in text.splitlines() if line.strip() and not line.startswith("#"))
    return list(csv.DictReader(lines))


@functools.cache
def country_aliases() -> tuple[tuple[str, str], ...]:
    """(alias, alpha-2 code) for each curated country variant."""
    return tuple((row["alias"], row["code"]) for row in _rows("country_aliases.csv"))


@functools.cache
def vocabulary_aliases() -> tuple[tuple[str, str, str], ...]:
    """(vocabulary, alias, code) for each curated short label of a vocabulary's code."""
    return tuple(
        (row["vocabulary"], row["alias"], row["code"]) for row in _rows("vocabulary_aliases.csv")
    )
