"""Staff changes to accounts: roles and deactivation, each recorded in the audit log.

Only an admin grants or takes away the staff and admin roles, and nobody takes away their
own admin role (so an admin always remains). Deactivating signs the account out everywhere.
"""

from __future__ import annotations

from sqlmodel import Session

from passerelle.accounts.errors import AccountError, NotFoundError
from passerelle.accounts.models import ROLES, STAFF_ROLES, UserAccount
from passerelle.accounts.sessions import end_all_sessions
from passerelle.i18n import N_
from services_catalog import workflow


class RoleChangeRefused(AccountError):
    status_code = 403


def get_user(session: Session, user_id: int) -> UserAccount:
    user = session.get(UserAccount, user_id)
    if user is None:
        raise NotFoundError()
    return user


def change_role(session: Session, actor: UserAccount, user: UserAccount, role: str) -> None:
    """Give `user` another role, if `actor` may."""
    if role not in ROLES:
        raise RoleChangeRefused(N_("This role does not exist."))
    if role == user.role:
        return
    if actor.role != "admin" and (role in STAFF_ROLES or user.role in STAFF_ROLES):
        raise RoleChangeRefused(N_("Only an administrator can grant or remove a staff role."))
    if user.id == actor.id and actor.role == "admin":
        raise RoleChangeRefused(N_("You cannot remove your own administrator role."))
    _change(session, actor, user, "change_role", "role", role)


def set_active(session: Session, actor: UserAccount, user: UserAccount, active: bool) -> None:
    """Deactivate (signing out everywhere) or reactivate an account."""
    if user.is_active == active:
        return
    if user.id == actor.id:
        raise RoleChangeRefused(N_("You cannot deactivate your own account."))
    if actor.role != "admin" and user.role in STAFF_ROLES:
        raise RoleChangeRefused(N_("Only an administrator can deactivate a staff account."))
    _change(session, actor, user, "activate" if active else "deactivate", "is_active", active)


def _change(
    session: Session, actor: UserAccount, user: UserAccount, action: str, field: str, value
) -> None:
    """Set one field of the account, record it in the audit log and sign the account out
    everywhere (open sessions carry the old value)."""
    workflow.audit(
        session,
        actor_id=actor.id,
        entity="user",
        entity_id=user.id,
        action=action,
        before={field: getattr(user, field)},
        after={field: value},
        note=user.email,
    )
    setattr(user, field, value)
    end_all_sessions(session, user)
    session.flush()
