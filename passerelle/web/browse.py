"""The browse page's URL language: reading filters from a query, writing links back.

Everything a visitor chooses lives in the URL, so that a search can be shared and the
back button works; links that remove a filter or change page are built here.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from pydantic import ValidationError
from starlette.datastructures import QueryParams

from passerelle.i18n import N_, format_eur, get_translations
from services_catalog.countries import country_name
from services_catalog.search import FACETS, OfferFilters
from services_catalog.taxonomy import label

SCALAR_PARAMS = ("q", "amount", "open", "sort", "page", "per_page")
COUNTRY_FACETS = ("country", "residence_country")
DEFAULTS = OfferFilters()

# What each parameter is called on the page (chips, relax hints, error pages).
PARAMETER_TITLES = {
    "q": N_("Keywords"),
    "country": N_("Project country"),
    "residence_country": N_("Country of residence"),
    "sector": N_("Sector"),
    "category": N_("Type of support"),
    "kind": N_("Support or financing"),
    "stage": N_("Project stage"),
    "target_group": N_("Reserved for"),
    "applicant_type": N_("Applicant"),
    "amount": N_("Project amount"),
    "open": N_("Applications"),
    "sort": N_("Sort order"),
    "page": N_("Page"),
    "per_page": N_("Results per page"),
    "offer_id": N_("Offer number"),
    "organization_id": N_("Organisation number"),
    "code": N_("Language"),
    "next": N_("Return address"),
}


class BadParameterError(Exception):
    """A query parameter of a page that cannot be understood."""

    status_code = 422

    def __init__(self, name: str, value: object) -> None:
        super().__init__(f"invalid value {value!r} for {name}")
        self.name = name
        self.value = value


@dataclass(frozen=True)
class Chip:
    """An active filter value, shown with a link that removes it."""

    title: str
    value: str
    remove_url: str


@dataclass(frozen=True)
class Relaxation:
    """A filter whose removal would bring back offers."""

    title: str
    value: str
    total: int
    url: str


def read_filters(params: QueryParams) -> OfferFilters:
    """Filters from a page's query string; empty fields are ignored, others checked."""
    data: dict[str, object] = {}
    for name in FACETS:
        values = [value.strip() for value in params.getlist(name) if value.strip()]
        if values:
            data[name] = values
    for name in SCALAR_PARAMS:
        value = (params.get(name) or "").strip()
        if value:
            data[name] = value
    try:
        return OfferFilters.model_validate(data)
    except ValidationError as error:
        raise _bad_parameter(error, data) from None


def _bad_parameter(error: ValidationError, data: dict) -> BadParameterError:
    first = error.errors()[0]
    name = str(first["loc"][0]) if first["loc"] else "q"
    cause = first.get("ctx", {}).get("error")
    value = getattr(cause, "value", None)
    if value is None:
        value = first.get("input", data.get(name))
        if isinstance(value, list):  # the list failed as a whole: show what it held
            value = value[0] if len(value) == 1 else ", ".join(map(str, value))
    return BadParameterError(name, value)


def query_pairs(filters: OfferFilters) -> list[tuple[str, str]]:
    """The filters as query parameters, defaults left out."""
    pairs: list[tuple[str, str]] = []
    if filters.q:
        pairs.append(("q", filters.q))
    for name in FACETS:
        pairs.extend((name, code) for code in filters.selected(name))
    if filters.open:
        pairs.append(("open", "true"))
    for name in ("amount", "sort", "per_page"):
        value = getattr(filters, name)
        if value is not None and value != getattr(DEFAULTS, name):
            pairs.append((name, str(value)))
    return pairs


def browse_url(
    base: str,
    filters: OfferFilters,
    *,
    remove: str | None = None,
    value: str | None = None,
    page: int = 1,
) -> str:
    """A link to the browse page with these filters, less a filter (or one of its values)."""
    pairs = [
        (name, code)
        for name, code in query_pairs(filters)
        if name != remove or (value is not None and code != value)
    ]
    if page > 1:
        pairs.append(("page", str(page)))
    return f"{base}?{urlencode(pairs)}" if pairs else base


def value_label(name: str, code: object, locale: str) -> str:
    """How one value of a parameter reads on the page."""
    if name in COUNTRY_FACETS:
        try:
            return country_name(str(code), locale)
        except ValueError:
            return str(code)
    if name == "amount" and isinstance(code, int):
        return format_eur(code, locale)
    if name == "open":
        return get_translations(locale).gettext("Open now")
    if name in FACETS:
        return label(name, str(code), locale)
    return str(code)


def parameter_title(name: str, locale: str) -> str:
    title = PARAMETER_TITLES.get(name)
    return get_translations(locale).gettext(title) if title else name


def chips(base: str, filters: OfferFilters, locale: str) -> list[Chip]:
    """One removable chip per active filter value."""
    found = []
    for name, value in filters.active().items():
        title = parameter_title(name, locale)
        if isinstance(value, list):
            found.extend(
                Chip(
                    title,
                    value_label(name, code, locale),
                    browse_url(base, filters, remove=name, value=code),
                )
                for code in value
            )
        else:
            found.append(
                Chip(
                    title, value_label(name, value, locale), browse_url(base, filters, remove=name)
                )
            )
    return found


def relaxation_hints(
    base: str, filters: OfferFilters, totals: dict[str, int], locale: str
) -> list[Relaxation]:
    """What to remove to see offers again, the most rewarding first."""
    hints = []
    for name, total in sorted(totals.items(), key=lambda item: -item[1]):
        value = filters.active()[name]
        values = value if isinstance(value, list) else [value]
        shown = ", ".join(value_label(name, v, locale) for v in values)
        hints.append(
            Relaxation(
                parameter_title(name, locale), shown, total, browse_url(base, filters, remove=name)
            )
        )
    return hints
