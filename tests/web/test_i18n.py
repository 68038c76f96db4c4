"""Choosing the language, formatting for it, and catalogues that keep up with the sources."""

from __future__ import annotations

from datetime import date

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from passerelle.i18n import (
    LOCALE_DIR,
    format_day,
    format_eur,
    get_translations,
    join_or,
    negotiate_locale,
    parse_accept_language,
)
from passerelle.web.templating import PROJECT_ROOT


def plain(value: str) -> str:
    return value.replace("\u202f", " ").replace("\u00a0", " ")


def test_accept_language_is_read_by_quality_then_order():
    header = "de-CH, fr;q=0.7, en-US;q=0.9, es;q=0, *;q=0.1"
    assert parse_accept_language(header) == ["de-ch", "en-us", "fr", "*"]
    assert parse_accept_language("") == []
    assert parse_accept_language("fr;q=abc, en") == ["en"]


@pytest.mark.parametrize(
    ("cookie", "header", "expected"),
    [
        ("en", "fr-FR", "en"),
        ("de", "en-GB", "en"),  # an unknown cookie is ignored
        (None, "de-DE, en;q=0.5, fr;q=0.8", "fr"),
        (None, "de-DE, *;q=0.5", "fr"),  # anything goes: the default
        (None, "de-DE", "fr"),
        (None, None, "fr"),
        (None, "EN", "en"),
        (None, "pt-BR, fr-CH;q=0.4, en-GB;q=0.3", "fr"),  # Babel: a region falls back
    ],
)
def test_negotiate_locale(cookie, header, expected):
    assert negotiate_locale(cookie, header, "fr") == expected


def test_amounts_and_dates_are_written_the_locale_way():
    assert plain(format_eur(30_000, "fr")) == "30 000 €"
    assert format_eur(30_000, "en") == "€30,000"
    assert format_day(date(2027, 1, 15), "fr") == "15 janvier 2027"
    assert format_day(date(2027, 1, 15), "en") == "15 January 2027"
    assert join_or(["Sénégal", "Mali"], "fr") == "Sénégal ou Mali"


def test_translations_are_compiled_from_the_po_files():
    assert get_translations("fr").gettext("Search") == "Rechercher"
    assert get_translations("en").gettext("Search") == "Search"
    french = get_translations("fr")
    assert french.ngettext("%(num)s offer", "%(num)s offers", 2) == "%(num)s offres"
    assert french.ngettext("%(num)s offer", "%(num)s offers", 0) == "%(num)s offre"


@pytest.mark.parametrize("locale", ["fr", "en"])
def test_catalogues_read_without_a_problem(locale):
    # Babel prints a malformed entry's warning on standard output, which would corrupt
    # the command line's JSON (`recommend --json` translates the matcher's sentences).
    with (LOCALE_DIR / locale / "LC_MESSAGES" / "messages.po").open("rb") as po_file:
        read_po(po_file, locale=locale, abort_invalid=True)


def source_messages() -> set[str | tuple[str, ...]]:
    with (PROJECT_ROOT / "babel.cfg").open(encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)
    found = extract_from_dir(PROJECT_ROOT, method_map, options_map)
    return {message for _file, _line, message, _comments, _context in found}


def test_every_visible_string_has_a_french_translation():
    with (LOCALE_DIR / "fr" / "LC_MESSAGES" / "messages.po").open("rb") as po_file:
        catalog = read_po(po_file)
    translated = {m.id: m for m in catalog if m.id and not m.fuzzy}
    missing = []
    for message in source_messages():
        entry = translated.get(message)
        strings = entry.string if entry else ""
        if not all(strings if isinstance(strings, tuple) else (strings,)):
            missing.append(message)
    assert not missing, f"run pybabel extract/update and translate: {sorted(map(str, missing))}"


def test_the_french_catalogue_checks_out():
    """Placeholders kept, plural forms right (what `pybabel compile` would complain about)."""
    with (LOCALE_DIR / "fr" / "LC_MESSAGES" / "messages.po").open("rb") as po_file:
        catalog = read_po(po_file)
    problems = [(message.id, errors) for message, errors in catalog.check() if errors]
    assert not problems
    assert catalog.num_plurals == 2
