"""The catalogue's messages (refused values, conversions, import reports) in the reader's
language: the staff import page in the page's locale, the command line in its --lang or locale.

`services_catalog` writes each reason as an English msgid with its values
(`services_catalog.errors.Message`); here it is translated through the Babel catalogues,
and its numbers, dates and lists written the reader's way.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

from babel.numbers import format_decimal

from passerelle.i18n import FORMAT_LOCALES, N_, format_day, get_translations, join_or
from services_catalog.countries import CountryCodes, country_name
from services_catalog.errors import MISSING, InvalidValueError, Message
from services_catalog.importing import Conversion, ImportReport, RowError

ROW_ERROR = N_("row %(row)s, field %(field)s, value “%(value)s”: %(problem)s")
ROW_MISSING = N_("row %(row)s, field %(field)s: %(problem)s")
FIELD_ERROR = N_("field %(field)s, value “%(value)s”: %(problem)s")
FIELD_MISSING = N_("field %(field)s: %(problem)s")
CONVERSION = N_("row %(row)s, %(field)s: %(note)s")
SUMMARY = N_(
    "%(total)s rows: %(created)s created, %(updated)s updated, %(unchanged)s unchanged, "
    "%(skipped)s skipped, %(flagged)s flagged for review, %(errors)s errors"
)
NOTHING_IMPORTED = N_("Nothing imported: %(errors)s error(s) in %(total)s rows.")


def translate(message: Message, locale: str) -> str:
    """A catalogue message in `locale`, its values written the locale's way."""
    values = {name: _shown(value, locale) for name, value in message.params.items()}
    return get_translations(locale).gettext(message.text) % values


def refused_reason(problem: dict, locale: str) -> str | None:
    """The catalogue's own reason for refusing a value (a pydantic error of `OfferRecord`),
    in `locale`, or None when pydantic refused it by itself."""
    cause = (problem.get("ctx") or {}).get("error")
    return translate(cause.message, locale) if isinstance(cause, InvalidValueError) else None


def row_error(error: RowError, locale: str) -> str:
    """`ligne 3, champ countries, valeur « Narnia » : pays inconnu`, or `…: manquant`."""
    values = {"row": error.row, "field": error.field, "value": written_value(error.value)}
    return _sentence(ROW_MISSING if error.missing else ROW_ERROR, values, error.message, locale)


def field_error(field: str, value: object, message: Message, locale: str) -> str:
    """A refused field outside a file (a profile): its name, its value and the reason."""
    text = FIELD_MISSING if message.text == MISSING else FIELD_ERROR
    return _sentence(text, {"field": field, "value": written_value(value)}, message, locale)


def conversion(note: Conversion, locale: str) -> str:
    values = {"row": note.row, "field": note.field, "note": translate(note.message, locale)}
    return get_translations(locale).gettext(CONVERSION) % values


def summary(report: ImportReport, locale: str) -> str:
    """What an import did, in one line."""
    counts = ("total", "created", "updated", "unchanged", "skipped", "flagged")
    values = {name: getattr(report, name) for name in counts} | {"errors": len(report.errors)}
    return get_translations(locale).gettext(SUMMARY) % values


def nothing_imported(report: ImportReport, locale: str) -> str:
    values = {"errors": len(report.errors), "total": report.total}
    return get_translations(locale).gettext(NOTHING_IMPORTED) % values


def countries_or(codes: tuple[str, ...], locale: str) -> str:
    """`CD (République démocratique du Congo) ou CG (République du Congo)`."""
    return join_or([f"{code} ({country_name(code, locale)})" for code in codes], locale)


def _sentence(text: str, values: dict, message: Message, locale: str) -> str:
    values = values | {"problem": translate(message, locale)}
    return get_translations(locale).gettext(text) % values


def written_value(value: object) -> str:
    """A value as the person wrote it: text as is, anything else as JSON."""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, default=str)


def _shown(value: object, locale: str) -> object:
    if isinstance(value, CountryCodes):
        return countries_or(value, locale)
    if isinstance(value, tuple):
        return join_or([str(item) for item in value], locale)
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        # Every digit of a rate counts: no rounding to the locale's three decimals.
        number_locale = FORMAT_LOCALES.get(locale, FORMAT_LOCALES["en"])
        return format_decimal(value, locale=number_locale, decimal_quantization=False)
    if isinstance(value, date):
        return format_day(value, locale)
    return value
