"""The staff page of outgoing mail: what waits, what failed and why, and sending again."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import Response

from passerelle.accounts.web import flash, page, redirect
from passerelle.deps import LocaleDep, SessionDep, StaffUser
from passerelle.i18n import N_
from passerelle.outbox import service
from passerelle.outbox.models import MAIL_STATUSES
from passerelle.staff.views import staff_router
from passerelle.web.pages import RecordId

router = staff_router()
STATUS_LABELS = {
    "pending": N_("Waiting to be sent"),
    "sending": N_("Being sent"),
    "sent": N_("Sent"),
    "failed": N_("Failed"),
}


@router.get("/mail", name="staff_mail")
def outgoing_mail(
    request: Request, user: StaffUser, session: SessionDep, locale: LocaleDep
) -> Response:
    depth = service.outbox_depth(session)
    context = {
        "depth": [
            (status, STATUS_LABELS[status], depth.get(status, 0)) for status in MAIL_STATUSES
        ],
        "oldest_waiting": service.oldest_waiting(session),
        "failed": service.failed_mails(session),
    }
    return page(request, "staff/mail.html", context, locale=locale)


@router.post("/mail/{mail_id}/retry", name="staff_retry_mail")
def retry_mail(
    request: Request, mail_id: RecordId, user: StaffUser, session: SessionDep
) -> Response:
    service.retry_mail(session, mail_id)
    flash(request, N_("The mail will be sent again in a moment."))
    return redirect(request, "staff_mail")
