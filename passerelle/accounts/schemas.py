"""What account and project forms accept, and what is shown or exported of them."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from passerelle.accounts.passwords import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH
from passerelle.schemas import ProfileIn
from services_catalog.amounts import parse_amount

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _email(value: str) -> str:
    value = value.strip().lower()
    if not _EMAIL.match(value):
        raise ValueError("not an e-mail address")
    return value


def _amount(value: Any) -> Any:
    """Amounts as people type them: "30 000 €", "30k", "25 000 000 FCFA"."""
    if isinstance(value, str):
        return parse_amount(value).eur if value.strip() else None
    return value


Email = Annotated[str, Field(max_length=320), AfterValidator(_email)]
Password = Annotated[str, Field(min_length=MIN_PASSWORD_LENGTH, max_length=MAX_PASSWORD_LENGTH)]
DisplayName = Annotated[str, Field(min_length=1, max_length=200)]
Locale = Literal["fr", "en"]
Euros = Annotated[int, BeforeValidator(_amount), Field(ge=0, le=10**12)]


class FormModel(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True, extra="ignore")


class SignupIn(FormModel):
    email: Email
    display_name: DisplayName
    password: Password
    locale: Locale = "fr"
    # Who signs up: an entrepreneur, or a provider's member who registers its offers.
    account_type: Literal["entrepreneur", "provider"] = "entrepreneur"


class LoginIn(FormModel):
    email: Annotated[str, Field(max_length=320)]
    password: Annotated[str, Field(max_length=MAX_PASSWORD_LENGTH)]


class ResetRequestIn(FormModel):
    email: Email


class NewPasswordIn(FormModel):
    password: Password


class ProfileUpdate(FormModel):
    display_name: DisplayName
    locale: Locale


class PasswordChange(FormModel):
    current_password: Annotated[str, Field(max_length=MAX_PASSWORD_LENGTH)]
    new_password: Password


class PasswordConfirm(FormModel):
    password: Annotated[str, Field(max_length=MAX_PASSWORD_LENGTH)]


class ProjectIn(ProfileIn):
    """A project's form: the contract profile (countries by name, amounts as typed), named."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    name: Annotated[str, Field(min_length=1, max_length=200)]
    project_eur: Euros
    funding_need_eur: Annotated[Euros | None, BeforeValidator(_amount)] = None


class AccountPublic(BaseModel):
    """An account as its owner sees or downloads it: never the password hash."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    email: str
    display_name: str
    role: str
    locale: str
    created_at: datetime


class ProjectPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    residence_country: str
    target_country: str
    sector: str
    stage: str
    project_eur: int
    funding_need_eur: int | None
    applicant_type: str
    groups: list[str]
    needs: list[str]
    description: str
    created_at: datetime
    updated_at: datetime


class BookmarkPublic(BaseModel):
    offer_id: int
    title: str
    created_at: datetime
