"""Account use cases: sign up, sign in, profile, password, sign out everywhere, deletion.

Services flush; the request (or command) that called them commits.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session

from passerelle.accounts import ratelimit, tokens
from passerelle.accounts.errors import FormError
from passerelle.accounts.models import UserAccount
from passerelle.accounts.password_rules import personal_words, weakness
from passerelle.accounts.passwords import hash_password, needs_rehash, verify_password
from passerelle.accounts.schemas import PasswordChange, ProfileUpdate, SignupIn
from passerelle.accounts.sessions import end_all_sessions
from passerelle.db import upsert_insert
from passerelle.i18n import N_
from passerelle.outbox.service import forget_recipient
from services_catalog.models import utcnow
from services_catalog.workflow import redact_audit_notes

WRONG_CREDENTIALS = N_("Wrong e-mail address or password.")
# What audit notes say instead of a deleted account's e-mail address.
DELETED_ACCOUNT = "[deleted account]"


def get_by_email(session: Session, email: str) -> UserAccount | None:
    return session.scalar(select(UserAccount).where(UserAccount.email == email.strip().lower()))


def check_new_password(password: str, *, email: str, display_name: str, field: str) -> None:
    """FormError on `field` when the password is common, guessable or built from the
    person's own name or address."""
    problem = weakness(password, personal_words(display_name, email))
    if problem is not None:
        raise FormError(field, problem)


def _insert_user(session: Session, data: SignupIn, role: str) -> UserAccount | None:
    """Insert the account unless its address is taken, even by a request racing this one."""
    table = UserAccount.__table__
    statement = (
        upsert_insert(session.get_bind(), table)
        .values(
            email=data.email,
            display_name=data.display_name,
            password_hash=hash_password(data.password),
            role=role,
            locale=data.locale,
            is_active=True,
            created_at=utcnow(),
        )
        .on_conflict_do_nothing(index_elements=[table.c.email])
        .returning(table.c.id)
    )
    user_id = session.execute(statement).scalar()
    return None if user_id is None else session.get(UserAccount, user_id)


def create_user(
    session: Session, data: SignupIn, *, role: str = "entrepreneur"
) -> UserAccount | None:
    """A new account, or None when the address is taken; FormError for a weak password."""
    check_new_password(
        data.password, email=data.email, display_name=data.display_name, field="password"
    )
    return _insert_user(session, data, role)


def sign_up(
    session: Session, data: SignupIn, *, role: str, address: str
) -> tuple[UserAccount | None, bool]:
    """The account using `data.email` (None if deleted meanwhile), and whether this sign-up
    made it.

    The caller mails the address either way and answers the same, so that sign-up does not
    tell who has an account: TooManyAttemptsError past the mail limits, FormError for a
    weak password.
    """
    check_new_password(
        data.password, email=data.email, display_name=data.display_name, field="password"
    )
    ratelimit.hit_mail(session, recipient=data.email, address=address)
    user = _insert_user(session, data, role)
    if user is not None:
        return user, True
    return get_by_email(session, data.email), False


def authenticate(session: Session, *, email: str, password: str, address: str) -> UserAccount:
    """The account these credentials open, or FormError.

    Only failures count towards the limits, for this account from this address (the
    owner elsewhere still signs in) and for this address on any account (many people may
    sign in from one address, behind one router). Each attempt is counted before the
    password is checked, so parallel guesses cannot outrun the limit
    (TooManyAttemptsError past it, the password unchecked), and uncounted once it succeeds.
    """
    email = email.strip().lower()
    window = ratelimit.hit(session, ratelimit.LOGIN_PER_ADDRESS, address)
    ratelimit.hit(session, ratelimit.LOGIN_PER_ACCOUNT_AND_ADDRESS, email, address)
    user = get_by_email(session, email)
    valid = verify_password(user.password_hash if user else None, password)
    if user is None or not valid or not user.is_active:
        raise FormError("password", WRONG_CREDENTIALS)
    ratelimit.take_back(session, ratelimit.LOGIN_PER_ADDRESS, address, window_start=window)
    ratelimit.forget(session, ratelimit.LOGIN_PER_ACCOUNT_AND_ADDRESS, email, address)
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    session.flush()
    return user


def update_profile(session: Session, user: UserAccount, data: ProfileUpdate) -> UserAccount:
    user.display_name = data.display_name
    user.locale = data.locale
    session.add(user)
    session.flush()
    return user


def set_password(
    session: Session, user: UserAccount, password: str, *, field: str = "password"
) -> None:
    """A new password (FormError on `field` when weak) signs every existing session out
    and revokes the account's API tokens: whoever had the old password may have made one."""
    check_new_password(password, email=user.email, display_name=user.display_name, field=field)
    user.password_hash = hash_password(password)
    session.add(user)
    tokens.revoke_all(session, user)
    end_all_sessions(session, user)
    session.flush()


def change_password(session: Session, user: UserAccount, data: PasswordChange) -> None:
    if not verify_password(user.password_hash, data.current_password):
        raise FormError("current_password", N_("This is not your current password."))
    set_password(session, user, data.new_password, field="new_password")


def sign_out_everywhere(session: Session, user: UserAccount) -> None:
    end_all_sessions(session, user)
    session.flush()


def delete_account(session: Session, user: UserAccount, password: str) -> None:
    """Delete the account and everything it owns, once its password is confirmed."""
    if not verify_password(user.password_hash, password):
        raise FormError("password", N_("This is not your current password."))
    redact_audit_notes(session, user.email, DELETED_ACCOUNT)
    forget_recipient(session, user.email)
    session.delete(user)
    session.flush()
