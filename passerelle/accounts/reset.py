"""Password reset by an e-mailed link: single use, valid one hour, only its hash stored."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import select, update
from sqlmodel import Session

from passerelle.accounts import ratelimit
from passerelle.accounts.errors import NotFoundError
from passerelle.accounts.models import PasswordResetToken, UserAccount
from passerelle.accounts.service import get_by_email, set_password
from services_catalog.models import utcnow

TOKEN_LIFETIME = timedelta(hours=1)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def request_reset(session: Session, email: str, *, address: str) -> tuple[UserAccount, str] | None:
    """A fresh token for the active account with this address (None when there is none).

    The caller mails the token; the answer to the visitor must not say whether an
    account exists, so both cases count against the mail limits (TooManyAttemptsError)
    and make a token; only a known account's is stored.
    """
    ratelimit.hit_mail(session, recipient=email, address=address)
    token = secrets.token_urlsafe(32)
    record = PasswordResetToken(token_hash=_digest(token), expires_at=utcnow() + TOKEN_LIFETIME)
    user = get_by_email(session, email)
    if user is None or not user.is_active:
        return None
    record.user_id = user.id
    session.add(record)
    session.flush()
    return user, token


def valid_token(session: Session, token: str) -> PasswordResetToken:
    """The unused, unexpired token record for `token`, or NotFoundError."""
    if len(token) > 100:
        raise NotFoundError()
    found = session.scalar(
        select(PasswordResetToken).where(PasswordResetToken.token_hash == _digest(token))
    )
    if found is None or found.used_at is not None or found.expires_at <= utcnow():
        raise NotFoundError()
    return found


def redeem(session: Session, token: str, password: str) -> UserAccount:
    """Set the new password, use up every outstanding token of the account, sign it out
    (FormError, the token unused, when the password is weak)."""
    record = valid_token(session, token)
    user = session.get(UserAccount, record.user_id)
    if user is None:
        raise NotFoundError()
    set_password(session, user, password)  # FormError for a weak one: the link stays valid
    session.execute(
        update(PasswordResetToken)
        .where(PasswordResetToken.user_id == user.id, PasswordResetToken.used_at.is_(None))
        .values(used_at=utcnow())
    )
    return user
