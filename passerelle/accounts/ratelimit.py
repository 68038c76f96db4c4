"""Rate limits: sign-in attempts and the mails a visitor can have sent, counted in the database.

Each hit is one INSERT ... ON CONFLICT DO UPDATE ... RETURNING, so parallel requests (in
any process, on any machine) each see their own count and none slips past the limit. The
hit commits on a connection of its own: it counts whatever becomes of the request, and
holds its row lock only for that statement; so does taking a hit back. Call them before
the request writes anything (SQLite has one writer at a time).
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, case, delete
from sqlmodel import Session

from passerelle.accounts.errors import TooManyAttemptsError
from passerelle.accounts.models import RateCounter
from passerelle.db import upsert_insert
from passerelle.i18n import N_
from services_catalog.models import utcnow

TOO_MANY_FAILURES = N_("Too many failed attempts. Please wait %(minutes)s minutes.")
TOO_MANY_REQUESTS = N_("Too many requests. Please wait %(minutes)s minutes.")
# No window is longer: counters older than this are deleted.
LONGEST_WINDOW = timedelta(days=1)


@dataclass(frozen=True)
class Limit:
    """At most `limit` hits per `window` for one key; `message` is shown past it."""

    name: str
    limit: int
    window: timedelta
    message: str = TOO_MANY_REQUESTS


# Sign-in failures (a successful sign-in takes its own hit back, and forgives the account's
# failures from its address): guessing one account's password from one address (the
# owner, elsewhere, is not held up), and trying many accounts from one address (password
# spraying), where many people behind one router, a campus or a cyber café, still sign in.
LOGIN_PER_ACCOUNT_AND_ADDRESS = Limit("login-pair", 5, timedelta(minutes=15), TOO_MANY_FAILURES)
LOGIN_PER_ADDRESS = Limit("login-address", 20, timedelta(minutes=15), TOO_MANY_FAILURES)
# Sign-up and reset mails: asked for from one address; sent to one recipient at the request
# of one address, so that others asking for it do not use up the owner's own resets; and
# sent to one recipient in all, so that many addresses together cannot flood a mailbox.
MAIL_PER_ADDRESS = Limit("mail-address", 10, timedelta(hours=1))
MAIL_PER_RECIPIENT_AND_ADDRESS = Limit("mail-pair", 3, timedelta(hours=1))
MAIL_PER_RECIPIENT = Limit("mail-recipient", 20, LONGEST_WINDOW)
# Interest requests (each mails a provider's members): from one address, and from one
# account to one organisation.
INTEREST_PER_ADDRESS = Limit("interest-address", 10, timedelta(hours=1))
INTEREST_PER_SENDER_AND_ORGANIZATION = Limit("interest-pair", 3, LONGEST_WINDOW)


def hit_mail(session: Session, *, recipient: str, address: str) -> None:
    """Count a sign-up or reset mail to `recipient` asked for from `address`."""
    hit(session, MAIL_PER_ADDRESS, address)
    hit(session, MAIL_PER_RECIPIENT_AND_ADDRESS, recipient, address)
    hit(session, MAIL_PER_RECIPIENT, recipient)


def _key(limit: Limit, parts: tuple[object, ...]) -> str:
    text = "\0".join([limit.name, *(str(part) for part in parts)])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _upsert(engine: Engine, key: str, now: datetime, window: timedelta):
    """One statement adding a hit to the key's counter, restarting it once its window is over."""
    table = RateCounter.__table__
    statement = upsert_insert(engine, table).values(key=key, window_start=now, count=1)
    expired = table.c.window_start <= now - window
    return statement.on_conflict_do_update(
        index_elements=[table.c.key],
        set_={
            "count": case((expired, 1), else_=table.c.count + 1),
            "window_start": case((expired, now), else_=table.c.window_start),
        },
    ).returning(table.c.count, table.c.window_start)


def hit(session: Session, limit: Limit, *parts: object, now: datetime | None = None) -> datetime:
    """Count one more hit on `parts` (say, an address); TooManyAttemptsError past the limit.

    Returns the start of the window it was counted in, for `take_back`."""
    now = now or utcnow()
    engine = session.get_bind().engine
    with engine.begin() as connection:
        statement = _upsert(engine, _key(limit, parts), now, limit.window)
        count, window_start = connection.execute(statement).one()
        if count == 1:  # a new window: a good moment to forget the finished ones
            connection.execute(
                delete(RateCounter).where(RateCounter.window_start < now - LONGEST_WINDOW)
            )
    if count > limit.limit:
        wait = (window_start + limit.window - now).total_seconds()
        raise TooManyAttemptsError(max(1, math.ceil(wait / 60)), limit.message)
    return window_start


def take_back(session: Session, limit: Limit, *parts: object, window_start: datetime) -> None:
    """Uncount a hit on `parts` that turned out not to count (a sign-in that succeeded),
    unless its window, started at `window_start`, is over."""
    table = RateCounter.__table__
    with session.get_bind().engine.begin() as connection:
        connection.execute(
            table.update()
            .where(
                table.c.key == _key(limit, parts),
                table.c.window_start == window_start,
                table.c.count > 0,
            )
            .values(count=table.c.count - 1)
        )


def forget(session: Session, limit: Limit, *parts: object) -> None:
    """Clear the counter of `parts` (a successful sign-in forgives the earlier failures)."""
    session.execute(delete(RateCounter).where(RateCounter.key == _key(limit, parts)))
