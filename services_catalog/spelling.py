"""'Did you mean': search words that find nothing, set beside the catalogue's own words.

The vocabulary is every word of the published offers' titles, with the thesaurus's words
and the vocabularies' labels; it is read once per catalogue version, and only when a
search has found nothing. A word is replaced by the closest vocabulary word when they are
close enough (rapidfuzz's normalised similarity), as "volaile" by "volaille".
"""

from __future__ import annotations

import re
import threading
import weakref
from collections.abc import Iterable

from rapidfuzz import fuzz, process
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from services_catalog.analysis import fold_words, is_content_word
from services_catalog.models import Offer
from services_catalog.service import catalogue_version
from services_catalog.thesaurus import known_phrases

SIMILARITY = 80  # 0-100: "volaile"/"volaille" and "incubatuer"/"incubateur" pass
SHORTEST_CORRECTED = 4  # letters: shorter words have too many close neighbours
_TOKEN = re.compile(r"\w+")

_vocabularies: weakref.WeakKeyDictionary[Engine, tuple[int, dict[str, str]]] = (
    weakref.WeakKeyDictionary()
)
_lock = threading.Lock()


def _spellings(texts: Iterable[str]) -> dict[str, str]:
    """Folded word → the word as first written (lowercase), for the words of `texts`."""
    found: dict[str, str] = {}
    for text in texts:
        for token in _TOKEN.findall(text.lower()):
            folded = "".join(fold_words(token))
            if len(folded) >= SHORTEST_CORRECTED and folded.isalpha():
                found.setdefault(folded, token)
    return found


def _vocabulary(session: Session) -> dict[str, str]:
    bind = session.get_bind()
    engine = bind if isinstance(bind, Engine) else bind.engine
    version = catalogue_version(session)
    with _lock:
        kept = _vocabularies.get(engine)
    if kept is not None and kept[0] == version:
        return kept[1]
    titles = session.scalars(select(Offer.title).where(Offer.status == "published"))
    words = _spellings([*known_phrases(), *titles])
    with _lock:
        _vocabularies[engine] = (version, words)
    return words


def corrected(session: Session, q: str) -> str | None:
    """`q` with its unknown words replaced by the closest known ones; None if none is."""
    vocabulary = _vocabulary(session)
    changed, out = False, []
    for token in _TOKEN.findall(q):
        folded = "".join(fold_words(token))
        if (
            len(folded) >= SHORTEST_CORRECTED
            and is_content_word(folded)
            and folded not in vocabulary
        ):
            best = process.extractOne(
                folded, list(vocabulary), scorer=fuzz.ratio, score_cutoff=SIMILARITY
            )
            if best is not None:
                token, changed = vocabulary[best[0]], True
        out.append(token)
    return " ".join(out) if changed else None
