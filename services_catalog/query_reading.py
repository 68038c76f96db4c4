"""Reading a search box entry: the countries and vocabulary words it names become filters.

"financement Maroc" then asks what the Maroc filter and the financing filter ask, instead
of offers whose text holds both words. Words read as a filter are no longer keywords.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from services_catalog.analysis import fold_words, is_content_word
from services_catalog.countries import CountryError, normalize_country
from services_catalog.thesaurus import filter_phrases, phrase_keys

_TOKEN = re.compile(r"\w+")
LONGEST_COUNTRY = 4  # words: "Sao Tome et Principe"
# Shorter entries are ISO codes or words ("de" is Germany's code, "and" Andorra's).
SHORTEST_COUNTRY = 4  # letters


@dataclass
class ReadQuery:
    """What a search entry asks: filter codes per facet, and the words left to look for."""

    keywords: str | None
    filters: dict[str, list[str]] = field(default_factory=dict)

    def add(self, facet: str, codes: tuple[str, ...] | list[str]) -> None:
        known = self.filters.setdefault(facet, [])
        known.extend(code for code in codes if code not in known)


def read_query(q: str) -> ReadQuery:
    """Split `q` into the filters it names and the keywords that remain."""
    tokens = [(token, "".join(fold_words(token))) for token in _TOKEN.findall(q)]
    tokens = [(token, folded) for token, folded in tokens if folded]
    read = ReadQuery(keywords=None)
    countries = _countries(tokens, read)
    used = countries | _filter_words(tokens, read, countries)
    left = [token for i, (token, folded) in enumerate(tokens) if i not in used]
    if any(is_content_word(fold) for fold in fold_words(" ".join(left))):
        read.keywords = " ".join(left)
    return read


def _countries(tokens: list[tuple[str, str]], read: ReadQuery) -> set[int]:
    """Positions of the words naming a country, longest names first."""
    used: set[int] = set()
    start = 0
    while start < len(tokens):
        for length in range(min(LONGEST_COUNTRY, len(tokens) - start), 0, -1):
            words = tokens[start : start + length]
            if len("".join(folded for _, folded in words)) < SHORTEST_COUNTRY:
                continue
            try:
                code = normalize_country(" ".join(token for token, _ in words))
            except CountryError:
                continue
            read.add("country", [code])
            used.update(range(start, start + length))
            start += length
            break
        else:
            start += 1
    return used


def _filter_words(tokens: list[tuple[str, str]], read: ReadQuery, taken: set[int]) -> set[int]:
    """Positions of the words naming a filter (labels, thesaurus phrases), longest first."""
    phrases = filter_phrases()
    longest = max(map(len, phrases))
    # Stop words may sit inside a phrase ("prêt d'honneur"): match on content words only.
    content = [
        i for i, (_, folded) in enumerate(tokens) if i not in taken and is_content_word(folded)
    ]
    used: set[int] = set()
    start = 0
    while start < len(content):
        for length in range(min(longest, len(content) - start), 0, -1):
            positions = content[start : start + length]
            keys = phrase_keys([tokens[i][1] for i in positions])
            found = next((phrases[key] for key in keys if key in phrases), None)
            if found is not None:
                read.add(*found)
                used.update(range(positions[0], positions[-1] + 1))
                start += length
                break
        else:
            start += 1
    return used
