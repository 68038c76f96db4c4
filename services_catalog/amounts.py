"""Amounts written the way people write them ("30 000 €", "30k", "25 000 000 FCFA"), in euros.

Separators: spaces (no-break ones too) and apostrophes only ever group thousands. A final
"." or "," that appears once is the decimal mark when another separator comes before it
("30.000,50", "1,500.25", "30 000,50"). Alone, it groups thousands when exactly three
digits follow it and one to three (not all zero) precede it: "1,500" and "1.500" are 1500,
while "1,5", "1.50", "0,500" and "12345,500" are decimals. Any other "." or "," groups.
"""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pycountry

from services_catalog.errors import N_, InvalidValueError, Message

# The CFA francs of West (XOF) and Central (XAF) Africa are pegged to the euro. "FCFA"
# says CFA franc without saying which; the two share the parity, so the euros are exact.
CFA_PARITY = Decimal("655.957")
_FIXED_PARITIES = {"XOF": CFA_PARITY, "XAF": CFA_PARITY, "FCFA": CFA_PARITY}

# One fixing for every floating currency, so the rates agree with one another: the
# Banque centrale de Tunisie interbank average rates of 16 June 2025 (dinars per unit,
# as published by the BCT and reported by Tunisie Numérique). Euro rates are derived as
# dinars per euro / dinars per unit. Refresh all of them together, with the date.
RATES_AS_OF = date(2025, 6, 16)
_DINARS_PER_UNIT = {
    "EUR": Decimal("3.3868"),
    "USD": Decimal("2.9143"),
    "GBP": Decimal("4.0086"),
    "CHF": Decimal("3.63824"),
    "CAD": Decimal("2.1756"),
    "MAD": Decimal("0.32370"),
    "DZD": Decimal("0.02267"),
}
EURO_RATES: dict[str, Decimal] = {"TND": _DINARS_PER_UNIT["EUR"]} | {
    code: (_DINARS_PER_UNIT["EUR"] / dinars).quantize(Decimal("0.0001"))
    for code, dinars in _DINARS_PER_UNIT.items()
    if code != "EUR"
}
"""Units of each floating currency worth one euro on RATES_AS_OF."""

MAX_EUR = 10**12

FIXED_PARITY_NOTE = N_(
    "%(original)s %(currency)s converted at %(rate)s %(currency)s = 1 EUR (fixed parity)"
)
RATE_NOTE = N_(
    "%(original)s %(currency)s converted at %(rate)s %(currency)s = 1 EUR (rate of %(date)s)"
)

_MULTIPLIER_WORDS = {
    10**3: ["k", "mille", "thousand"],
    10**6: ["m", "mn", "mio", "million", "millions"],
    # "billion" read the English way (10^9): French writes "milliard" for that.
    10**9: ["md", "mds", "mrd", "mrds", "bn", "milliard", "milliards", "billion", "billions"],
}
_CURRENCY_WORDS = {
    "EUR": ["eur", "euro", "euros", "€"],
    "FCFA": ["fcfa", "cfa", "f cfa", "franc cfa", "francs cfa", "cfa franc", "cfa francs"],
    "XOF": ["xof"],
    "XAF": ["xaf"],
    "MAD": ["mad", "dh", "dhs", "dirham", "dirhams", "dirham marocain", "dirhams marocains"],
    # A bare "dinar" is taken as Tunisian; Algerian dinars must say so.
    "TND": ["tnd", "dt", "dinar", "dinars", "dinar tunisien", "dinars tunisiens"],
    "DZD": ["dzd", "da", "dinar algerien", "dinars algeriens"],
    # A bare "$" is taken as the US dollar.
    "USD": [
        "usd",
        "$",
        "us $",
        "dollar",
        "dollars",
        "us dollar",
        "us dollars",
        "dollars us",
        "dollar americain",
        "dollars americains",
    ],
    "GBP": [
        "gbp",
        "£",
        "pound",
        "pounds",
        "pound sterling",
        "pounds sterling",
        "sterling",
        "livre sterling",
        "livres sterling",
    ],
    "CHF": ["chf", "franc suisse", "francs suisses", "swiss franc", "swiss francs"],
    "CAD": [
        "cad",
        "c $",
        "ca $",
        "dollar canadien",
        "dollars canadiens",
        "canadian dollar",
        "canadian dollars",
    ],
}
_CURRENCIES = {
    tuple(words.split()): code for code, spellings in _CURRENCY_WORDS.items() for words in spellings
}
_MULTIPLIERS = {
    tuple(words.split()): factor
    for factor, spellings in _MULTIPLIER_WORDS.items()
    for words in spellings
}
_FILLERS = {("d",), ("de",), ("of",)}  # "2 millions d'euros"
_LONGEST_PHRASE = max(len(phrase) for phrase in (*_CURRENCIES, *_MULTIPLIERS))

_APOSTROPHES = "'\u2019"
_MINUS_SIGNS = "-\u2212"
_NUMBER = re.compile(rf"[0-9]+(?:[ .,{_APOSTROPHES}][0-9]+)*")
_TOKEN = re.compile(r"[^\W\d_]+|[$€£]")


class InvalidAmountError(InvalidValueError):
    """A value that cannot be read as an amount; carries the value as given."""


@dataclass(frozen=True, slots=True)
class Amount:
    """An amount in whole euros, with what was written and the rate used to convert it."""

    eur: int
    currency: str
    original: Decimal
    rate: Decimal  # units of `currency` worth one euro

    def as_written(self) -> dict | None:
        """What was written, for an offer to show beside the euros; None for euros."""
        if self.currency == "EUR":
            return None
        return {"quantity": str(self.original), "currency": self.currency, "eur": self.eur}

    def conversion_note(self) -> Message | None:
        """The sentence naming the conversion, for import reports; None for euros."""
        if self.currency == "EUR":
            return None
        values = {"original": self.original, "currency": self.currency, "rate": self.rate}
        if self.currency in _FIXED_PARITIES:
            return Message(FIXED_PARITY_NOTE, values)
        return Message(RATE_NOTE, values | {"date": RATES_AS_OF})


