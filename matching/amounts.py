"""The amount sought, read from free text: "besoin de 80 000 euros", "20k€", "5 millions".

An amount is a number followed by a multiplier (k, million…) or a currency (€, FCFA,
dirhams…), or both. Of the amounts in a text, the one a need word announces ("besoin",
"il me manque", "looking for") is the amount sought; otherwise the first one that no
other word claims ("le projet coûte", "j'ai économisé"). Currencies convert with the
rates the caller gives (units per euro); a currency without a rate is not read.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from matching.lexicon import Lexicon, PhraseTable, fold, tokens

EUR = "EUR"
# How many words before an amount may say what it is, and the characters read for them.
CUE_WINDOW = 5
CUE_CHARS = 80
# Characters after a number where its multiplier and currency are looked for.
UNIT_CHARS = 40
# "Il me manque 5 millions" in Dakar means CFA francs: millions named without a currency
# are read in the project country's own currency when it is not the euro.
LOCAL_CURRENCY_FROM = 1_000_000

_SIGNS_BEFORE = {"eur": EUR, "$": "USD", "gbp": "GBP"}
# Digits grouped by spaces, dots, commas or apostrophes, with an optional decimal part.
_NUMBER = re.compile(r"\d{1,3}(?:[ \u00a0\u202f.,'\u2019]\d{3})+(?![\d])|\d+(?:[.,]\d+)?")


@dataclass(frozen=True, slots=True)
class AmountRead:
    """An amount found in a text: as written (quantity, currency) and in whole euros."""

    eur: int
    quantity: Decimal
    currency: str


def _number(digits: str) -> Decimal | None:
    groups = re.split(r"[ \u00a0\u202f.,'\u2019]", digits)
    if len(groups) > 2 or (len(groups) == 2 and len(groups[1]) == 3):
        whole = "".join(groups)  # thousands separators
    else:
        whole = ".".join(groups)  # one decimal mark: "1,5 million"
    try:
        return Decimal(whole)
    except InvalidOperation:
        return None


class AmountReader:
    """Finds amounts in free text and picks the one sought, converted to euros."""

    def __init__(self, lexicon: Lexicon, rates: Mapping[str, float | Decimal]):
        words = lexicon.amounts
        self._units = PhraseTable(
            {
                **{f"x{factor}": spellings for factor, spellings in words["multipliers"].items()},
                **{f"c{code}": spellings for code, spellings in words["currencies"].items()},
            }
        )
        self._need_cues = frozenset(words["need_cues"])
        self._other_cues = frozenset(words["other_cues"])
        self._local = words["local_currency"]
        self._rates = {EUR: Decimal(1)} | {code: Decimal(str(r)) for code, r in rates.items()}

    def _units_after(self, text: str) -> tuple[int, str | None]:
        # The multiplier and currency directly after a number: "k€", " millions de FCFA".
        words = tokens(text)[:4]
        multiplier, currency, position = 1, None, 0
        for match in self._units.find(words):
            if match.start != position and words[position : match.start] not in (["de"], ["d"]):
                break
            if match.key.startswith("x") and multiplier == 1 and currency is None:
                multiplier = int(match.key[1:])
            elif match.key.startswith("c") and currency is None:
                currency = match.key[1:]
            else:
                break
            position = match.stop
        return multiplier, currency

    def _cue(self, before: str) -> str | None:
        # The nearest telling word before the amount decides what the amount is.
        for word in reversed(tokens(before)[-CUE_WINDOW:]):
            if word in self._need_cues:
                return "need"
            if word in self._other_cues:
                return "other"
        return None

    def amounts(self, text: str, target_country: str = "") -> list[tuple[AmountRead, str | None]]:
        """Every amount in `text` with its cue ("need", "other" or None), in order."""
        found = []
        plain = fold(text)
        for match in _NUMBER.finditer(plain):
            quantity = _number(match.group())
            if quantity is None:
                continue
            before = plain[max(0, match.start() - CUE_CHARS) : match.start()]
            multiplier, currency = self._units_after(plain[match.end() : match.end() + UNIT_CHARS])
            sign = tokens(before[-6:])
            if currency is None and sign and sign[-1] in _SIGNS_BEFORE:
                currency = _SIGNS_BEFORE[sign[-1]]  # "€5000", "$ 2,000"
            if currency is None and multiplier == 1:
                continue  # a bare number: a count, a year, a size
            quantity *= multiplier
            if currency is None:
                local = self._local.get(target_country, EUR)
                currency = local if quantity >= LOCAL_CURRENCY_FROM else EUR
            rate = self._rates.get(currency)
            if rate is None:
                continue
            amount = AmountRead(round(quantity / rate), quantity, currency)
            found.append((amount, self._cue(before)))
        return found

    def amount_sought(self, text: str, target_country: str = "") -> AmountRead | None:
        """The amount `text` asks for, or None when it names none."""
        found = self.amounts(text, target_country)
        for amount, cue in found:
            if cue == "need":
                return amount
        return next((amount for amount, cue in found if cue is None), None)
