"""Domain errors; each carries the HTTP status a web surface should answer with.

Refused values carry their reason as a `Message`, so that each surface can say it in
its reader's language.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal


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
