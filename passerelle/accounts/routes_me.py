"""The signed-in person's space: overview, account settings, data download, deletion, bookmarks."""

from __future__ import annotations

import json
from datetime import date

from fastapi import APIRouter, BackgroundTasks, Request
from fastapi.responses import Response

from passerelle.accounts import export, projects, service, sessions, tokens
from passerelle.accounts.errors import FormError
from passerelle.accounts.forms import Form, read
from passerelle.accounts.schemas import PasswordChange, PasswordConfirm, ProfileUpdate
from passerelle.accounts.web import flash, page, redirect, remember_language
from passerelle.db import empty_sqlite_log
from passerelle.deps import (
    CsrfChecked,
    CurrentUser,
    EntrepreneurUser,
    FormDep,
    LocaleDep,
    SessionDep,
)
from passerelle.i18n import N_
from passerelle.web.offer_view import application_window
from passerelle.web.pages import RecordId, local_path

router = APIRouter(prefix="/me", include_in_schema=False, dependencies=[CsrfChecked])


@router.get("", name="me")
def overview(request: Request, user: CurrentUser, session: SessionDep, locale: LocaleDep):
    is_entrepreneur = user.role == "entrepreneur"
    context = {
        "user": user,
        "projects": projects.list_projects(session, user) if is_entrepreneur else [],
        "bookmarks": len(projects.bookmarked_offers(session, user)) if is_entrepreneur else 0,
        "is_entrepreneur": is_entrepreneur,
    }
    return page(request, "entrepreneur/home.html", context, locale=locale)


def _settings_page(request, user, locale, session, *, status=200, **forms):
    """The settings page; `forms` override its blank forms (profile, password, token)."""
    profile = Form(values={"display_name": user.display_name, "locale": user.locale})
    context = {
        "user": user,
        "profile_form": profile,
        "password_form": Form(),
        "token_form": Form(),
        "api_tokens": tokens.list_tokens(session, user),
        "new_token": None,
        **{key: value for key, value in forms.items() if value is not None},
    }
    return page(request, "account/settings.html", context, locale=locale, status_code=status)


@router.get("/account", name="account_settings")
def settings_form(
    request: Request, user: CurrentUser, session: SessionDep, locale: LocaleDep
) -> Response:
    return _settings_page(request, user, locale, session)


@router.post("/account/profile", name="update_profile")
def update_profile(
    request: Request, user: CurrentUser, data: FormDep, session: SessionDep, locale: LocaleDep
) -> Response:
    update, form = read(ProfileUpdate, data, locale)
    if update is None:
        return _settings_page(request, user, locale, session, profile_form=form, status=400)
    service.update_profile(session, user, update)
    sessions.refresh(request, user)
    flash(request, N_("Your profile has been saved."))
    return remember_language(redirect(request, "account_settings"), request, user.locale)


@router.post("/account/password", name="change_password")
def change_password(
    request: Request, user: CurrentUser, data: FormDep, session: SessionDep, locale: LocaleDep
) -> Response:
    change, form = read(PasswordChange, data, locale)
    if change is not None:
        try:
            service.change_password(session, user, change)
        except FormError as exc:
            form.add_error(exc.field, exc.detail, locale)
        else:
            sessions.log_in(request, session, user)  # this browser stays signed in, no other
            flash(request, N_("Your password has been changed. Other sessions were signed out."))
            return redirect(request, "account_settings")
    return _settings_page(request, user, locale, session, password_form=form, status=400)


@router.post("/account/sign-out-everywhere", name="sign_out_everywhere")
def sign_out_everywhere(request: Request, user: CurrentUser, session: SessionDep) -> Response:
    service.sign_out_everywhere(session, user)
    sessions.log_out(request, session)
    flash(request, N_("You have been signed out on every device."))
    return redirect(request, "login")


