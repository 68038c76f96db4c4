"""The page a freshness mail's "still accurate" link opens: GET asks, POST confirms.

No sign-in: the signed link is the provider's proof. Nothing changes on GET, so that a
mail scanner or a link preview opening the link confirms nothing.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from passerelle.deps import CsrfChecked, FormDep, LocaleDep, SessionDep, SettingsDep
from passerelle.freshness import service
from passerelle.web.pages import RecordId
from passerelle.web.templating import render
from services_catalog import service as catalogue
from services_catalog.models import Offer

router = APIRouter(include_in_schema=False, dependencies=[CsrfChecked])


def _page(
    request: Request, locale: str, offer: Offer, state: str, token: str = "", status: int = 200
) -> Response:
    """The page in one of its states: "ask", "done", "expired" or "invalid"."""
    context = {"offer": offer, "state": state, "token": token}
    return render(
        request, "provider/still_accurate.html", context, locale=locale, status_code=status
    )


def _refused(request: Request, locale: str, offer: Offer, error: service.LinkError) -> Response:
    return _page(request, locale, offer, "expired" if error.expired else "invalid", status=400)


@router.get("/offers/{offer_id}/still-accurate", name="still_accurate")
def still_accurate_form(
    request: Request,
    offer_id: RecordId,
    session: SessionDep,
    settings: SettingsDep,
    locale: LocaleDep,
    token: str = "",
) -> Response:
    offer = catalogue.get_offer(session, offer_id)
    try:
        service.check_link_token(settings, offer_id, token)
    except service.LinkError as error:
        return _refused(request, locale, offer, error)
    return _page(request, locale, offer, "ask", token)


@router.post("/offers/{offer_id}/still-accurate", name="confirm_still_accurate")
def confirm_still_accurate(
    request: Request,
    offer_id: RecordId,
    data: FormDep,
    session: SessionDep,
    settings: SettingsDep,
    locale: LocaleDep,
) -> Response:
    offer = catalogue.get_offer(session, offer_id)
    token = data.get("token")
    try:
        service.confirm_by_link(session, settings, offer, token if isinstance(token, str) else "")
    except service.LinkError as error:
        return _refused(request, locale, offer, error)
    return _page(request, locale, offer, "done")
