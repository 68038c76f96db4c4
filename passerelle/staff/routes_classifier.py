"""Staff retrain the classifier on the catalogue as it is now."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import Response

from passerelle.accounts.web import flash, redirect
from passerelle.deps import ClassifierStoreDep, SessionDep, StaffUser
from passerelle.i18n import N_
from passerelle.staff.views import staff_router

router = staff_router()


@router.post("/classifier/retrain", name="staff_retrain_classifier")
def retrain(
    request: Request, user: StaffUser, session: SessionDep, store: ClassifierStoreDep
) -> Response:
    store.retrain(session, trained_by=f"staff account {user.id}")
    flash(request, N_("The classifier has been retrained on the published catalogue."))
    return redirect(request, "staff_home")
