"""The sign-in rate limit: failures per client address and per account, in the database.

Kept in a table rather than in memory so that every process serving the site shares it.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlmodel import Session

from passerelle.accounts.errors import TooManyAttemptsError
from passerelle.accounts.models import LoginAttempt
from services_catalog.models import utcnow

WINDOW = timedelta(minutes=15)
MAX_FAILURES = 5


def check_allowed(session: Session, *, email: str, address: str, now: datetime | None = None):
    """Raise TooManyAttemptsError while the address or the account has too many failures."""
    now = now or utcnow()
    since = now - WINDOW
    for column, value in ((LoginAttempt.address, address), (LoginAttempt.email, email)):
        count, oldest = session.execute(
            select(func.count(), func.min(LoginAttempt.created_at)).where(
                column == value, LoginAttempt.created_at > since
            )
        ).one()
        if count >= MAX_FAILURES:
            wait = (oldest + WINDOW - now).total_seconds() if oldest else WINDOW.total_seconds()
            raise TooManyAttemptsError(max(1, math.ceil(wait / 60)))


def record_failure(session: Session, *, email: str, address: str) -> None:
    """Count a failed sign-in, and forget the failures too old to count."""
    now = utcnow()
    session.execute(delete(LoginAttempt).where(LoginAttempt.created_at <= now - WINDOW))
    session.add(LoginAttempt(email=email, address=address, created_at=now))
    session.flush()


def forget_account(session: Session, email: str) -> None:
    """After a successful sign-in the account's earlier failures no longer count."""
    session.execute(delete(LoginAttempt).where(LoginAttempt.email == email))
