"""How offer texts and search words are cut into index terms, the same for every database.

Words are folded (lowercase, no accents) and each is indexed under its French and its
English Snowball stem (snowballstemmer), since an offer's language is not known word by
word: "prêts", "prets" and "prêt" meet, as do "incubateurs" and "incubator". Doing this
in Python, not in the database's text configurations, gives SQLite and PostgreSQL the
same terms for the same text.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache

import snowballstemmer

from matching.words import STOP_WORDS

_WORD = re.compile(r"[a-z0-9]+")
# Elided articles and pronouns ("d'honneur", "l'agriculture") leave one letter behind.
_SHORTEST_WORD = 2


class _WithoutMarks(dict):
    """A `str.translate` table that drops combining marks (accents once decomposed) and
    keeps every other character, each looked up once: a test per character of every text
    took most of the time an import spent indexing."""

    def __missing__(self, code: int) -> int | None:
        kept = None if unicodedata.combining(chr(code)) else code
        self[code] = kept
        return kept


_WITHOUT_MARKS = _WithoutMarks()


def fold_words(value: str) -> list[str]:
    """Lowercase accent-free words of a text."""
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    return _WORD.findall(decomposed.translate(_WITHOUT_MARKS))


def is_content_word(word: str) -> bool:
    """Whether a folded word says something (not "de", "the", "l")."""
    return len(word) >= _SHORTEST_WORD and word not in STOP_WORDS


_per_thread = threading.local()


def _stemmers() -> tuple[snowballstemmer.stemmer, ...]:
    """This thread's stemmers: a Snowball stemmer keeps the word it works on in itself, so
    two request threads sharing one garbled each other's words (or failed)."""
    try:
        return _per_thread.stemmers
    except AttributeError:
        _per_thread.stemmers = snowballstemmer.stemmer("french"), snowballstemmer.stemmer("english")
        return _per_thread.stemmers


@lru_cache(maxsize=65_536)  # catalogues and queries reuse the same few thousand words
def stems(word: str) -> tuple[str, ...]:
    """The French and English stems of a folded word (one when they agree)."""
    if word.isdigit():  # every stemmer leaves numbers as they are; skip the work
        return (word,)
    return tuple(dict.fromkeys(stemmer.stemWord(word) for stemmer in _stemmers()))


def index_terms(value: str) -> list[str]:
    """The terms a text is indexed under: the stems of its content words."""
    return word_terms(fold_words(value))


def word_terms(words: list[str]) -> list[str]:
    """The stems of the content words among folded words."""
    return [stem for word in words if is_content_word(word) for stem in stems(word)]
