"""The mails about an account itself, each in its reader's language: sign-up and reset."""

from __future__ import annotations

from fastapi import Request

from passerelle.accounts.mail import Mail, mail_link
from passerelle.accounts.models import UserAccount
from passerelle.i18n import get_translations
from passerelle.settings import Settings


def welcome_mail(request: Request, settings: Settings, user: UserAccount) -> Mail:
    """To a new account: it is ready; if someone else made it, take it back by a reset."""
    gettext = get_translations(user.locale).gettext
    body = gettext(
        "Hello %(name)s,\n\nYour Passerelle account is ready. Log in with this e-mail address "
        "and the password you chose:\n\n%(login)s\n\nIf you did not create this account, "
        "someone else used your address: choose a new password here and the account is "
        "yours alone:\n\n%(reset)s\n"
    ) % {
        "name": user.display_name,
        "login": mail_link(request, settings, "login"),
        "reset": mail_link(request, settings, "password_reset_request"),
    }
    return Mail(user.email, gettext("Your Passerelle account is ready"), body)


def address_taken_mail(request: Request, settings: Settings, user: UserAccount) -> Mail:
    """To the owner of an address someone tried to sign up with again."""
    gettext = get_translations(user.locale).gettext
    body = gettext(
        "Hello %(name)s,\n\nSomeone, perhaps you, tried to create a Passerelle account with "
        "this e-mail address, which already has one. Log in here:\n\n%(login)s\n\n"
        "Forgot your password? Choose a new one here:\n\n%(reset)s\n\nIf it was not you, "
        "ignore this message: nothing has changed.\n"
    ) % {
        "name": user.display_name,
        "login": mail_link(request, settings, "login"),
        "reset": mail_link(request, settings, "password_reset_request"),
    }
    return Mail(user.email, gettext("Your Passerelle account already exists"), body)


def reset_mail(request: Request, settings: Settings, user: UserAccount, token: str) -> Mail:
    gettext = get_translations(user.locale).gettext
    body = gettext(
        "Hello %(name)s,\n\nTo choose a new password for Passerelle, open this link within "
        "one hour:\n\n%(link)s\n\nIf you did not ask for it, ignore this message: your "
        "password stays as it is.\n"
    ) % {
        "name": user.display_name,
        "link": mail_link(request, settings, "password_reset", token=token),
    }
    return Mail(user.email, gettext("Your Passerelle password"), body)
