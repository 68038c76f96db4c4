"""Domain errors; each carries the HTTP status a web surface should answer with.

Refused values carry their reason as a `Message`, so that each surface can say it in
its reader's language.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any


class CatalogError(Exception):
    status_code = 400

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class NotFoundError(CatalogError):
    status_code = 404


def N_(message: str) -> str:
    """Mark a message for translation where it is written; it is translated where shown."""
    return message


@dataclass(frozen=True)
class Message:
    """A sentence for people: an English msgid with `%(name)s` placeholders and their
    values. The web pages and the command line show it translated, with numbers and
    dates written their reader's way; `str()` gives the English text."""

    text: str
    params: dict[str, object] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.text % {name: _english(value) for name, value in self.params.items()}


def _english(value: object) -> str:
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return f"{value:,}" if value == int(value) else f"{Decimal(value).normalize():,f}"
    if isinstance(value, date):
        return value.isoformat()
    if type(value) is tuple:  # choices: "CD or CG"
        return " or ".join(map(str, value))
    return str(value)


class InvalidValueError(ValueError):
    """A value refused, with the reason as a translatable `Message`."""

    def __init__(self, text: str, value: object, /, **params: object) -> None:
        self.message = Message(text, params)
        self.value = value
        super().__init__(f"{self.message}: {value!r}")


# What a reader is told for each pydantic error type a record can meet; the reasons of
# the catalogue's own checks come with the error (`InvalidValueError`).
MISSING = N_("missing")
_PYDANTIC_MESSAGES = {
    "missing": MISSING,
    "string_too_short": N_("empty"),
    "string_too_long": N_("longer than %(max_length)s characters"),
    "string_type": N_("expected text"),
    "int_parsing": N_("not a whole number"),
    "int_type": N_("not a whole number"),
    "int_from_float": N_("not a whole number"),
    "float_parsing": N_("not a number"),
    "float_type": N_("not a number"),
    "bool_parsing": N_("expected true or false"),
    "bool_type": N_("expected true or false"),
    "literal_error": N_("not one of %(expected)s"),
    "enum": N_("not one of %(expected)s"),
    "url_parsing": N_("not a web address (expected http:// or https://)"),
    "url_scheme": N_("not a web address (expected http:// or https://)"),
    "url_type": N_("not a web address (expected http:// or https://)"),
    "date_parsing": N_("not a date (expected YYYY-MM-DD)"),
    "date_type": N_("not a date (expected YYYY-MM-DD)"),
    "date_from_datetime_parsing": N_("not a date (expected YYYY-MM-DD)"),
    "date_from_datetime_inexact": N_("not a date (expected YYYY-MM-DD)"),
    "list_type": N_("expected a list"),
    "dict_type": N_("expected an object"),
    "model_type": N_("expected an object"),
    "extra_forbidden": N_("unknown field"),
}
INVALID = N_("invalid value")


def validation_message(problem: Mapping[str, Any]) -> tuple[object, Message]:
    """The value as given and the reason of one pydantic error (`ValidationError.errors()`);
    the value of a missing field is None."""
    context = problem.get("ctx") or {}
    cause = context.get("error")
    if isinstance(cause, InvalidValueError):
        return cause.value, cause.message
    text = _PYDANTIC_MESSAGES.get(problem["type"], INVALID)
    params = {key: value for key, value in context.items() if f"%({key})s" in text}
    value = None if text == MISSING else problem.get("input")
    return value, Message(text, params)
