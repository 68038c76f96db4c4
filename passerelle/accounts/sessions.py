"""The signed session cookie (Starlette's SessionMiddleware) and the CSRF token it carries.

The cookie holds a random session secret; the database keeps its SHA-256 in
`account_session`. Deleting that row (log out, new password, "sign out everywhere",
account deleted) makes the cookie worthless in every process, even replayed.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from fastapi import FastAPI, Request
from sqlalchemy import delete, select
from sqlmodel import Session
from starlette.middleware.sessions import SessionMiddleware

from passerelle.accounts.errors import CsrfError
from passerelle.accounts.models import AccountSession, UserAccount
from passerelle.settings import Settings
from passerelle.web.form_data import read_form
from services_catalog.models import utcnow

COOKIE_NAME = "passerelle_session"
COOKIE_AGE = 14 * 24 * 3600
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def install_sessions(app: FastAPI, settings: Settings) -> None:
    """Signed, HttpOnly, SameSite=Lax cookies; Secure in production."""
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key.get_secret_value(),
        session_cookie=COOKIE_NAME,
        max_age=COOKIE_AGE,
        same_site="lax",
        https_only=settings.environment == "production",
    )


def session_data(request: Request) -> dict:
    """The session's content; empty where no session middleware runs."""
    return request.scope.get("session") if "session" in request.scope else {}


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def log_in(request: Request, session: Session, user: UserAccount) -> None:
    """Start a fresh session for `user` (a new secret and CSRF token), ending this
    browser's previous one."""
    log_out(request, session)
    secret = secrets.token_urlsafe(32)
    # Sessions live COOKIE_AGE from their start however active: older rows go here.
    session.execute(delete(AccountSession).where(AccountSession.created_at < _oldest_start()))
    session.add(AccountSession(id=_digest(secret), user_id=user.id))
    session.flush()
    session_data(request).update(
        sid=secret,
        uid=user.id,  # for pages and helpers; trusted only once `session_user` checked `sid`
        name=user.display_name,
        role=user.role,
        csrf=secrets.token_urlsafe(32),
    )


def refresh(request: Request, user: UserAccount) -> None:
    """Show the account's new name and role in this session."""
    session_data(request).update(name=user.display_name, role=user.role)


def log_out(request: Request, session: Session) -> None:
    """End this browser's session, in the database as well as in its cookie."""
    data = session_data(request)
    if isinstance(data.get("sid"), str):
        session.execute(delete(AccountSession).where(AccountSession.id == _digest(data["sid"])))
    data.clear()


def end_all_sessions(session: Session, user: UserAccount) -> None:
    """Sign the account out on every browser."""
    session.execute(delete(AccountSession).where(AccountSession.user_id == user.id))


def _oldest_start():
    return utcnow() - timedelta(seconds=COOKIE_AGE)


def session_user(session: Session, request: Request) -> UserAccount | None:
    """The signed-in account, if the cookie's session is still open and its account active."""
    data = session_data(request)
    secret = data.get("sid")
    if not isinstance(secret, str):
        return None
    user = session.scalar(
        select(UserAccount)
        .join(AccountSession, AccountSession.user_id == UserAccount.id)
        .where(
            AccountSession.id == _digest(secret),
            AccountSession.created_at >= _oldest_start(),
            UserAccount.is_active,
        )
    )
    if user is None:
        data.clear()
    return user


def csrf_token(request: Request) -> str:
    """The session's CSRF token, made on first use."""
    data = session_data(request)
    if not data.get("csrf"):
        data["csrf"] = secrets.token_urlsafe(32)
    return data["csrf"]


async def verify_csrf(request: Request) -> None:
    """Refuse an unsafe request whose form field (or header) lacks the session's token."""
    if request.method not in UNSAFE_METHODS:
        return
    expected = session_data(request).get("csrf")
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and "form" in request.headers.get("content-type", ""):
        sent = (await read_form(request)).get(CSRF_FIELD)
    if not expected or not isinstance(sent, str) or not hmac.compare_digest(sent, expected):
        raise CsrfError()
