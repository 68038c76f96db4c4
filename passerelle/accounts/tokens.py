"""Personal API tokens: made on the account page, shown once, stored as a SHA-256 hash.

A token authenticates `Authorization: Bearer <token>` calls to the API on behalf of its
account, with that account's role. Services flush; the request scope commits.
"""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select, update
from sqlmodel import Session

from passerelle.accounts.errors import FormError, NotFoundError
from passerelle.accounts.models import ApiToken, UserAccount
from passerelle.i18n import N_
from services_catalog.models import utcnow

# "pst_" tells a leaked secret apart from other random strings (secret scanners, logs).
TOKEN_PREFIX = "pst_"
MAX_NAME_LENGTH = 100


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def create_token(session: Session, user: UserAccount, name: str) -> tuple[ApiToken, str]:
    """A new token for `user` and its secret, which is never stored and shown only once."""
    name = name.strip()
    if not name or len(name) > MAX_NAME_LENGTH:
        raise FormError("name", N_("Give the token a name of 1 to 100 characters."))
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name, token_hash=token_hash(secret))
    session.add(token)
    session.flush()
    return token, secret


def list_tokens(session: Session, user: UserAccount, *, revoked: bool = False) -> list[ApiToken]:
    """The account's tokens still in use (and the revoked ones with `revoked`), newest first."""
    query = (
        select(ApiToken)
        .where(ApiToken.user_id == user.id)
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    )
    if not revoked:
        query = query.where(ApiToken.revoked_at.is_(None))
    return list(session.scalars(query))


def revoke_token(session: Session, user: UserAccount, token_id: int) -> ApiToken:
    """Stop a token of this account from working; someone else's token is not found."""
    token = session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id or token.revoked_at is not None:
        raise NotFoundError()
    token.revoked_at = utcnow()
    session.flush()
    return token


def revoke_all(session: Session, user: UserAccount) -> None:
    """Stop every token of the account from working (its password changed)."""
    session.execute(
        update(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
        .execution_options(synchronize_session=False)
    )


def authenticate_token(session: Session, secret: str) -> UserAccount | None:
    """The active account a live token belongs to (its use is recorded), or None."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == token_hash(secret)))
    if token is None or token.revoked_at is not None:
        return None
    user = session.get(UserAccount, token.user_id)
    if user is None or not user.is_active:
        return None
    token.last_used_at = utcnow()
    session.flush()
    return user
