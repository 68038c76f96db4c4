"""The version of an offer that a page or an API client acted on, as each carries it.

A page's forms send it in a hidden `version` field; the API sends it as the offer's
`ETag` and reads it back from `If-Match`. `services_catalog.workflow` refuses a step taken
on an older version (StaleOfferError), so that no change silently undoes another.
"""

from __future__ import annotations

import re

from starlette.datastructures import FormData

from passerelle.i18n import N_
from services_catalog.errors import CatalogError
from services_catalog.models import Offer

FORM_FIELD = "version"
# Shown when a form's change or a review step was refused because the offer had changed.
STALE_FORM = N_(
    "Someone changed this offer after you opened the form, so your change was not saved. "
    "The form now shows the latest version: check it and make your change again."
)
STALE_STEP = N_(
    "Nothing was done: this offer changed after the page was loaded. "
    "Check its latest version below and try again."
)
_ENTITY_TAG = re.compile(r'\s*(?:W/)?"(\d{1,18})"\s*')


def etag(offer: Offer) -> str:
    """The offer's entity tag, its version in quotes."""
    return f'"{offer.version}"'


def shown_version(data: FormData) -> int | None:
    """The version the form was rendered from (None for a form that carries none)."""
    value = data.get(FORM_FIELD)
    if value is None:
        return None
    if not isinstance(value, str) or not value.isascii() or not value.isdigit():
        raise CatalogError(f"version: {str(value)[:40]!r} is not an offer version")
    return int(value)


def carried_version(data: FormData) -> dict[str, str]:
    """The form's version field as sent, to render again with the form's errors."""
    value = data.get(FORM_FIELD)
    return {FORM_FIELD: value} if isinstance(value, str) else {}


def if_match_version(header: str | None) -> int | None:
    """The version named by an `If-Match` header; None when absent or `*` (any version)."""
    if header is None or header.strip() == "*":
        return None
    found = _ENTITY_TAG.fullmatch(header)
    if found is None:
        raise CatalogError(f'If-Match: {header[:40]!r} is not an offer ETag (like "3")')
    return int(found.group(1))
