"""The "still accurate" link of the freshness mail, and who gets that mail.

The link carries the offer's id signed with the platform's secret and its time of
signing, so that it works without signing in, only for that offer, and only for
LINK_VALID: a mail forwarded or found later cannot keep an offer fresh for ever.
Services flush; the request (or the worker's job) commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select
from sqlmodel import Session

from passerelle.accounts.models import UserAccount
from passerelle.provider.models import OrganizationMember
from passerelle.settings import Settings
from services_catalog import workflow
from services_catalog.freshness import REMIND_AFTER, unconfirmed_for
from services_catalog.models import Offer, Organization

SALT = "passerelle.offer-still-accurate"
LINK_VALID = timedelta(days=45)  # a month to act on the mail, and some days to spare
MAX_TOKEN = 500  # far above a real token's length: a longer one is not ours


class LinkError(Exception):
    """A "still accurate" link that is not (or no longer) valid for this offer."""

    def __init__(self, expired: bool) -> None:
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


@dataclass(frozen=True)
class Recipient:
    email: str
    locale: str
    key: str  # stable per recipient, for the outbox's once-only key


def _serializer(settings: Settings) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(settings.secret_key.get_secret_value(), salt=SALT)


def link_token(settings: Settings, offer_id: int) -> str:
    """A signed token confirming this offer, valid for LINK_VALID from now."""
    return _serializer(settings).dumps({"offer": offer_id})


def check_link_token(settings: Settings, offer_id: int, token: str) -> None:
    """Raise LinkError unless `token` is a live link for this offer."""
    if len(token) > MAX_TOKEN:
        raise LinkError(expired=False)
    try:
        data = _serializer(settings).loads(token, max_age=int(LINK_VALID.total_seconds()))
    except SignatureExpired:
        raise LinkError(expired=True) from None
    except BadSignature:
        raise LinkError(expired=False) from None
    if not isinstance(data, dict) or data.get("offer") != offer_id:
        raise LinkError(expired=False)


def confirm_by_link(session: Session, settings: Settings, offer: Offer, token: str) -> None:
    """The provider followed the mail's link and confirmed: verified today."""
    check_link_token(settings, offer.id, token)
    workflow.confirm_accurate(session, offer, actor_id=None)


def offers_to_remind(session: Session, today: date) -> list[Offer]:
    """Published offers last known true more than 11 months ago."""
    query = (
        select(Offer)
        .where(Offer.status == "published", unconfirmed_for(REMIND_AFTER, today))
        .order_by(Offer.id)
    )
    return list(session.scalars(query))


def recipients(session: Session, organization: Organization) -> list[Recipient]:
    """The organisation's active provider accounts, each in its language; without any,
    the organisation's public address, in French."""
    members = session.scalars(
        select(UserAccount)
        .join(OrganizationMember, OrganizationMember.user_id == UserAccount.id)
        .where(
            OrganizationMember.organization_id == organization.id,
            UserAccount.is_active.is_(True),
        )
        .order_by(UserAccount.id)
    )
    found = [Recipient(user.email, user.locale, f"user{user.id}") for user in members]
    if not found and organization.email:
        found.append(Recipient(organization.email, "fr", "organization"))
    return found
