"""Reading a submitted form: the one place where every form's text is checked.

Each reader (account, project, offer, interest forms, and the profile form sent by GET)
gets values already free of what no person types: NUL and other control characters
(line breaks and tabs are kept in multi-line fields), and text longer than any field
takes. A value breaking these rules refuses the whole form with 400 and names the field.
"""

from __future__ import annotations

import re

from fastapi import Request
from starlette.datastructures import FormData, ImmutableMultiDict

from passerelle.i18n import N_

# The form fields typed in a <textarea>: they may hold line breaks and tabs.
MULTILINE_FIELDS = frozenset({"description", "message", "reply", "reason"})
# Unicode's control characters (C0, DEL, C1), without line breaks and tabs for the second.
CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
MULTILINE_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# The same rule for a query parameter declared with FastAPI's Query(pattern=...): a 422.
NO_CONTROLS_PATTERN = rf"^[^{CONTROLS.pattern[1:-1]}]*$"
MAX_LINE_CHARS = 2_000
MAX_MULTILINE_CHARS = 20_000

CONTROL_CHARACTER = N_(
    "The field “%(field)s” contains a character that cannot be typed (%(character)s)."
)
TOO_LONG = N_("The field “%(field)s” is longer than %(max)s characters.")


class FormInputError(Exception):
    """A submitted field breaks the text rules: answered with 400, naming the field."""

    status_code = 400

    def __init__(self, field: str, message: str, **params: object) -> None:
        self.field = field
        self.message = message
        self.params = {"field": field, **params}
        self.detail = message % self.params  # the English text, for JSON answers and logs
        super().__init__(self.detail)


def check_text(field: str, value: str, *, multiline: bool | None = None) -> str:
    """`value` when it follows the text rules for `field`; raises FormInputError otherwise."""
    if multiline is None:
        multiline = field in MULTILINE_FIELDS
    limit = MAX_MULTILINE_CHARS if multiline else MAX_LINE_CHARS
    if len(value) > limit:
        raise FormInputError(field, TOO_LONG, max=limit)
    found = (MULTILINE_CONTROLS if multiline else CONTROLS).search(value)
    if found:
        raise FormInputError(field, CONTROL_CHARACTER, character=f"U+{ord(found.group()):04X}")
    return value


def check_fields(fields: ImmutableMultiDict) -> None:
    """Apply `check_text` to every text value of a form (its files are left alone)."""
    for name, value in fields.multi_items():
        if isinstance(value, str):
            check_text(name, value)


async def read_form(request: Request) -> FormData:
    """The request's form, once each of its text values passed `check_text`."""
    form = await request.form()
    check_fields(form)
    return form
