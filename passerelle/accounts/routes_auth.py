"""Sign up, log in, log out, and reset a forgotten password."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from passerelle.accounts import account_mail, kept_project, reset, service, sessions
from passerelle.accounts.errors import FormError, NotFoundError
from passerelle.accounts.forms import Form, read
from passerelle.accounts.models import UserAccount
from passerelle.accounts.schemas import LoginIn, NewPasswordIn, ResetRequestIn, SignupIn
from passerelle.accounts.web import client_address, flash, page, redirect, remember_language
from passerelle.deps import CsrfChecked, FormDep, LocaleDep, SessionDep, SettingsDep
from passerelle.i18n import N_
from passerelle.outbox.service import queue_mail
from passerelle.web.pages import local_path

router = APIRouter(prefix="/account", include_in_schema=False, dependencies=[CsrfChecked])
NextUrl = Annotated[str | None, Query(alias="next", max_length=2000)]


def _after_login(request: Request, user: UserAccount, next_url: str | None) -> str:
    """The page asked for, else the space of the account's type."""
    home = "provider_home" if user.role == "provider" else "me"
    return local_path(next_url) or str(request.app.url_path_for(home))


@router.get("/signup", name="signup")
def signup_form(request: Request, settings: SettingsDep, locale: LocaleDep) -> Response:
    # The home page's provider entry links here with ?as=provider, the provider box ticked.
    wanted = "provider" if request.query_params.get("as") == "provider" else "entrepreneur"
    form = Form(values={"locale": locale, "account_type": wanted})
    # Answers kept from find-support ride along; a token not ours is dropped here.
    keep = request.query_params.get("keep")
    if kept_project.opened(keep, settings) is not None:
        form.values["keep"] = keep
    return page(request, "account/signup.html", {"form": form}, locale=locale)


@router.post("/signup", name="create_account")
def signup(
    request: Request, data: FormDep, session: SessionDep, settings: SettingsDep,
    locale: LocaleDep,
) -> Response:  # fmt: skip
    """Make the account and mail it; a taken address gets a mail to its owner instead, and
    the visitor the same answer either way."""
    signup_in, form = read(SignupIn, data, locale)
    if signup_in is not None:
        try:
            user, created = service.sign_up(
                session, signup_in, role=signup_in.account_type, address=client_address(request)
            )
        except FormError as exc:
            form.add_error(exc.field, exc.detail, locale)
        else:
            if user is not None:
                notice = account_mail.welcome_mail if created else account_mail.address_taken_mail
                queue_mail(session, notice(request, settings, user))
            keep = form.values.get("keep")
            # Only a new account gets the answers: never someone else's, whose address
            # was typed. The page reads the same either way.
            if created and user.role == "entrepreneur":
                kept_project.keep(session, user, keep, settings, signup_in.locale)
            wants_project = signup_in.account_type == "entrepreneur"
            kept = wants_project and kept_project.opened(keep, settings) is not None
            context = {"email": signup_in.email, "kept": kept}
            response = page(request, "account/signup_sent.html", context, locale=signup_in.locale)
            return remember_language(response, request, signup_in.locale)
    return page(request, "account/signup.html", {"form": form}, locale=locale, status_code=400)


@router.get("/login", name="login")
def login_form(request: Request, locale: LocaleDep, next_url: NextUrl = None) -> Response:
    form = Form(values={"next": local_path(next_url) or ""})
    return page(request, "account/login.html", {"form": form}, locale=locale)


@router.post("/login", name="log_in")
def login(request: Request, data: FormDep, session: SessionDep, locale: LocaleDep) -> Response:
    credentials, form = read(LoginIn, data, locale)
    if credentials is not None:
        try:
            user = service.authenticate(
                session, email=credentials.email, password=credentials.password,
                address=client_address(request),
            )  # fmt: skip
        except FormError as exc:
            form.add_error(exc.field, exc.detail, locale)
        else:
            sessions.log_in(request, session, user)
            response = redirect(request, "me")
            response.headers["location"] = _after_login(request, user, form.values.get("next"))
            return remember_language(response, request, user.locale)
    return page(request, "account/login.html", {"form": form}, locale=locale, status_code=400)


@router.post("/logout", name="logout")
def logout(request: Request, session: SessionDep) -> Response:
    sessions.log_out(request, session)
    return redirect(request, "home")


@router.get("/password-reset", name="password_reset_request")
def reset_request_form(request: Request, locale: LocaleDep) -> Response:
    return page(request, "account/reset_request.html", {"form": Form()}, locale=locale)


@router.post("/password-reset")
def reset_request(
    request: Request, data: FormDep, session: SessionDep, settings: SettingsDep,
    locale: LocaleDep,
) -> Response:  # fmt: skip
    """Mail a reset link; the answer is the same whether the account exists or not."""
    wanted, form = read(ResetRequestIn, data, locale)
    if wanted is None:
        context = {"form": form}
        return page(request, "account/reset_request.html", context, locale=locale, status_code=400)
    issued = reset.request_reset(session, wanted.email, address=client_address(request))
    if issued is not None:
        queue_mail(session, account_mail.reset_mail(request, settings, *issued))
    else:  # written and dropped, so that the answer takes as long as for an account
        nobody = UserAccount(email=wanted.email, password_hash="", locale=locale)
        account_mail.reset_mail(request, settings, nobody, token="-")
    return page(request, "account/reset_sent.html", {"email": wanted.email}, locale=locale)


def _reset_page(request: Request, token: str, form: Form, locale: str, status: int = 200):
    response = page(
        request, "account/reset_form.html", {"form": form, "token": token}, locale=locale,
        status_code=status,
    )  # fmt: skip
    response.headers["Referrer-Policy"] = "no-referrer"  # the token is in the address
    return response


def _invalid_link(request: Request, locale: str) -> Response:
    return page(request, "account/reset_invalid.html", {}, locale=locale, status_code=404)


@router.get("/password-reset/{token}", name="password_reset")
def reset_form(request: Request, token: str, session: SessionDep, locale: LocaleDep) -> Response:
    try:
        reset.valid_token(session, token)
    except NotFoundError:
        return _invalid_link(request, locale)
    return _reset_page(request, token, Form(), locale)


@router.post("/password-reset/{token}")
def reset_password(
    request: Request, token: str, data: FormDep, session: SessionDep, locale: LocaleDep
) -> Response:
    new_password, form = read(NewPasswordIn, data, locale)
    try:
        if new_password is None:
            reset.valid_token(session, token)
            return _reset_page(request, token, form, locale, status=400)
        reset.redeem(session, token, new_password.password)
    except NotFoundError:
        return _invalid_link(request, locale)
    except FormError as exc:
        form.add_error(exc.field, exc.detail, locale)
        return _reset_page(request, token, form, locale, status=400)
    sessions.log_out(request, session)
    flash(request, N_("Your password has been changed. You can log in with it now."))
    return redirect(request, "login")
