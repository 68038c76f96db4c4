"""E-mails about interest requests, each in its reader's language.

They are queued in the outbox in the request's transaction and leave once it commits; a
server that refuses is shown to staff, and the request stays readable in the inbox and
in "My requests".
"""

from __future__ import annotations

from fastapi import Request

from passerelle.accounts.models import UserAccount
from passerelle.interest.models import InterestRequest
from passerelle.outbox.mail import Mail, compose, mail_link
from passerelle.settings import Settings
from services_catalog.models import Offer


def new_request_mails(
    request: Request, settings: Settings, interest: InterestRequest, offer: Offer,
    sender: UserAccount, recipients: list[UserAccount],
) -> list[Mail]:  # fmt: skip
    """One message to each member of the provider organisation."""
    link = mail_link(request, settings, "inbox_request", request_id=interest.id)
    values = {"sender": sender.display_name, "offer": offer.title, "link": link}
    return [
        compose(member.email, member.locale, "interest_request", name=member.display_name, **values)
        for member in recipients
    ]


def reply_mail(
    request: Request, settings: Settings, interest: InterestRequest, offer: Offer,
    sender: UserAccount,
) -> Mail:  # fmt: skip
    """The message telling the entrepreneur the provider answered."""
    link = mail_link(request, settings, "my_request", request_id=interest.id)
    return compose(sender.email, sender.locale, "interest_reply", name=sender.display_name,
                   provider=offer.organization.name, offer=offer.title, link=link)  # fmt: skip
