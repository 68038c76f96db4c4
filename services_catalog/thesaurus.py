"""The search thesaurus (`data/search_thesaurus.json`): synonyms and words read as filters.

Synonym groups join French and English words for the same thing; a search word finds
offers written with any word of its groups. A group may name needs of matching's needs
lexicon, whose one-word entries it then takes, so that those lists live in one place.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

from matching.lexicon import LEXICON_PATH
from services_catalog.analysis import fold_words, is_content_word, stems, word_terms
from services_catalog.taxonomy import VOCABULARIES

# Vocabularies whose labels, typed in a search, select the offers they describe.
LABELLED_FACETS = ("kind", "category", "sector")


@cache
def _data() -> dict:
    path = resources.files("services_catalog") / "data" / "search_thesaurus.json"
    return json.loads(path.read_text(encoding="utf-8"))


@cache
def _lexicon() -> dict:
    return json.loads(LEXICON_PATH.read_text(encoding="utf-8"))


def _group_words(group: dict) -> list[str]:
    """A group's own words and the one-word entries of the needs it names."""
    needs = _lexicon()["needs"]
    phrases = [*group.get("words", ())]
    phrases += [phrase for need in group.get("needs", ()) for phrase in needs[need]]
    return [words[0] for phrase in phrases if len(words := fold_words(phrase)) == 1]


@cache
def _synonyms() -> dict[str, frozenset[str]]:
    """Stem → every stem of every group holding a word with that stem."""
    found: dict[str, set[str]] = {}
    for group in _data()["synonyms"]:
        group_stems = {stem for word in _group_words(group) for stem in stems(word)}
        for stem in group_stems:
            found.setdefault(stem, set()).update(group_stems)
    return {stem: frozenset(more) for stem, more in found.items()}


def known_phrases() -> list[str]:
    """Every word and phrase the thesaurus and the labelled vocabularies know, as written."""
    words = [word for group in _data()["synonyms"] for word in _group_words(group)]
    labels = [
        label
        for facet in LABELLED_FACETS
        for term in VOCABULARIES[facet].values()
        for label in (term.en, term.fr)
    ]
    phrases = [p for by_code in _data()["filters"].values() for ps in by_code.values() for p in ps]
    return [*words, *labels, *phrases]


def synonyms(word: str) -> frozenset[str]:
    """The stems of the words a folded search word stands for, its own included."""
    own = stems(word)
    return frozenset(own).union(*(_synonyms().get(stem, ()) for stem in own))


def phrase_keys(words: list[str]) -> set[tuple[str, ...]]:
    """The keys of a phrase: its content words' French stems, and their English stems."""
    return _keys([stems(word) for word in words if is_content_word(word)])


def _keys(content: list[tuple[str, ...]]) -> set[tuple[str, ...]]:
    """Phrase keys from the stems of a phrase's content words."""
    return {tuple(s[0] for s in content), tuple(s[-1] for s in content)}


@cache
def filter_phrases() -> dict[tuple[str, ...], tuple[str, tuple[str, ...]]]:
    """Phrase key → (facet, codes) for the phrases that a search reads as a filter.

    The labels of a few vocabularies count, a category also selecting the categories the
    needs lexicon says it covers ("Loan" → honour loans and microcredit too).
    """
    broader = _lexicon()["broader"]
    found: dict[tuple[str, ...], tuple[str, tuple[str, ...]]] = {}
    for facet in LABELLED_FACETS:
        for term in VOCABULARIES[facet].values():
            codes = (term.code, *(broader.get(term.code, ()) if facet == "category" else ()))
            for label in (term.en, term.fr):
                found.update(dict.fromkeys(phrase_keys(fold_words(label)), (facet, codes)))
    for facet, by_code in _data()["filters"].items():
        for code, phrases in by_code.items():
            for phrase in phrases:
                found.update(dict.fromkeys(phrase_keys(fold_words(phrase)), (facet, (code,))))
    return found


# Phrase groups are indexed under one made-up term each: a letter run no text holds.
PHRASE_TERM_PREFIX = "zph"


@cache
def _phrase_terms() -> dict[tuple[str, ...], str]:
    """Phrase key → the index term of its group ("plan d'affaires" → `zphbusinessplan`)."""
    found: dict[tuple[str, ...], str] = {}
    for group in _data()["phrases"]:
        term = PHRASE_TERM_PREFIX + "".join(fold_words(group["id"]))
        for phrase in group["phrases"]:
            found.update(dict.fromkeys(phrase_keys(fold_words(phrase)), term))
    return found


@cache
def _longest_phrase() -> int:
    return max(len(key) for key in _phrase_terms())


@cache
def _phrase_openings() -> frozenset[tuple[str, ...]]:
    """The first two stems of every phrase key: no phrase starts with two words whose
    keys do not begin with one of them."""
    return frozenset(key[:2] for key in _phrase_terms())


def phrases_in(words: list[str]) -> list[tuple[int, int, str]]:
    """The thesaurus phrases in a sequence of folded words, as (first, last position, term).

    Stop words may sit inside a phrase ("plan d'affaires"), so phrases are found on the
    content words; longest first, a word belongs to one phrase at most.
    """
    known, openings = _phrase_terms(), _phrase_openings()
    content = [i for i, word in enumerate(words) if is_content_word(word)]
    content_stems = [stems(words[i]) for i in content]
    found = []
    start = 0
    while start < len(content) - 1:
        first, second = content_stems[start], content_stems[start + 1]
        if (first[0], second[0]) not in openings and (first[-1], second[-1]) not in openings:
            start += 1  # most words: no phrase starts with them, whatever its length
            continue
        for length in range(min(_longest_phrase(), len(content) - start), 1, -1):
            keys = _keys(content_stems[start : start + length])
            term = next((known[key] for key in keys if key in known), None)
            if term is not None:
                found.append((content[start], content[start + length - 1], term))
                start += length
                break
        else:
            start += 1
    return found


def document_terms(value: str) -> list[str]:
    """The terms a text is indexed under: its words' stems, and its thesaurus phrases."""
    words = fold_words(value)
    return [*word_terms(words), *(term for _, _, term in phrases_in(words))]
