"""What the provider forms accept: an organisation's profile."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, Field

from passerelle.accounts.schemas import Email, FormModel
from passerelle.i18n import N_
from services_catalog.schemas import Code, CountryList, OptionalText, _check_url


def _blank_email(value: object) -> object:
    return None if isinstance(value, str) and not value.strip() else value


class OrganizationIn(FormModel):
    """An organisation's public profile as its members edit it (never `verified`)."""

    name: Annotated[str, Field(min_length=2, max_length=200)]
    description: Annotated[str, Field(max_length=5000)] = ""
    website: Annotated[OptionalText, AfterValidator(_check_url)] = Field(
        default=None, max_length=500
    )
    email: Annotated[Email | None, BeforeValidator(_blank_email)] = None
    type: Code("organization_type") = "other"
    countries: CountryList


ORGANIZATION_LISTS = frozenset({"countries"})
ORGANIZATION_MESSAGES = {
    "name": N_("Enter the organisation's name (2 to 200 characters)."),
    "description": N_("The description must not be longer than 5,000 characters."),
    "website": N_("Enter a web address starting with http:// or https://."),
    "email": N_("Enter an e-mail address, like name@example.org."),
    "type": N_("Choose a type from the list."),
    "countries": N_("Choose countries from the list."),
}
