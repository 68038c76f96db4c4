"""The signed session cookie (Starlette's SessionMiddleware) and the CSRF token it carries.

The cookie holds the account id and its session version: raising the version in the
database (new password, "sign out everywhere") makes every older cookie worthless.
"""

from __future__ import annotations

import hmac
import secrets

from fastapi import FastAPI, Request
from sqlmodel import Session
from starlette.middleware.sessions import SessionMiddleware

from passerelle.accounts.errors import CsrfError
from passerelle.accounts.models import UserAccount
from passerelle.settings import Settings

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


def log_in(request: Request, user: UserAccount) -> None:
    """Start a fresh session for `user` (a new CSRF token too)."""
    data = session_data(request)
    data.clear()
    data.update(
        uid=user.id,
        ver=user.session_version,
        name=user.display_name,
        role=user.role,
        csrf=secrets.token_urlsafe(32),
    )


def refresh(request: Request, user: UserAccount) -> None:
    """Keep this session valid after the account changed (new password, new name)."""
    data = session_data(request)
    data.update(ver=user.session_version, name=user.display_name, role=user.role)


def log_out(request: Request) -> None:
    session_data(request).clear()


def session_user(session: Session, request: Request) -> UserAccount | None:
    """The signed-in account, if the cookie names an active account at its current version."""
    data = session_data(request)
    user_id, version = data.get("uid"), data.get("ver")
    if not isinstance(user_id, int) or not isinstance(version, int):
        return None
    user = session.get(UserAccount, user_id)
    if user is None or not user.is_active or user.session_version != version:
        data.clear()
        return None
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
        sent = (await request.form()).get(CSRF_FIELD)
    if not expected or not isinstance(sent, str) or not hmac.compare_digest(sent, expected):
        raise CsrfError()
