"""The API's documentation pages (Swagger UI at /docs, ReDoc at /redoc), served with
their scripts and styles from the platform itself: they work offline and under a
content security policy that allows only the site's own scripts.

The assets come from the `fastapi-offline` package, which ships Swagger UI and ReDoc;
the pages are our own, so that no inline script is needed.
"""

from __future__ import annotations

from importlib.resources import files

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from passerelle.web.templating import render

ASSETS_DIR = files("fastapi_offline") / "static"


def install(app: FastAPI) -> None:
    """Add /docs, /redoc and their assets; create the app with `docs_url=None, redoc_url=None`."""
    app.mount("/docs/assets", StaticFiles(directory=str(ASSETS_DIR)), name="api_docs_assets")
    app.add_api_route("/docs", swagger_ui, include_in_schema=False, name="swagger_ui")
    app.add_api_route("/redoc", redoc, include_in_schema=False, name="redoc")


def swagger_ui(request: Request) -> HTMLResponse:
    return render(request, "api/swagger_ui.html", {"title": request.app.title}, locale="en")


def redoc(request: Request) -> HTMLResponse:
    return render(request, "api/redoc.html", {"title": request.app.title}, locale="en")
