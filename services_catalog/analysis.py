"""How offer texts and search words are cut into index terms, the same for every database.

Words are folded (lowercase, no accents) and each is indexed under its French and its
English Snowball stem (snowballstemmer), since an offer's language is not known word by
word: "prêts", "prets" and "prêt" meet, as do "incubateurs" and "incubator". Doing this
in Python, not in the database's text configurations, gives SQLite and PostgreSQL the
same terms for the same text.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

import snowballstemmer

from matching.text import STOP_WORDS

_WORD = re.compile(r"[a-z0-9]+")
# Elided articles and pronouns ("d'honneur", "l'agriculture") leave one letter behind.
_SHORTEST_WORD = 2


def fold_words(value: str) -> list[str]:
    """Lowercase accent-free words of a text."""
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    return _WORD.findall("".join(ch for ch in decomposed if not unicodedata.combining(ch)))


def is_content_word(word: str) -> bool:
    """Whether a folded word says something (not "de", "the", "l")."""
    return len(word) >= _SHORTEST_WORD and word not in STOP_WORDS


@cache
def _stemmers() -> tuple[snowballstemmer.stemmer, ...]:
    return snowballstemmer.stemmer("french"), snowballstemmer.stemmer("english")


@lru_cache(maxsize=65_536)  # catalogues and queries reuse the same few thousand words
def stems(word: str) -> tuple[str, ...]:
    """The French and English stems of a folded word (one when they agree)."""
    if word.isdigit():  # every stemmer leaves numbers as they are; skip the work
        return (word,)
    return tuple(dict.fromkeys(stemmer.stemWord(word) for stemmer in _stemmers()))


def index_terms(value: str) -> list[str]:
    """The terms a text is indexed under: the stems of its content words."""
    return [stem for word in fold_words(value) if is_content_word(word) for stem in stems(word)]
