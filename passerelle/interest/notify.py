"""E-mails about interest requests, each in its reader's language.

They go out after the page has answered (`send_after_commit`), so a slow mail server does
not hold the person up; a server that refuses is logged, and the request stays readable
in the inbox and in "My requests".
"""

from __future__ import annotations

from fastapi import Request

from passerelle.accounts.mail import Mail, mail_link
from passerelle.accounts.models import UserAccount
from passerelle.i18n import get_translations
from passerelle.interest.models import InterestRequest
from passerelle.settings import Settings
from services_catalog.models import Offer


def new_request_mails(
    request: Request, settings: Settings, interest: InterestRequest, offer: Offer,
    sender: UserAccount, recipients: list[UserAccount],
) -> list[Mail]:  # fmt: skip
    """One message to each member of the provider organisation."""
    link = mail_link(request, settings, "inbox_request", request_id=interest.id)
    mails = []
    for member in recipients:
        _ = get_translations(member.locale).gettext
        values = {"name": member.display_name, "sender": sender.display_name,
                  "offer": offer.title, "link": link}  # fmt: skip
        body = (
            _(
                "Hello %(name)s,\n\n%(sender)s is interested in your offer “%(offer)s” and sent "
                "you a message with their project on Passerelle.\n\nRead it and reply here:\n"
                "%(link)s\n"
            )
            % values
        )
        subject = _("New request about “%(offer)s”") % values
        mails.append(Mail(member.email, subject, body))
    return mails


def reply_mail(
    request: Request, settings: Settings, interest: InterestRequest, offer: Offer,
    sender: UserAccount,
) -> Mail:  # fmt: skip
    """The message telling the entrepreneur the provider answered."""
    _ = get_translations(sender.locale).gettext
    values = {
        "name": sender.display_name,
        "provider": offer.organization.name,
        "offer": offer.title,
        "link": mail_link(request, settings, "my_request", request_id=interest.id),
    }
    body = (
        _(
            "Hello %(name)s,\n\n%(provider)s answered your request about “%(offer)s”.\n\n"
            "Read the answer on Passerelle:\n%(link)s\n"
        )
        % values
    )
    return Mail(sender.email, _("%(provider)s answered your request") % values, body)
