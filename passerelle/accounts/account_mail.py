"""The mails about an account itself, each in its reader's language: sign-up and reset."""

from __future__ import annotations

from fastapi import Request

from passerelle.accounts.models import UserAccount
from passerelle.outbox.mail import Mail, compose, mail_link
from passerelle.settings import Settings


def _account_links(request: Request, settings: Settings) -> dict[str, str]:
    return {
        "login": mail_link(request, settings, "login"),
        "reset": mail_link(request, settings, "password_reset_request"),
    }


def welcome_mail(request: Request, settings: Settings, user: UserAccount) -> Mail:
    """To a new account: it is ready; if someone else made it, take it back by a reset."""
    links = _account_links(request, settings)
    return compose(user.email, user.locale, "welcome", name=user.display_name, **links)


def address_taken_mail(request: Request, settings: Settings, user: UserAccount) -> Mail:
    """To the owner of an address someone tried to sign up with again."""
    links = _account_links(request, settings)
    return compose(user.email, user.locale, "address_taken", name=user.display_name, **links)


def reset_mail(request: Request, settings: Settings, user: UserAccount, token: str) -> Mail:
    link = mail_link(request, settings, "password_reset", token=token)
    return compose(user.email, user.locale, "password_reset", name=user.display_name, link=link)
