"""Countries as ISO 3166-1 alpha-2 codes: normalising what people type, naming them in en/fr.

A country is read from its codes, its ISO names in English and French (pycountry's own
catalogue) and their readings, and the curated variants of `data/country_aliases.csv`.
"""

import functools
import gettext
import re

import pycountry

from services_catalog.aliases import country_aliases, lookup_key, strip_accents
from services_catalog.errors import N_, InvalidValueError

# The 54 UN member states in Africa, by African Union region. Western Sahara, Réunion,
# Mayotte and Saint Helena are in pycountry's list as territories, not states.
# fmt: off
AFRICAN_COUNTRIES = frozenset({
    "DZ", "EG", "LY", "MA", "MR", "TN",  # North
    "BJ", "BF", "CV", "CI", "GM", "GH", "GN", "GW",  # West
    "LR", "ML", "NE", "NG", "SN", "SL", "TG",
    "BI", "CM", "CF", "TD", "CG", "CD", "GQ", "GA", "ST",  # Central
    "KM", "DJ", "ER", "ET", "KE", "MG", "MU", "RW", "SC", "SO", "SS", "SD", "TZ", "UG",  # East
    "AO", "BW", "SZ", "LS", "MW", "MZ", "NA", "ZA", "ZM", "ZW",  # Southern
})
# fmt: on

# Display names where pycountry's own read badly in a list: inverted forms ("Palestine,
# State of") and a bare "Congo" that cannot be told apart from its neighbour.
_DISPLAY_NAMES = {
    "en": {
        "CD": "Democratic Republic of the Congo",
        "CG": "Republic of the Congo",
        "FM": "Micronesia",
        "PS": "Palestine",
        "RU": "Russia",
        "VG": "British Virgin Islands",
        "VI": "U.S. Virgin Islands",
    },
    "fr": {
        "AX": "Îles Åland",
        "CC": "Îles Cocos (Keeling)",
        "CX": "Île Christmas",
        "FK": "Îles Malouines (Falkland)",
        "FM": "Micronésie",
        "GQ": "Guinée équatoriale",
        "PS": "Palestine",
        "RE": "Réunion",
        "RU": "Russie",
        "SB": "Îles Salomon",
        "VI": "Îles Vierges des États-Unis",
    },
}

# Names that fit several countries, where the ISO names alone would pick one: the person
# must say which, and the error lists the candidates. (Others, such as "Korea", are found
# ambiguous from the ISO names.) A bare "Guinée"/"Guinea" is not among them: it is the
# ISO name of Guinea (GN), and its neighbours are always written with their qualifier
# (Guinée-Bissau, Guinée équatoriale, Papouasie-Nouvelle-Guinée).
_AMBIGUOUS_NAMES = {
    "Congo": ("CD", "CG"),
    "Îles Vierges": ("VG", "VI"),
}


class CountryError(InvalidValueError):
    """A value that cannot be read as one country; carries the value as given."""


class UnknownCountryError(CountryError):
    """A value that names no country we know."""

    def __init__(self, value: object) -> None:
        super().__init__(N_("unknown country"), value)


class AmbiguousCountryError(CountryError):
    """A value that names several countries (a bare 'Congo')."""

    def __init__(self, value: object, candidates: tuple[str, ...]) -> None:
        message = N_("several countries have this name: choose %(candidates)s")
        super().__init__(message, value, candidates=CountryCodes(candidates))
        self.candidates = candidates


class CountryCodes(tuple):
    """Countries offered as choices in a message: shown with their names."""

    def __str__(self) -> str:
        return " or ".join(f"{code} ({country_name(code)})" for code in self)


def normalize_country(value: str) -> str:
    """Return the alpha-2 code of a country written as a code or an English/French name."""
    if not isinstance(value, str):
        raise UnknownCountryError(value)
    if not value.strip():
        raise CountryError(N_("empty country"), value)
    found = _index().get(lookup_key(value))
    if found is None:
        raise UnknownCountryError(value)
    if isinstance(found, tuple):
        raise AmbiguousCountryError(value, found)
    return found


def country_name(code: str, locale: str = "en") -> str:
    """Display name of a country code in English or French (any other locale gets English)."""
    name = _display_names(_language(locale)).get(code.upper())
    if name is None:
        raise UnknownCountryError(code)
    return name


def country_choices(locale: str = "en") -> list[tuple[str, str]]:
    """Every country as (code, name), sorted by name in that locale, accents ignored."""
    return list(_sorted_choices(_language(locale)))


@functools.cache  # every browse page and form lists them; sorting costs more than the page
def _sorted_choices(language: str) -> tuple[tuple[str, str], ...]:
    names = _display_names(language)
    return tuple(sorted(names.items(), key=lambda item: _sort_key(item[1])))


def _language(locale: str) -> str:
    return "fr" if str(locale).lower().startswith("fr") else "en"


def _sort_key(name: str) -> str:
    return strip_accents(name).casefold()


@functools.cache
def _french() -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"])


@functools.cache
def _display_names(language: str) -> dict[str, str]:
    names = {}
    for country in pycountry.countries:
        name = getattr(country, "common_name", None) or country.name
        if language == "fr":
            name = _french().gettext(name)
        names[country.alpha_2] = _DISPLAY_NAMES[language].get(country.alpha_2, name)
    return names


def _official_names(country) -> set[str]:
    english = {country.name}
    for attribute in ("official_name", "common_name"):
        if getattr(country, attribute, None):
            english.add(getattr(country, attribute))
    french = {_french().gettext(name) for name in english}
    displayed = {_display_names(language)[country.alpha_2] for language in ("en", "fr")}
    return english | french | displayed


def _variants(name: str) -> set[str]:
    """Readings of an ISO-style name: uninverted ('Korea, Republic of'), head, no brackets."""
    variants = {re.sub(r"\s*\([^)]*\)", "", name)}
    if ", " in name:
        head, tail = name.split(", ", 1)
        variants |= {head, f"{tail} {head}"}
    return variants - {name}


@functools.cache
def _index() -> dict[str, str | tuple[str, ...]]:
    """Lookup key -> code (or candidate codes when ambiguous), built once."""
    derived: dict[str, set[str]] = {}
    named: dict[str, set[str]] = {}
    for country in pycountry.countries:
        for name in _official_names(country):
            named.setdefault(lookup_key(name), set()).add(country.alpha_2)
            for variant in _variants(name):
                derived.setdefault(lookup_key(variant), set()).add(country.alpha_2)
    aliases: dict[str, set[str]] = {}
    for name, code in country_aliases():
        aliases.setdefault(lookup_key(name), set()).add(code)
    ambiguous = {lookup_key(name): set(codes) for name, codes in _AMBIGUOUS_NAMES.items()}
    codes = {
        lookup_key(code): {country.alpha_2}
        for country in pycountry.countries
        for code in (country.alpha_2, country.alpha_3)
    }
    index: dict[str, str | tuple[str, ...]] = {}
    # Later tiers win: an ISO code beats an alias, which beats a name, which beats a variant.
    for tier in (derived, named, aliases, ambiguous, codes):
        for key, found in tier.items():
            index[key] = next(iter(found)) if len(found) == 1 else tuple(sorted(found))
    return index
