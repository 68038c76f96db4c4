"""Reading account and project forms: values kept for redisplay, errors in the page's language."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeVar

from pydantic import BaseModel, ValidationError
from starlette.datastructures import FormData

from passerelle.accounts.passwords import MIN_PASSWORD_LENGTH
from passerelle.i18n import N_, get_translations

Model = TypeVar("Model", bound=BaseModel)
LIST_FIELDS = frozenset({"groups", "needs"})
SECRET_FIELDS = frozenset({"password", "current_password", "new_password"})

REQUIRED = N_("Please fill in this field.")
INVALID = N_("This value is not valid.")
FIELD_MESSAGES = {
    "email": N_("Enter an e-mail address, like name@example.org."),
    "password": N_("Use at least %(min)s characters."),
    "new_password": N_("Use at least %(min)s characters."),
    "residence_country": N_("Choose a country from the list."),
    "target_country": N_("Choose a country from the list."),
    "project_eur": N_("Enter an amount in euros, like 30 000 or 30k."),
    "funding_need_eur": N_("Enter an amount in euros, like 30 000 or 30k."),
}


@dataclass
class Form:
    """Submitted values (secrets left out) and one translated error per field."""

    values: dict = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    # Filled in by the template as it renders the fields: name -> (control id, label).
    labels: dict[str, tuple[str, str]] = field(default_factory=dict)

    def add_error(self, name: str, message: str, locale: str) -> None:
        translated = get_translations(locale).gettext(message)
        self.errors[name] = translated % {"min": MIN_PASSWORD_LENGTH}


def form_values(data: FormData, lists: frozenset[str] = LIST_FIELDS) -> dict:
    """The form's fields as a dict; checkbox groups (and multiple selects) as lists."""
    values: dict = {}
    for name in data:
        if name in lists:
            values[name] = [v for v in data.getlist(name) if isinstance(v, str)]
        elif isinstance(data[name], str):
            values[name] = data[name]
    return values


def read(
    model: type[Model],
    data: FormData,
    locale: str,
    *,
    lists: frozenset[str] = LIST_FIELDS,
    messages: dict[str, str] | None = None,
) -> tuple[Model | None, Form]:
    """The validated model, or None and the form with its errors (`messages` by field
    replace the generic ones)."""
    values = form_values(data, lists)
    messages = {**FIELD_MESSAGES, **(messages or {})}
    form = Form(values={k: v for k, v in values.items() if k not in SECRET_FIELDS})
    try:
        return model.model_validate(values), form
    except ValidationError as exc:
        for error in exc.errors():
            name = str(error["loc"][0]) if error["loc"] else "form"
            if name in form.errors:
                continue
            value = values.get(name)
            empty = error["type"] == "missing" or not (
                value.strip() if isinstance(value, str) else value
            )
            message = REQUIRED if empty else messages.get(name, INVALID)
            form.add_error(name, message, locale)
        return None, form
