"""The offer exchange format (contract section 2), validated and normalised."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationInfo,
    field_validator,
    model_validator,
)

from services_catalog.amounts import parse_amount
from services_catalog.countries import country_choices, normalize_country
from services_catalog.errors import N_, InvalidValueError
from services_catalog.models import BILINGUAL_MAX, LIST_FIELDS
from services_catalog.taxonomy import CATEGORIES, VOCABULARIES, normalize_code

# Lists in one cell are separated by ";" (the contract); "|" and new lines are accepted too.
_LIST_SEPARATORS = re.compile(r"[;|\n]")
_FRENCH_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


def _split(value: Any) -> list[Any]:
    """A list from a list, a separated string, or nothing."""
    if value is None:
        return []
    if isinstance(value, str):
        return [part.strip() for part in _LIST_SEPARATORS.split(value) if part.strip()]
    if isinstance(value, list | tuple):
        return [v.strip() if isinstance(v, str) else v for v in value if v not in ("", None)]
    raise InvalidValueError(N_("expected a list"), value)


def _unique(codes: list[str]) -> list[str]:
    return list(dict.fromkeys(codes))


def _normalize_countries(value: Any) -> list[str]:
    codes = []
    for item in _split(value):
        try:
            codes.append(normalize_country(item))
        except ValueError:
            # "SN, CI, ML" typed in one cell: commas separate only when the whole
            # piece is not itself a name ("Congo, The Democratic Republic of the").
            if not isinstance(item, str) or "," not in item:
                raise
            codes.extend(normalize_country(part) for part in item.split(",") if part.strip())
    return _unique(codes)


def Code(vocabulary: str):  # a type factory, hence the capital
    """One code of a vocabulary; its labels are accepted too. The schema lists the codes."""
    return Annotated[
        Literal[tuple(VOCABULARIES[vocabulary])],
        BeforeValidator(lambda value: normalize_code(vocabulary, value)),
    ]


def CodeList(vocabulary: str):
    """Codes of a vocabulary from a list or a ";"-separated string, without repeats."""

    def normalize(value: Any) -> list[str]:
        return _unique([normalize_code(vocabulary, item) for item in _split(value)])

    return Annotated[
        list[Literal[tuple(VOCABULARIES[vocabulary])]],
        BeforeValidator(normalize),
        Field(default_factory=list),
    ]


_ISO_CODES = Literal[tuple(code for code, _ in country_choices())]
# A country by ISO alpha-2 or alpha-3 code or by English or French name.
CountryCode = Annotated[_ISO_CODES, BeforeValidator(normalize_country)]
CountryList = Annotated[
    list[_ISO_CODES], BeforeValidator(_normalize_countries), Field(default_factory=list)
]


def _blank_to_none(value: Any) -> Any:
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _to_date(value: Any) -> Any:
    """ISO dates, plus the day-first dates French spreadsheets produce (31/12/2026)."""
    value = _blank_to_none(value)
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, str):
        text = value.strip()
        match = _FRENCH_DATE.match(text)
        try:
            if match:
                day, month, year = (int(g) for g in match.groups())
                return date(year, month, day)
            return date.fromisoformat(text[:10] if "T" in text else text)
        except ValueError:  # not a date, or no such day (31/02/2026)
            raise InvalidValueError(N_("not a date (expected YYYY-MM-DD)"), value) from None
    return value


def _check_url(value: str | None) -> str | None:
    if value is not None and not re.match(r"^https?://[^\s/$.?#][^\s]*$", value, re.IGNORECASE):
        raise InvalidValueError(N_("not a web address (expected http:// or https://)"), value)
    return value


OptionalText = Annotated[str | None, BeforeValidator(_blank_to_none)]

_LINE_BREAKS = re.compile(r"\s+")
# Control characters (C0, DEL, C1) other than the white space a pasted paragraph brings.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _short_text(value: Any) -> Any:
    """A title or summary in one language: one line (line breaks and tabs become spaces),
    no control character, at most BILINGUAL_MAX characters; empty means none."""
    given = _blank_to_none(value)
    if not isinstance(given, str):
        return given
    found = _CONTROL.search(given)
    if found:
        message = N_("contains a control character (U+%(code)s)")
        raise InvalidValueError(message, given, code=f"{ord(found.group()):04X}")
    text = _LINE_BREAKS.sub(" ", given).strip()
    if len(text) > BILINGUAL_MAX:
        message = N_(
            "%(length)s characters, longer than %(max)s: a short title or summary is shown"
            " whole on cards and results, so one or two sentences; the full text belongs"
            " in the description"
        )
        raise InvalidValueError(message, given, length=len(text), max=BILINGUAL_MAX)
    return text


# A short title or summary in French or English (see _short_text).
ShortText = Annotated[str | None, BeforeValidator(_short_text)]
OptionalDate = Annotated[date | None, BeforeValidator(_to_date)]

_LOWER_BOUND = {
    "max_project_eur": "min_project_eur",
    "ticket_max_eur": "ticket_min_eur",
    "deadline": "opens",
}


class OfferRecord(BaseModel):
    """One offer as exchanged in JSON and CSV files and the API; empty means no restriction."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    id: OptionalText = Field(default=None, max_length=200)
    title: str = Field(min_length=1, max_length=300)
    description: str = Field(min_length=1)
    lang: Code("lang") = "fr"
    title_fr: ShortText = None
    title_en: ShortText = None
    summary_fr: ShortText = None
    summary_en: ShortText = None
    organization: str = Field(min_length=1, max_length=200)
    url: Annotated[OptionalText, AfterValidator(_check_url)] = Field(default=None, max_length=1000)
    kind: Code("kind")
    categories: CodeList("category")
    sectors: CodeList("sector")
    countries: CountryList
    residence_countries: CountryList
    stages: CodeList("stage")
    applicant_types: CodeList("applicant_type")
    target_groups: CodeList("target_group")
    min_project_eur: int | None = None
    max_project_eur: int | None = None
    ticket_min_eur: int | None = None
    ticket_max_eur: int | None = None
    opens: OptionalDate = None
    deadline: OptionalDate = None
    # The amounts written in another currency, by field (`Amount.as_written`): not part of
    # the exchange format, kept so that the offer can show them as written.
    _written: dict[str, dict] = PrivateAttr(default_factory=dict)

    @field_validator(
        "min_project_eur", "max_project_eur", "ticket_min_eur", "ticket_max_eur", mode="before"
    )
    @classmethod
    def _euros(cls, value: Any, info: ValidationInfo) -> int | None:
        """Whole euros from numbers or amounts as people write them, noting conversions."""
        value = _blank_to_none(value)
        if value is None:
            return None
        if isinstance(value, bool):
            raise InvalidValueError(N_("not an amount"), value)
        amount = parse_amount(value)
        note = amount.conversion_note()
        if note and info.context is not None:
            info.context.setdefault("conversions", []).append((info.field_name, note))
            info.context.setdefault("written", {})[info.field_name] = amount.as_written()
        return amount.eur

    @model_validator(mode="after")
    def _keep_written(self, info: ValidationInfo) -> OfferRecord:
        if info.context is not None:
            self._written = dict(info.context.get("written", {}))
        return self

    @property
    def written_amounts(self) -> dict[str, dict]:
        """The amounts read from another currency, as written, by field."""
        return self._written

    def keep_written(self, written: dict[str, dict]) -> OfferRecord:
        """The record, noting amounts a form converted before they reached it."""
        self._written = dict(written)
        return self

    @field_validator("id", "title", "description", "organization", "url")
    @classmethod
    def _storable(cls, value: str | None) -> str | None:
        """No NUL character: nobody types one, and PostgreSQL cannot store it."""
        if value is not None and "\x00" in value:
            raise ValueError("contains a NUL character")
        return value

    @field_validator("max_project_eur", "ticket_max_eur", "deadline")
    @classmethod
    def _not_before_lower_bound(cls, value: Any, info: ValidationInfo) -> Any:
        low_name = _LOWER_BOUND[info.field_name]
        low = info.data.get(low_name)
        if value is not None and low is not None and low > value:
            message = N_("is below %(field)s (%(low)s)")
            raise InvalidValueError(message, value, field=low_name, low=low)
        return value

    @field_validator("categories")
    @classmethod
    def _primary_category_matches_kind(cls, value: list[str], info: ValidationInfo) -> list[str]:
        kind = info.data.get("kind")
        if value and kind and CATEGORIES[value[0]].kind != kind:
            message = N_("the primary category %(category)s is not of the kind %(kind)s")
            raise InvalidValueError(message, value, category=value[0], kind=kind)
        return value

    def lists(self) -> dict[str, list[str]]:
        """The list-valued fields, by exchange-format name."""
        return {name: getattr(self, name) for name in LIST_FIELDS}


EXCHANGE_FIELDS: tuple[str, ...] = tuple(OfferRecord.model_fields)
