"""Staff pages over people and history: accounts and roles, bulk import, the audit log."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Query, Request
from fastapi.responses import Response
from starlette.datastructures import UploadFile

from passerelle.accounts.models import ROLES, STAFF_ROLES, UserAccount
from passerelle.accounts.web import flash, page
from passerelle.deps import FormDep, LocaleDep, SessionDep, StaffUser
from passerelle.i18n import N_
from passerelle.staff import importer, queries, users
from passerelle.staff.views import PageNumber, back, paging, staff_router, text_field
from passerelle.web.form_data import NO_CONTROLS_PATTERN
from passerelle.web.pages import RecordId

router = staff_router()
AUDITED_ENTITIES = ("offer", "organization", "user", "import")
ENTITY_LABELS = {
    "offer": N_("Offers"),
    "organization": N_("Organisations"),
    "user": N_("Accounts"),
    "import": N_("Imports"),
}
ROLE_LABELS = {
    "entrepreneur": N_("Entrepreneur"),
    "provider": N_("Provider"),
    "staff": N_("Staff"),
    "admin": N_("Administrator"),
}
ACTIVATED = N_("The account is active again.")
DEACTIVATED = N_("The account is deactivated: it can no longer sign in.")


def grantable_roles(actor: UserAccount, user: UserAccount) -> tuple[str, ...]:
    """The roles `actor` may give `user` (none when `user` is out of reach)."""
    if actor.role == "admin":
        return ROLES if user.id != actor.id else ()
    if user.role in STAFF_ROLES:
        return ()
    return tuple(role for role in ROLES if role not in STAFF_ROLES)


@router.get("/users", name="staff_users")
def user_list(
    request: Request,
    user: StaffUser,
    session: SessionDep,
    locale: LocaleDep,
    q: Annotated[str, Query(max_length=200, pattern=NO_CONTROLS_PATTERN)] = "",
    role: Annotated[Literal[ROLES] | Literal[""], Query()] = "",
    page_number: Annotated[PageNumber, Query(alias="page")] = 1,
) -> Response:
    listing = queries.users(session, search=q, role=role or None, page=page_number)
    context = {
        "listing": listing,
        "pages": paging(request, listing),
        "q": q,
        "role": role,
        "roles": ROLES,
        "role_labels": ROLE_LABELS,
        "actor": user,
        "grantable": {account.id: grantable_roles(user, account) for account in listing.rows},
    }
    return page(request, "staff/users.html", context, locale=locale)


@router.post("/users/{user_id}/role", name="staff_change_role")
def change_role(
    request: Request, user_id: RecordId, user: StaffUser, data: FormDep, session: SessionDep
) -> Response:
    account = users.get_user(session, user_id)
    try:
        users.change_role(session, user, account, text_field(data, "role"))
    except users.RoleChangeRefused as exc:
        flash(request, exc.detail)
    else:
        flash(request, N_("The role has been changed."))
    return back(request, data, "staff_users")


@router.post("/users/{user_id}/active", name="staff_set_active")
def set_active(
    request: Request, user_id: RecordId, user: StaffUser, data: FormDep, session: SessionDep
) -> Response:
    account = users.get_user(session, user_id)
    active = data.get("active") == "1"
    try:
        users.set_active(session, user, account, active)
    except users.RoleChangeRefused as exc:
        flash(request, exc.detail)
    else:
        flash(request, ACTIVATED if active else DEACTIVATED)
    return back(request, data, "staff_users")


def _import_page(request, locale, *, outcome=None, choices=None, status=200) -> Response:
    context = {
        "outcome": outcome or importer.ImportOutcome(),
        "choices": choices or {"status": "pending", "skip_invalid": False},
        "statuses": importer.STATUSES,
        "max_megabytes": importer.MAX_UPLOAD_BYTES // 1_000_000,
    }
    return page(request, "staff/import.html", context, locale=locale, status_code=status)


@router.get("/import", name="staff_import")
def import_form(request: Request, user: StaffUser, locale: LocaleDep) -> Response:
    return _import_page(request, locale)


@router.post("/import")
def import_upload(
    request: Request, user: StaffUser, data: FormDep, session: SessionDep, locale: LocaleDep
) -> Response:
    """Import the uploaded file and show its report: every error by row, field and value.

    Synchronous, so that FastAPI runs it in a thread: reading the upload, seconds of
    checking and writing, and a report of thousands of rows stay off the event loop.
    """
    upload = data.get("file")
    status = data.get("status")
    choices = {
        "status": status if status in importer.STATUSES else "pending",
        "skip_invalid": data.get("skip_invalid") == "1",
    }
    if not isinstance(upload, UploadFile) or not upload.filename:
        outcome = importer.ImportOutcome(problem=importer.NO_FILE)
    else:
        content = upload.file.read(importer.MAX_UPLOAD_BYTES + 1)
        outcome = importer.run_import(
            session, upload.filename, content, actor_id=user.id, **choices
        )
    code = 200 if outcome.report and outcome.report.applied else 400
    return _import_page(request, locale, outcome=outcome, choices=choices, status=code)


@router.get("/audit", name="staff_audit")
def audit_log(
    request: Request,
    user: StaffUser,
    session: SessionDep,
    locale: LocaleDep,
    entity: Annotated[Literal[AUDITED_ENTITIES] | Literal[""], Query()] = "",
    action: Annotated[str, Query(max_length=30, pattern=NO_CONTROLS_PATTERN)] = "",
    page_number: Annotated[PageNumber, Query(alias="page")] = 1,
) -> Response:
    listing = queries.audit_entries(
        session, entity=entity or None, action=action or None, page=page_number
    )
    context = {
        "listing": listing,
        "pages": paging(request, listing),
        "entity": entity,
        "action": action,
        "entities": AUDITED_ENTITIES,
        "entity_labels": ENTITY_LABELS,
        "actions": queries.audit_actions(session),
    }
    return page(request, "staff/audit.html", context, locale=locale)
