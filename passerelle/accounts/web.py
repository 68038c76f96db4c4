"""Wiring of accounts into the site: sessions, error answers, template helpers, routers."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from jinja2 import Environment, pass_context
from jinja2.runtime import Context
from markupsafe import Markup, escape
from sqlmodel import Session

from passerelle.accounts import projects
from passerelle.accounts.errors import AccountError, LoginRequiredError, TooManyAttemptsError
from passerelle.accounts.sessions import CSRF_FIELD, csrf_token, install_sessions, session_data
from passerelle.deps import request_locale
from passerelle.i18n import get_translations
from passerelle.settings import Settings
from passerelle.web.errors import is_json_path
from passerelle.web.templating import render, template_environment

LANGUAGE_COOKIE = "lang"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600


def install(app: FastAPI, settings: Settings) -> None:
    """Sessions, the account error handler, template helpers and the account pages."""
    from passerelle.accounts import routes_auth, routes_me, routes_projects

    install_sessions(app, settings)
    app.add_exception_handler(AccountError, account_error)
    install_template_helpers(template_environment())
    for module in (routes_auth, routes_me, routes_projects):
        app.include_router(module.router)


def translated_detail(exc: AccountError, locale: str) -> str:
    text = get_translations(locale).gettext(exc.detail)
    return text % {"minutes": exc.minutes} if isinstance(exc, TooManyAttemptsError) else text


async def account_error(request: Request, exc: Exception) -> Response:
    """JSON for the API; for pages, the login form or a translated error page."""
    assert isinstance(exc, AccountError)
    headers = (
        {"Retry-After": str(exc.minutes * 60)} if isinstance(exc, TooManyAttemptsError) else {}
    )
    if is_json_path(request.url.path):
        return JSONResponse({"detail": exc.detail}, exc.status_code, headers=headers)
    if isinstance(exc, LoginRequiredError):
        here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        login = request.app.url_path_for("login")
        query = f"?{urlencode({'next': here})}" if request.method == "GET" else ""
        return RedirectResponse(f"{login}{query}", status_code=303)
    locale = request_locale(request)
    context = {"status": exc.status_code, "message": translated_detail(exc, locale)}
    response = render(
        request, "account/error.html", context, locale=locale, status_code=exc.status_code
    )
    response.headers.update(headers)
    return response


def client_address(request: Request) -> str:
    """The visitor's address, which rate limits count by."""
    return request.client.host if request.client else "unknown"


def flash(request: Request, message: str) -> None:
    """A message (an English msgid) shown once on the next page."""
    session_data(request)["flash"] = message


def page(
    request: Request, template: str, context: dict, *, locale: str, status_code: int = 200
) -> Response:
    """Render an account page with its one-time notice."""
    message = session_data(request).pop("flash", None)
    notice = get_translations(locale).gettext(message) if message else None
    return render(
        request, template, {**context, "notice": notice}, locale=locale, status_code=status_code
    )


def redirect(request: Request, name: str, **params) -> RedirectResponse:
    return RedirectResponse(request.app.url_path_for(name, **params), status_code=303)


def remember_language(response: Response, request: Request, locale: str) -> Response:
    """The account's language becomes the site's language on this browser."""
    response.set_cookie(
        LANGUAGE_COOKIE,
        locale,
        max_age=LANGUAGE_COOKIE_AGE,
        samesite="lax",
        httponly=True,
        secure=request.url.scheme == "https",
    )
    return response


@pass_context
def _csrf_field(context: Context) -> Markup:
    token = csrf_token(context["request"])
    return Markup(f'<input type="hidden" name="{CSRF_FIELD}" value="{escape(token)}">')


@pass_context
def _offer_bookmarked(context: Context, offer_id: int) -> bool | None:
    """For a signed-in entrepreneur, whether the offer is kept; None for anyone else."""
    request: Request = context["request"]
    data = session_data(request)
    if data.get("role") != "entrepreneur" or not isinstance(data.get("uid"), int):
        return None
    with Session(request.app.state.engine) as session:
        return projects.is_bookmarked(session, data["uid"], offer_id)


def install_template_helpers(env: Environment) -> None:
    env.globals.update(csrf_field=_csrf_field, offer_bookmarked=_offer_bookmarked)
