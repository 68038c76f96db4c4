"""Wiring of interest requests into the site: their pages and the offer page's helper."""

from __future__ import annotations

from fastapi import FastAPI, Request
from jinja2 import pass_context
from jinja2.runtime import Context
from sqlmodel import Session

from passerelle.accounts.sessions import session_data
from passerelle.interest import routes, service
from passerelle.web.templating import template_environment


@pass_context
def _offer_contact(context: Context, organization_id: int) -> str | None:
    """How the offer page invites contact: "form" for a signed-in entrepreneur, "login"
    for a visitor, None for other accounts or a provider nobody reads requests for."""
    request: Request = context["request"]
    role = session_data(request).get("role")
    if role not in (None, "entrepreneur"):
        return None
    with Session(request.app.state.engine) as session:
        if not service.receives_requests(session, organization_id):
            return None
    return "form" if role == "entrepreneur" else "login"


def install(app: FastAPI) -> None:
    template_environment().globals.update(offer_contact=_offer_contact)
    app.include_router(routes.router)
