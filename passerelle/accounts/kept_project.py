"""Answers of the anonymous find-support form, kept through sign-up as the new account's
first project.

The answers travel signed (itsdangerous, the site's secret key) from the results to the
sign-up form, so they are the ones the page showed; at sign-up they are read again
through the project form's own validation before anything is saved.
"""

from __future__ import annotations

from itsdangerous import BadSignature, URLSafeSerializer
from sqlmodel import Session
from starlette.datastructures import FormData

from passerelle.accounts import projects
from passerelle.accounts.forms import read
from passerelle.accounts.models import UserAccount
from passerelle.accounts.schemas import ProjectIn
from passerelle.i18n import N_, get_translations
from passerelle.schemas import ProfileIn
from passerelle.settings import Settings

_SALT = "passerelle.kept-project"
# Longer than any sealed answers (a 5,000-character description): refuse before decoding.
MAX_TOKEN_LENGTH = 16_000
DEFAULT_NAME = N_("My project")


def _serializer(settings: Settings) -> URLSafeSerializer:
    return URLSafeSerializer(settings.secret_key.get_secret_value(), salt=_SALT)


def seal(profile: ProfileIn, settings: Settings) -> str:
    """The find-support answers, signed, for the sign-up link."""
    return _serializer(settings).dumps(profile.model_dump(mode="json"))


def opened(token: str | None, settings: Settings) -> dict | None:
    """The answers a token carries, or None when it is absent, too long or not ours."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    try:
        answers = _serializer(settings).loads(token)
    except BadSignature:
        return None
    return answers if isinstance(answers, dict) else None


def _as_form(answers: dict, name: str) -> FormData:
    """The answers as the project form would post them."""
    fields = [("name", name)]
    for key, value in answers.items():
        values = value if isinstance(value, list) else [value]
        fields += [(key, "" if item is None else str(item)) for item in values]
    return FormData(fields)


def keep(
    session: Session, user: UserAccount, token: str | None, settings: Settings, locale: str
) -> int | None:
    """Save the answers `token` carries as `user`'s project; its id, or None when the
    token is not ours or the answers no longer pass the project form."""
    answers = opened(token, settings)
    if answers is None:
        return None
    name = get_translations(locale).gettext(DEFAULT_NAME)
    project_in, _form = read(ProjectIn, _as_form(answers, name), locale)
    if project_in is None:
        return None
    return projects.create_project(session, user, project_in).id
