"""An entrepreneur's projects: create, edit, delete, and the offers that match each one."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import Response

from passerelle.accounts import projects
from passerelle.accounts.forms import Form, read
from passerelle.accounts.schemas import ProjectIn
from passerelle.accounts.views import matches_context, project_choices, project_form_defaults
from passerelle.accounts.web import flash, page, redirect
from passerelle.analytics import service as analytics
from passerelle.deps import (
    CsrfChecked,
    EntrepreneurUser,
    FormDep,
    LocaleDep,
    OwnedProject,
    RecommenderDep,
    SearchLogDep,
    SessionDep,
)
from passerelle.i18n import N_

router = APIRouter(prefix="/me/projects", include_in_schema=False, dependencies=[CsrfChecked])


def _form_page(request: Request, form: Form, locale: str, project=None, status: int = 200):
    context = {"form": form, "project": project, "choices": project_choices(locale)}
    return page(
        request, "entrepreneur/project_form.html", context, locale=locale, status_code=status
    )


@router.get("/new", name="new_project")
def new_project(request: Request, user: EntrepreneurUser, locale: LocaleDep) -> Response:
    return _form_page(request, Form(values=project_form_defaults()), locale)


@router.post("/new")
def create_project(
    request: Request, user: EntrepreneurUser, data: FormDep, session: SessionDep, locale: LocaleDep
) -> Response:
    project_in, form = read(ProjectIn, data, locale)
    if project_in is None:
        return _form_page(request, form, locale, status=400)
    project = projects.create_project(session, user, project_in)
    flash(request, N_("Your project has been saved. Here are the offers that fit it."))
    return redirect(request, "project", project_id=project.id)


@router.get("/latest", name="latest_project")
def latest_project(request: Request, user: EntrepreneurUser, session: SessionDep) -> Response:
    """The newest project's matches: where signing up with kept answers leads after login."""
    newest = projects.list_projects(session, user)
    if not newest:
        return redirect(request, "me")
    latest = max(newest, key=lambda project: (project.created_at, project.id))
    return redirect(request, "project", project_id=latest.id)


@router.get("/{project_id}", name="project")
def show_project(
    request: Request,
    project: OwnedProject,
    recommender: RecommenderDep,
    session: SessionDep,
    search_log: SearchLogDep,
    locale: LocaleDep,
) -> Response:
    """The project and its matches: eligible offers with reasons, then near misses."""
    profile = projects.project_profile(project)
    context = matches_context(session, recommender, project, profile, locale, date.today())
    analytics.log_match(search_log, profile, context["eligible_count"])
    return page(request, "entrepreneur/project.html", context, locale=locale)


@router.get("/{project_id}/edit", name="edit_project")
def edit_project(request: Request, project: OwnedProject, locale: LocaleDep) -> Response:
    form = Form(values=projects.project_form_values(project))
    return _form_page(request, form, locale, project)


@router.post("/{project_id}/edit")
def update_project(
    request: Request, project: OwnedProject, data: FormDep, session: SessionDep, locale: LocaleDep
) -> Response:
    project_in, form = read(ProjectIn, data, locale)
    if project_in is None:
        return _form_page(request, form, locale, project, status=400)
    projects.update_project(session, project, project_in)
    flash(request, N_("Your project has been saved. Here are the offers that fit it."))
    return redirect(request, "project", project_id=project.id)


@router.post("/{project_id}/delete", name="delete_project")
def delete_project(request: Request, project: OwnedProject, session: SessionDep) -> Response:
    projects.delete_project(session, project)
    flash(request, N_("The project has been deleted."))
    return redirect(request, "me")