def parse_amount(value: int | float | Decimal | str) -> Amount:
    """Read an amount in any accepted notation and currency, converted to whole euros."""
    if isinstance(value, str):
        quantity, currency = _read_text(value)
    elif isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        quantity, currency = _read_number_value(value), "EUR"
    else:
        raise _invalid(value, N_("not an amount"))
    rate = _rate(currency)
    exact = quantity / rate
    if exact > MAX_EUR:
        raise _invalid(value, N_("more than 10^12 euros"))
    eur = int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    if quantity == quantity.to_integral_value():
        quantity = quantity.to_integral_value()  # "1.5m" is 1500000, not 1500000.0
    return Amount(eur=eur, currency=currency, original=quantity, rate=rate)


def _invalid(value: object, reason: str, **params: object) -> InvalidAmountError:
    return InvalidAmountError(reason, value, **params)


def _rate(currency: str) -> Decimal:
    if currency == "EUR":
        return Decimal(1)
    return _FIXED_PARITIES.get(currency) or EURO_RATES[currency]


def _read_number_value(value: int | float | Decimal) -> Decimal:
    # str() keeps a float as typed (0.1, not its binary expansion).
    number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    if not number.is_finite():
        raise _invalid(value, N_("not a finite number"))
    if number < 0:
        raise _invalid(value, N_("negative amounts are refused"))
    return number


def _read_text(value: str) -> tuple[Decimal, str]:
    """The quantity (multiplier applied) and currency code written in `value`."""
    text = unicodedata.normalize("NFKC", value).strip()  # no-break spaces become spaces
    if not text:
        raise _invalid(value, N_("empty amount"))
    numbers = list(_NUMBER.finditer(text))
    if not numbers:
        raise _invalid(value, N_("no number in this amount"))
    if len(numbers) > 1:
        raise _invalid(value, N_("more than one number in this amount"))
    number = numbers[0]
    before, after = text[: number.start()], text[number.end() :]
    if any(sign in before for sign in _MINUS_SIGNS):
        raise _invalid(value, N_("negative amounts are refused"))
    if before.endswith((".", ",")):
        raise _invalid(value, N_("unexpected “%(text)s” before the number"), text=before[-1])
    multiplier, currency = _read_words(f"{before} {after}", value)
    return _read_digits(number.group(), value) * multiplier, currency


def _read_digits(digits: str, value: str) -> Decimal:
    """The number written with grouping separators and an optional decimal mark."""
    separators = [c for c in digits if not c.isdigit()]
    groups = re.split(f"[ .,{_APOSTROPHES}]", digits)
    fraction = ""
    if separators and separators[-1] in ".,":
        mark = separators[-1]
        lone = separators.count(mark) == 1
        thousands = len(groups[-1]) == 3 and len(groups[0]) <= 3 and groups[0].strip("0") != ""
        if lone and (len(separators) > 1 or not thousands):
            fraction = groups.pop()
            separators.pop()
    if len(set(separators)) > 1:
        raise _invalid(value, N_("mixed thousands separators"))
    if separators and (len(groups[0]) > 3 or any(len(group) != 3 for group in groups[1:])):
        raise _invalid(value, N_("digits not grouped by three"))
    whole = "".join(groups)
    return Decimal(f"{whole}.{fraction}") if fraction else Decimal(whole)


def _read_words(words: str, value: str) -> tuple[Decimal, str]:
    """The multiplier and currency named around the number (euros and 1 if none)."""
    leftover = _TOKEN.sub("", words)
    if leftover.strip(" " + _APOSTROPHES):
        raise _invalid(value, N_("unexpected “%(text)s” in this amount"), text=leftover.strip())
    tokens = _TOKEN.findall(words)
    keys = [_fold(token) for token in tokens]
    multipliers, currencies = set(), set()
    position = 0
    while position < len(keys):
        for length in range(min(_LONGEST_PHRASE, len(keys) - position), 0, -1):
            phrase = tuple(keys[position : position + length])
            if phrase in _CURRENCIES:
                currencies.add(_CURRENCIES[phrase])
            elif phrase in _MULTIPLIERS:
                multipliers.add(_MULTIPLIERS[phrase])
            elif phrase not in _FILLERS:
                continue
            position += length
            break
        else:
            raise _unknown_word(tokens[position], value)
    if len(currencies) > 1:
        raise _invalid(
            value,
            N_("several currencies: %(currencies)s"),
            currencies=", ".join(sorted(currencies)),
        )
    if len(multipliers) > 1:
        raise _invalid(value, N_("several multipliers"))
    multiplier = multipliers.pop() if multipliers else 1
    return Decimal(multiplier), currencies.pop() if currencies else "EUR"


def _unknown_word(token: str, value: str) -> InvalidAmountError:
    if len(token) == 3 and token.isupper():  # written like an ISO 4217 code
        if pycountry.currencies.get(alpha_3=token):
            supported = ", ".join(["EUR", *_FIXED_PARITIES, *EURO_RATES])
            message = N_("unsupported currency %(currency)s (we convert %(supported)s)")
            return _invalid(value, message, currency=token, supported=supported)
        return _invalid(value, N_("unknown currency %(currency)s"), currency=token)
    return _invalid(value, N_("unrecognised word “%(text)s”"), text=token)


def _fold(token: str) -> str:
    decomposed = unicodedata.normalize("NFKD", token.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))
