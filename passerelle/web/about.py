"""The pages every footer links to: legal notice, privacy, accessibility, contact."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from passerelle.accounts.reset import TOKEN_LIFETIME
from passerelle.deps import LocaleDep, SettingsDep
from passerelle.web.templating import render

router = APIRouter(include_in_schema=False)


def _page(request: Request, template: str, settings, locale: str) -> HTMLResponse:
    context = {
        "publisher": settings.publisher,
        "contact_email": settings.contact_email,
        "reset_hours": int(TOKEN_LIFETIME.total_seconds() // 3600),
    }
    return render(request, f"about/{template}.html", context, locale=locale)


@router.get("/legal-notice", name="legal_notice")
def legal_notice(request: Request, settings: SettingsDep, locale: LocaleDep) -> HTMLResponse:
    return _page(request, "legal", settings, locale)


@router.get("/privacy", name="privacy")
def privacy(request: Request, settings: SettingsDep, locale: LocaleDep) -> HTMLResponse:
    return _page(request, "privacy", settings, locale)


@router.get("/accessibility", name="accessibility")
def accessibility(request: Request, settings: SettingsDep, locale: LocaleDep) -> HTMLResponse:
    return _page(request, "accessibility", settings, locale)


@router.get("/contact", name="contact")
def contact(request: Request, settings: SettingsDep, locale: LocaleDep) -> HTMLResponse:
    return _page(request, "contact", settings, locale)
