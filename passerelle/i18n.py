"""Languages of the platform: gettext catalogues, choosing a locale, formatting for it.

The catalogues are the `.po` files under `passerelle/locale/`; they are read and compiled
in memory once per process, so a fresh install needs no build step (`pybabel compile`
still works for images that want `.mo` files).
"""

from __future__ import annotations

import io
import os
import re
import unicodedata
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from functools import cache, lru_cache
from pathlib import Path

import babel
from babel import Locale
from babel.dates import format_date
from babel.lists import format_list
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency, format_decimal
from babel.support import NullTranslations, Translations

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "messages"
LOCALES = ("fr", "en")
LANGUAGE_NAMES = {"fr": "Français", "en": "English"}
# Conventions used to write dates and amounts: the platform's readers live in Europe,
# so English dates read "15 January 2027" rather than the American order.
FORMAT_LOCALES = {"fr": "fr_FR", "en": "en_GB"}


@cache
def get_translations(locale: str) -> NullTranslations:
    """The translations of one locale, compiled from its `.po` catalogue on first use."""
    path = LOCALE_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po"
    if locale not in LOCALES or not path.exists():
        return NullTranslations()
    with path.open("rb") as po_file:
        catalog = read_po(po_file, locale=locale, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(fp=compiled, domain=DOMAIN)


def parse_accept_language(header: str) -> list[str]:
    """Language tags of an Accept-Language header, most wanted first (q=0 dropped).

    Babel chooses among tags but does not read the header's weights, hence this reading.
    """
    weighted = []
    for position, part in enumerate(header.split(",")):
        tag, *params = (piece.strip() for piece in part.split(";"))
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if tag and quality > 0:
            weighted.append((-quality, position, tag.lower()))
    return [tag for _, _, tag in sorted(weighted)]


def negotiate_locale(cookie: str | None, accept_language: str | None, default: str) -> str:
    """The page's locale: the `lang` cookie, else the browser's wishes as Babel matches
    them to ours (`fr-CH` gives `fr`), else the default."""
    if cookie in LOCALES:
        return cookie
    wishes = parse_accept_language(accept_language or "")
    return babel.negotiate_locale(wishes, LOCALES, sep="-") or default


def environment_language(environ: Mapping[str, str] = os.environ) -> str:
    """The language of the command line's locale (`LC_ALL`, `LC_MESSAGES`, then `LANG`,
    as gettext reads them), or English, the contract's default."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if environ.get(name):
            language = environ[name].split("_")[0].split(".")[0].lower()
            return language if language in LOCALES else "en"
    return "en"


def _format_locale(locale: str) -> str:
    return FORMAT_LOCALES.get(locale, FORMAT_LOCALES["en"])


@cache
def _whole_currency_pattern(locale: str) -> str:
    """The locale's currency pattern without decimals: amounts are whole euros."""
    pattern = Locale.parse(_format_locale(locale)).currency_formats["standard"].pattern
    return pattern.split(";")[0].replace(".00", "")


# Babel formats a number in about 0.1 ms; a browse page shows hundreds of counts and
# amounts, mostly the same few values, so formatted numbers are remembered.
@lru_cache(maxsize=16_384)
def format_eur(amount: int, locale: str) -> str:
    """An amount in euros the way the locale writes it: `30 000 €`, `€30,000`."""
    return format_currency(
        amount,
        "EUR",
        format=_whole_currency_pattern(locale),
        locale=_format_locale(locale),
        currency_digits=False,
    )


@lru_cache(maxsize=16_384)
def format_number(number: int | Decimal, locale: str) -> str:
    return format_decimal(number, locale=_format_locale(locale))


def format_day(day: date, locale: str) -> str:
    """A date in words: `15 janvier 2027`, `15 January 2027`."""
    return format_date(day, format="long", locale=_format_locale(locale))


def join_or(items: list[str], locale: str) -> str:
    """`Senegal, Mali or Niger` in the locale's words."""
    return format_list(items, style="or", locale=_format_locale(locale)) if items else ""


def join_and(items: list[str], locale: str) -> str:
    return format_list(items, style="standard", locale=_format_locale(locale)) if items else ""


def N_(message: str) -> str:
    """Mark a string for translation where it is defined; it is translated where shown."""
    return message


# Words French shortens with an apostrophe before a vowel sound (“d'Initiative”), when a
# message puts one right before a value: the value decides, so the message cannot.
_ELIDABLE_BEFORE_VALUE = re.compile(r"\b(de|le|la|que|jusque|lorsque|puisque) %\((\w+)\)s", re.I)
# Names that begin with an aspirated h, which French does not elide before (“de Hongrie”);
# any other h is taken as mute (“d'Hélène”, “d'Haïti”).
_ASPIRATED_H = frozenset({
    "hall", "hambourg", "hameau", "handicap", "hangar", "hasard", "haut", "haute", "hautes",
    "hauts", "havre", "heros", "hockey", "holding", "hollande", "honduras", "hongrie", "hub",
    "huit",
})  # fmt: skip


def starts_with_vowel_sound(text: str) -> bool:
    """Whether French elides before `text`: a vowel (accented or not), a mute h, or a y
    sounded as a vowel (“Yves”, not “Yaoundé”)."""
    word = re.match(r"[^\W\d_]+", text)
    if word is None:
        return False
    decomposed = unicodedata.normalize("NFKD", word.group().casefold())
    letters = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    first, following = letters[0], letters[1:2]
    if first == "h":
        return letters not in _ASPIRATED_H
    if first == "y":
        return following not in ("", "a", "e", "i", "o", "u")
    return first in "aeiouœæ"


def elide(message: str, values: Mapping[str, object], locale: str) -> str:
    """The (translated) message with French elision before the values it is to be filled
    with: `Offres de %(name)s`, for the name “Initiative”, becomes `Offres d'%(name)s`."""
    if locale != "fr":
        return message

    def shorten(match: re.Match) -> str:
        word, name = match.groups()
        if not starts_with_vowel_sound(str(values.get(name, ""))):
            return match.group()
        return f"{word[:-1]}'%({name})s"

    return _ELIDABLE_BEFORE_VALUE.sub(shorten, message)
