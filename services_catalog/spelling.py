"""'Did you mean': search words that find nothing, set beside the catalogue's own words.

The vocabulary is every word of the published offers' titles, with the thesaurus's words
and the vocabularies' labels. It follows the catalogue version as the browse index does:
after a change it reads again only the offers the change log names, and rebuilds from
every published offer when the log cannot tell; it is brought up to date only when a
search has found nothing. A word is replaced by the closest vocabulary word when they are
close enough (rapidfuzz's normalised similarity), as "volaile" by "volaille".
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from functools import cache, cached_property

from rapidfuzz import fuzz, process
from sqlalchemy import select
from sqlalchemy.orm import Session

from services_catalog.analysis import fold_words, is_content_word
from services_catalog.following import Followed
from services_catalog.models import Offer
from services_catalog.service import chunks
from services_catalog.thesaurus import known_phrases

SIMILARITY = 80  # 0-100: "volaile"/"volaille" and "incubatuer"/"incubateur" pass
SHORTEST_CORRECTED = 4  # letters: shorter words have too many close neighbours
_TOKEN = re.compile(r"\w+")


def _folded(token: str) -> str:
    return "".join(fold_words(token))


def _spellings(texts: Iterable[str]) -> dict[str, str]:
    """Folded word → the word as first written (lowercase), for the words of `texts`."""
    found: dict[str, str] = {}
    for text in texts:
        for token in _TOKEN.findall(text.lower()):
            folded = _folded(token)
            if len(folded) >= SHORTEST_CORRECTED and folded.isalpha():
                found.setdefault(folded, token)
    return found


@cache
def _known() -> dict[str, str]:
    """The thesaurus's and the vocabularies' words, folded → as written."""
    return _spellings(known_phrases())


@dataclass(frozen=True)
class Vocabulary:
    """The words searches are respelt with, at one catalogue version."""

    version: int  # the catalogue version it shows
    built_at: int  # the version it was last read whole at (patched since)
    # Per published offer, its title's words as written (one per folded word); interned,
    # as most words recur in many titles.
    titles: Mapping[int, tuple[str, ...]]
    # Per folded title word, how many published offers write it each way: a word leaves
    # the vocabulary when no offer writes it any more.
    uses: Mapping[str, Mapping[str, int]]

    def __contains__(self, folded: str) -> bool:
        return folded in _known() or folded in self.uses

    @cached_property
    def words(self) -> list[str]:
        """Every folded word, the thesaurus's first."""
        known = _known()
        return [*known, *(word for word in self.uses if word not in known)]

    def spelling(self, folded: str) -> str:
        """A folded word as the thesaurus writes it, else as most offers do (the first
        written of equals)."""
        if folded in _known():
            return _known()[folded]
        ways = self.uses[folded]
        return max(ways, key=ways.__getitem__)

    def patched(
        self, version: int, replaced: Iterable[int], titles: Mapping[int, tuple[str, ...]]
    ) -> Vocabulary:
        """A new vocabulary at `version`: this one with the offers `replaced` taking the
        words of `titles` instead (none for an offer not there, unpublished or deleted).

        This one is left as it is, for the requests still reading it."""
        uses = dict(self.uses)
        touched: dict[str, dict[str, int]] = {}  # copies of the counts changed

        def count(word: str, step: int) -> None:
            folded = _folded(word)
            if folded not in touched:
                touched[folded] = dict(uses.get(folded, {}))
            ways = touched[folded]
            ways[word] = ways.get(word, 0) + step

        kept = dict(self.titles)
        for offer_id in replaced:
            for word in kept.pop(offer_id, ()):
                count(word, -1)
        for offer_id, words in titles.items():
            kept[offer_id] = words
            for word in words:
                count(word, 1)
        for folded, ways in touched.items():
            ways = {word: n for word, n in ways.items() if n}
            if ways:
                uses[folded] = ways
            else:
                uses.pop(folded, None)
        return replace(self, version=version, titles=kept, uses=uses)


def _published_titles(
    session: Session, offer_ids: frozenset[int] | None
) -> dict[int, tuple[str, ...]]:
    """The title words of the published offers among `offer_ids` (all when None)."""
    query = select(Offer.id, Offer.title).where(Offer.status == "published").order_by(Offer.id)
    if offer_ids is None:
        rows = session.execute(query).all()
    else:
        rows = []
        for chunk in chunks(sorted(offer_ids)):
            rows += session.execute(query.where(Offer.id.in_(chunk))).all()
    return {
        offer_id: tuple(sys.intern(word) for word in _spellings([title]).values())
        for offer_id, title in rows
    }


def build(session: Session, version: int) -> Vocabulary:
    """The vocabulary read from every published offer, as at `version`."""
    empty = Vocabulary(version=version, built_at=version, titles={}, uses={})
    return empty.patched(version, (), _published_titles(session, None))


def _patch(
    session: Session, vocabulary: Vocabulary, version: int, changed: frozenset[int]
) -> Vocabulary:
    """`vocabulary` at `version`, the titles of the offers `changed` read again."""
    return vocabulary.patched(version, changed, _published_titles(session, changed))


_vocabularies: Followed[Vocabulary] = Followed("spelling vocabulary", build, _patch)


def vocabulary(session: Session) -> Vocabulary:
    """The vocabulary of this session's database, at the catalogue's version."""
    return _vocabularies.current(session)


def corrected(session: Session, q: str) -> str | None:
    """`q` with its unknown words replaced by the closest known ones; None if none is."""
    known = vocabulary(session)
    changed, out = False, []
    for token in _TOKEN.findall(q):
        folded = _folded(token)
        if len(folded) >= SHORTEST_CORRECTED and is_content_word(folded) and folded not in known:
            best = process.extractOne(
                folded, known.words, scorer=fuzz.ratio, score_cutoff=SIMILARITY
            )
            if best is not None:
                token, changed = known.spelling(best[0]), True
        out.append(token)
    return " ".join(out) if changed else None