@router.post("/account/tokens", name="create_api_token")
def create_api_token(
    request: Request, user: CurrentUser, data: FormDep, session: SessionDep, locale: LocaleDep
) -> Response:
    """Make a token and show its secret on this answer only (it is never stored)."""
    form = Form(values={"name": data.get("name") if isinstance(data.get("name"), str) else ""})
    try:
        token, secret = tokens.create_token(session, user, form.values["name"])
    except FormError as exc:
        form.add_error(exc.field, exc.detail, locale)
        return _settings_page(request, user, locale, session, token_form=form, status=400)
    new_token = {"name": token.name, "secret": secret}
    return _settings_page(request, user, locale, session, new_token=new_token)


@router.post("/account/tokens/{token_id}/revoke", name="revoke_api_token")
def revoke_api_token(
    request: Request, token_id: RecordId, user: CurrentUser, session: SessionDep
) -> Response:
    tokens.revoke_token(session, user, token_id)
    flash(request, N_("The token has been revoked: it no longer works."))
    return redirect(request, "account_settings")


@router.get("/account/delete", name="delete_account")
def delete_form(request: Request, user: CurrentUser, locale: LocaleDep) -> Response:
    return page(request, "account/delete.html", {"form": Form()}, locale=locale)


@router.post("/account/delete", name="confirm_delete_account")
def delete_account(
    request: Request, user: CurrentUser, data: FormDep, session: SessionDep,
    tasks: BackgroundTasks, locale: LocaleDep,
) -> Response:  # fmt: skip
    confirm, form = read(PasswordConfirm, data, locale)
    if confirm is not None:
        try:
            service.delete_account(session, user, confirm.password)
        except FormError as exc:
            form.add_error(exc.field, exc.detail, locale)
        else:
            # Once committed, nothing of the account may stay readable in the files.
            tasks.add_task(empty_sqlite_log, request.app.state.engine)
            sessions.log_out(request, session)
            flash(request, N_("Your account and its data have been deleted."))
            return redirect(request, "home")
    return page(request, "account/delete.html", {"form": form}, locale=locale, status_code=400)


@router.get("/data.json", name="download_data")
def download_data(user: CurrentUser, session: SessionDep) -> Response:
    body = json.dumps(export.account_data(session, user), ensure_ascii=False, indent=2)
    return Response(
        body,
        media_type="application/json",
        headers={"Content-Disposition": 'attachment; filename="passerelle-my-data.json"'},
    )


@router.get("/bookmarks", name="bookmarks")
def bookmarks(
    request: Request, user: EntrepreneurUser, session: SessionDep, locale: LocaleDep
) -> Response:
    today = date.today()
    kept = [
        (bookmark, offer, application_window(offer, locale, today))
        for bookmark, offer in projects.bookmarked_offers(session, user)
    ]
    return page(request, "entrepreneur/bookmarks.html", {"bookmarks": kept}, locale=locale)


def _back(request: Request, data, message: str) -> Response:
    """Back to the page the button was on (the offer's page shows the new state itself)."""
    target = local_path(data.get("next") if isinstance(data.get("next"), str) else None)
    if target:
        response = redirect(request, "bookmarks")
        response.headers["location"] = target
        return response
    flash(request, message)
    return redirect(request, "bookmarks")


@router.post("/bookmarks/{offer_id}", name="add_bookmark")
def add_bookmark(
    request: Request, offer_id: RecordId, user: EntrepreneurUser, data: FormDep, session: SessionDep
) -> Response:
    projects.add_bookmark(session, user, offer_id)
    return _back(request, data, N_("The offer is in your bookmarks."))


@router.post("/bookmarks/{offer_id}/remove", name="remove_bookmark")
def remove_bookmark(
    request: Request, offer_id: RecordId, user: EntrepreneurUser, data: FormDep, session: SessionDep
) -> Response:
    projects.remove_bookmark(session, user, offer_id)
    return _back(request, data, N_("The offer was removed from your bookmarks."))
