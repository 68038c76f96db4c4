"""Which new passwords are refused, after NIST SP 800-63B: common, guessable or personal ones.

Length is the form's rule (MIN_PASSWORD_LENGTH); here zxcvbn estimates how guessable the
password is against lists of leaked passwords, words, names, keyboard patterns, dates and
repeats, and the person's own name and e-mail address count as known words. No rule on
character classes: NIST advises against them.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable

from zxcvbn import zxcvbn

from passerelle.i18n import N_

# zxcvbn's score, 0 to 4: 3 resists an offline attack on a slow hash such as Argon2.
MIN_SCORE = 3
# zxcvbn refuses longer input (its matching grows fast with length); the first 72
# characters of a long password tell whether it is made of guessable parts.
CHECKED_LENGTH = 72
# Words everyone knows the person here uses: the site's name.
CONTEXT_WORDS = ("passerelle",)
# A personal word (from a name or address) needs this many letters to count.
MIN_WORD = 3

PERSONAL = N_(
    "This password is built from your name, your e-mail address or the site's name, which "
    "others know. Choose one that says nothing about you."
)
COMMON = N_(
    "This password is among the most common ones, the first that attackers try. "
    "Choose another: three or four unrelated words make a good one."
)
PATTERN = N_(
    "Repeats, sequences and keyboard rows like “aaaa”, “1234” or “azerty” are easy to "
    "guess. Choose another: three or four unrelated words make a good one."
)
GUESSABLE = N_(
    "This password is too easy to guess. Add another word or two: uncommon ones are better."
)

# zxcvbn keeps the person's words in a module-level dictionary while it estimates: one
# estimate at a time, or parallel requests would mix up each other's words.
_estimating = threading.Lock()


def personal_words(*texts: str) -> list[str]:
    """The words of names and e-mail addresses that a password should not be built from."""
    words = {*CONTEXT_WORDS}
    for text in texts:
        words.update(w for w in re.split(r"[\W_]+", text.lower()) if len(w) >= MIN_WORD)
    return sorted(words)


def _mostly_personal(password: str, words: Iterable[str]) -> bool:
    """Whether personal words cover at least half of the password's letters and digits."""
    text = password.lower()
    covered = [False] * len(text)
    for word in words:
        for found in re.finditer(re.escape(word), text):
            covered[found.start() : found.end()] = [True] * len(word)
    countable = sum(char.isalnum() for char in text)
    return countable > 0 and 2 * sum(covered) >= countable


def weakness(password: str, personal: Iterable[str] = ()) -> str | None:
    """Why `password` is refused (an English message marked for translation), or None.

    `personal` are the words of the person's name and e-mail (see `personal_words`).
    """
    words = list(personal) or list(CONTEXT_WORDS)
    if _mostly_personal(password, words):
        return PERSONAL
    with _estimating:
        estimate = zxcvbn(password[:CHECKED_LENGTH], user_inputs=words)
    if estimate["score"] >= MIN_SCORE:
        return None
    matches = estimate["sequence"]
    dictionaries = {match.get("dictionary_name") for match in matches}
    if "user_inputs" in dictionaries:
        return PERSONAL
    if "passwords" in dictionaries:
        return COMMON
    if {match["pattern"] for match in matches} & {"repeat", "sequence", "spatial"}:
        return PATTERN
    return GUESSABLE
