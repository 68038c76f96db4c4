"""Needs read from the words people use, typos and missing accents included.

The lexicon (`data/needs_lexicon.json`) lists, for each kind of support, the words and
phrases that ask for it in French and English. A text is cut into accent-free tokens and
phrases are found longest first; a token of five letters or more also matches a lexicon
word it is close to (a typo, a plural), so "financemnt" and "besion" still read.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from rapidfuzz import fuzz, process

from matching.words import strip_accents

LEXICON_PATH = Path(__file__).parent / "data" / "needs_lexicon.json"

# Typo tolerance: only words this long are compared loosely, and only this close
# (rapidfuzz's normalised similarity, 0-100): "financemnt" and "subvension" pass,
# "investir" (to invest, not to seek investors) stays short of "investor".
FUZZY_MIN_LENGTH = 5
FUZZY_MIN_SCORE = 88

CANONICAL_CACHE = 65_536

_TOKEN = re.compile(r"[a-z0-9]+|\$")
# Signs that folding to ASCII would drop, spelt as the words they stand for.
_SIGNS = str.maketrans({"€": " eur ", "£": " gbp "})

MONEY = "money"


def fold(text: str) -> str:
    """`text` lower-case and accent-free, with the euro and pound signs spelt out."""
    return strip_accents((text or "").translate(_SIGNS))


def tokens(text: str) -> list[str]:
    """The words, numbers and dollar signs of `text`, folded, in order."""
    return _TOKEN.findall(fold(text))


@dataclass(frozen=True, slots=True)
class PhraseMatch:
    """A lexicon phrase found in a text: its key and the token span it covers."""

    key: str
    start: int
    stop: int


class PhraseTable:
    """Phrases (token tuples) with the key each stands for, matched longest first."""

    def __init__(self, phrases: Mapping[str, Iterable[str]]):
        self._keys: dict[tuple[str, ...], list[str]] = {}
        for key, spellings in phrases.items():
            for spelling in spellings:
                self._keys.setdefault(tuple(tokens(spelling)), []).append(key)
        self._longest = max((len(p) for p in self._keys), default=0)
        self._known = frozenset(word for phrase in self._keys for word in phrase)
        self._long_words = sorted(w for w in self._known if len(w) >= FUZZY_MIN_LENGTH)
        # People reuse the same few hundred words: each is compared with the lexicon once.
        self.canonical = lru_cache(maxsize=CANONICAL_CACHE)(self._closest)

    def _closest(self, token: str) -> str:
        """The lexicon word `token` stands for: itself, or the closest long word within reach."""
        if len(token) < FUZZY_MIN_LENGTH or token in self._known or not token.isalpha():
            return token
        best = process.extractOne(
            token, self._long_words, scorer=fuzz.ratio, score_cutoff=FUZZY_MIN_SCORE
        )
        return best[0] if best is not None else token

    def find(self, words: Sequence[str]) -> list[PhraseMatch]:
        """Every phrase in `words`, scanning left to right and taking the longest at each place."""
        words = [self.canonical(word) for word in words]
        found, position = [], 0
        while position < len(words):
            for length in range(min(self._longest, len(words) - position), 0, -1):
                phrase = tuple(words[position : position + length])
                if phrase in self._keys:
                    stop = position + length
                    found += [PhraseMatch(key, position, stop) for key in self._keys[phrase]]
                    position = stop
                    break
            else:
                position += 1
        return found


@dataclass(frozen=True)
class Lexicon:
    """The needs lexicon: phrases per category code, generic money words, amount words."""

    phrases: PhraseTable
    broader: Mapping[str, tuple[str, ...]]
    money_codes: tuple[str, ...]
    financing_codes: frozenset[str]
    amounts: Mapping

    @classmethod
    def load(cls, path: str | Path | None = None) -> Lexicon:
        """The shipped lexicon unless `path` names another file of the same shape."""
        data = json.loads(Path(path or LEXICON_PATH).read_text("utf-8"))
        return cls(
            phrases=PhraseTable({**data["needs"], MONEY: data["money"]}),
            broader={code: tuple(more) for code, more in data["broader"].items()},
            money_codes=tuple(data["money_codes"]),
            financing_codes=frozenset(data["financing_codes"]),
            amounts=data["amounts"],
        )

    def read_needs(self, text: str) -> tuple[str, ...]:
        """Category codes `text` asks for, in the order it names them."""
        codes: list[str] = []
        for match in self.phrases.find(tokens(text)):
            read = self.money_codes if match.key == MONEY else (match.key,)
            for code in read:
                codes += [code, *self.broader.get(code, ())]
        return tuple(dict.fromkeys(codes))

    def with_money_need(self, needs: Sequence[str]) -> tuple[str, ...]:
        """`needs` plus the generic money codes, unless a kind of financing is already there."""
        if self.financing_codes & set(needs):
            return tuple(needs)
        return tuple(dict.fromkeys([*needs, *self.money_codes]))


@cache
def default_lexicon() -> Lexicon:
    """The shipped lexicon, read once per process."""
    return Lexicon.load()
