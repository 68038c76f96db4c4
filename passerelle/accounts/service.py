"""Account use cases: sign up, sign in, profile, password, sign out everywhere, deletion.

Services flush; the request (or command) that called them commits.
"""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlmodel import Session

from passerelle.accounts import ratelimit
from passerelle.accounts.errors import FormError
from passerelle.accounts.models import LoginAttempt, UserAccount
from passerelle.accounts.passwords import hash_password, needs_rehash, verify_password
from passerelle.accounts.schemas import PasswordChange, ProfileUpdate, SignupIn
from passerelle.accounts.sessions import end_all_sessions
from passerelle.i18n import N_

WRONG_CREDENTIALS = N_("Wrong e-mail address or password.")


def get_by_email(session: Session, email: str) -> UserAccount | None:
    return session.scalar(select(UserAccount).where(UserAccount.email == email.strip().lower()))


def create_user(session: Session, data: SignupIn, *, role: str = "entrepreneur") -> UserAccount:
    """A new account; FormError on the e-mail field when the address is taken."""
    if get_by_email(session, data.email) is not None:
        raise FormError("email", N_("An account already uses this e-mail address."))
    user = UserAccount(
        email=data.email,
        display_name=data.display_name,
        password_hash=hash_password(data.password),
        role=role,
        locale=data.locale,
    )
    session.add(user)
    session.flush()
    return user


def authenticate(session: Session, *, email: str, password: str, address: str) -> UserAccount:
    """The account these credentials open, or FormError (the failure is recorded first).

    TooManyAttemptsError while the address or the account is over the rate limit.
    The caller must commit even on FormError, so that the failure counts.
    """
    email = email.strip().lower()
    ratelimit.check_allowed(session, email=email, address=address)
    user = get_by_email(session, email)
    valid = verify_password(user.password_hash if user else None, password)
    if user is None or not valid or not user.is_active:
        ratelimit.record_failure(session, email=email, address=address)
        raise FormError("password", WRONG_CREDENTIALS)
    ratelimit.forget_account(session, email)
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


def set_password(session: Session, user: UserAccount, password: str) -> None:
    """A new password signs every existing session out."""
    user.password_hash = hash_password(password)
    session.add(user)
    end_all_sessions(session, user)
    session.flush()


def change_password(session: Session, user: UserAccount, data: PasswordChange) -> None:
    if not verify_password(user.password_hash, data.current_password):
        raise FormError("current_password", N_("This is not your current password."))
    set_password(session, user, data.new_password)


def sign_out_everywhere(session: Session, user: UserAccount) -> None:
    end_all_sessions(session, user)
    session.flush()


def delete_account(session: Session, user: UserAccount, password: str) -> None:
    """Delete the account and everything it owns, once its password is confirmed."""
    if not verify_password(user.password_hash, password):
        raise FormError("password", N_("This is not your current password."))
    session.execute(delete(LoginAttempt).where(LoginAttempt.email == user.email))
    session.delete(user)
    session.flush()
