"""The alert pages: save a search from the browse page, "My alerts", and the one-click
unsubscribe page that a mail's link opens without signing in."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response
from sqlmodel import Session
from starlette.datastructures import QueryParams

from passerelle.accounts.errors import FormError
from passerelle.accounts.forms import Form
from passerelle.accounts.web import flash, page, redirect
from passerelle.alerts import service
from passerelle.alerts.mailing import UNSUBSCRIBE_PATH
from passerelle.alerts.models import FREQUENCIES, Alert
from passerelle.deps import (
    CsrfChecked,
    EntrepreneurUser,
    FormDep,
    LocaleDep,
    SessionDep,
    SettingsDep,
)
from passerelle.i18n import N_
from passerelle.web.browse import read_filters
from passerelle.web.pages import RecordId
from services_catalog.models import utcnow

router = APIRouter(include_in_schema=False, dependencies=[CsrfChecked])
# The unsubscribe link works without a session, hence without the session's CSRF token:
# its signed token, naming one alert, is what authorises the change (RFC 8058).
public_router = APIRouter(include_in_schema=False)
Token = Annotated[str, Path(min_length=10, max_length=200)]

FREQUENCY_LABELS = {
    "immediate": N_("Immediately"),
    "daily": N_("Once a day"),
    "weekly": N_("Once a week"),
    "none": N_("Never"),
}


def _text(data, name: str) -> str:
    value = data.get(name)
    return value if isinstance(value, str) else ""


def _alerts_page(request, session, user, locale, *, status=200, errors=None):
    context = {
        "alerts": service.list_alerts(session, user),
        "frequencies": [(code, FREQUENCY_LABELS[code]) for code in FREQUENCIES],
        "errors": errors or {},
    }
    return page(request, "alerts/alerts.html", context, locale=locale, status_code=status)


@router.post("/me/searches", name="save_search")
def save_search(
    request: Request, user: EntrepreneurUser, data: FormDep, session: SessionDep, locale: LocaleDep
) -> Response:
    """Keep the browse page's filters (sent as its query string) under a name."""
    query = _text(data, "query")
    filters = read_filters(QueryParams(query))
    try:
        service.save_search(session, user, filters, _text(data, "name"))
    except FormError as error:
        form = Form(values={"name": _text(data, "name"), "query": query})
        form.add_error(error.field, error.detail, locale)
        context = {"form": form, "browse_query": query}
        return page(request, "alerts/save_search.html", context, locale=locale, status_code=400)
    flash(request, N_("Your search is saved. You will receive its new offers once a day."))
    return redirect(request, "my_alerts")


@router.get("/me/alerts", name="my_alerts")
def my_alerts(request: Request, user: EntrepreneurUser, session: SessionDep, locale: LocaleDep):
    return _alerts_page(request, session, user, locale)


@router.post("/me/alerts/{alert_id}/frequency", name="alert_frequency")
def change_frequency(
    request: Request,
    alert_id: RecordId,
    user: EntrepreneurUser,
    data: FormDep,
    session: SessionDep,
    locale: LocaleDep,
) -> Response:
    alert = service.get_alert(session, user, alert_id)
    try:
        service.set_frequency(session, alert, _text(data, "frequency"), now=utcnow())
    except FormError as error:
        return _alerts_page(
            request, session, user, locale, status=400, errors={alert.id: error.detail}
        )
    flash(request, N_("The alert has been changed."))
    return redirect(request, "my_alerts")


@router.post("/me/alerts/{alert_id}/delete", name="delete_alert")
def delete_alert(
    request: Request, alert_id: RecordId, user: EntrepreneurUser, session: SessionDep
) -> Response:
    service.delete_alert(session, service.get_alert(session, user, alert_id))
    flash(request, N_("The alert has been deleted."))
    return redirect(request, "my_alerts")


def _unsubscribe_page(
    request: Request, session: Session, alert: Alert, token: str, locale: str, *, done: bool
) -> Response:
    """The unsubscribe page: the alert the link names, asked about or stopped."""
    context = {
        "alert": alert,
        "name": service.alert_name(session, alert),
        "token": token,
        "done": done,
    }
    return page(request, "alerts/unsubscribe.html", context, locale=locale)


@public_router.get(UNSUBSCRIBE_PATH, name="unsubscribe")
def unsubscribe_form(
    request: Request,
    alert_token: Token,
    session: SessionDep,
    settings: SettingsDep,
    locale: LocaleDep,
) -> Response:
    """What the link would stop, and a button to confirm: a GET changes nothing, as mail
    scanners open links."""
    alert = service.alert_from_token(session, settings.secret_key.get_secret_value(), alert_token)
    return _unsubscribe_page(request, session, alert, alert_token, locale, done=False)


@public_router.post(UNSUBSCRIBE_PATH, name="unsubscribe_alert")
def unsubscribe(
    request: Request,
    alert_token: Token,
    session: SessionDep,
    settings: SettingsDep,
    locale: LocaleDep,
) -> Response:
    """Stop the one alert the signed token names: from the page's button, or a mail
    client's one-click POST (`List-Unsubscribe=One-Click`)."""
    alert = service.alert_from_token(session, settings.secret_key.get_secret_value(), alert_token)
    service.unsubscribe(session, alert)
    return _unsubscribe_page(request, session, alert, alert_token, locale, done=True)
