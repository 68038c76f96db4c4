"""Error pages: a translated HTML page for the site, JSON `{"detail": ...}` for the API.

`install_error_pages` wraps whatever handlers the app already has (FastAPI's defaults,
the API's own) so that requests to the API keep them and every other path gets a page.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from passerelle.deps import request_locale
from passerelle.web.browse import BadParameterError, parameter_title
from passerelle.web.templating import render
from services_catalog.errors import CatalogError

logger = logging.getLogger(__name__)

Handler = Callable[[Request, Exception], Awaitable[Response] | Response]
# Paths that answer JSON, errors included (contract section 5).
JSON_PATHS = ("/api", "/healthz", "/livez", "/readyz", "/openapi.json", "/docs", "/redoc")
SHOWN_VALUE = 80  # characters of a bad value repeated on its error page


def is_json_path(path: str) -> bool:
    return any(path == prefix or path.startswith(prefix + "/") for prefix in JSON_PATHS)


async def _json_error(_request: Request, exc: Exception) -> JSONResponse:
    status = getattr(exc, "status_code", 500)
    if status >= 500:
        detail = "Internal Server Error"
    else:
        detail = getattr(exc, "detail", None) or str(exc)
    return JSONResponse({"detail": detail}, status_code=status)


def _error_page(request: Request, status: int, problem: dict | None = None) -> Response:
    locale = request_locale(request)
    if problem:
        value = str(problem["value"])
        shown = value if len(value) <= SHOWN_VALUE else value[: SHOWN_VALUE - 1] + "…"
        problem = {**problem, "value": shown, "title": parameter_title(problem["name"], locale)}
    context = {"status": status, "problem": problem}
    return render(request, "site/error.html", context, locale=locale, status_code=status)


def _http_page(request: Request, exc: StarletteHTTPException) -> Response:
    response = _error_page(request, exc.status_code)
    for name, value in (exc.headers or {}).items():
        response.headers[name] = value
    return response


def _validation_page(request: Request, exc: RequestValidationError) -> Response:
    first = exc.errors()[0] if exc.errors() else {}
    location = first.get("loc") or ("", "")
    problem = {"name": str(location[-1]), "value": first.get("input", "")}
    return _error_page(request, 422, problem)


def _bad_parameter_page(request: Request, exc: BadParameterError) -> Response:
    return _error_page(request, 422, {"name": exc.name, "value": exc.value})


def _catalog_page(request: Request, exc: CatalogError) -> Response:
    return _error_page(request, exc.status_code)


def _server_error_page(request: Request, exc: Exception) -> Response:
    logger.error("unhandled error on %s", request.url.path, exc_info=exc)
    try:
        return _error_page(request, 500)
    except Exception:  # the error page itself failed: say so plainly
        logger.exception("the error page could not be rendered")
        return PlainTextResponse("Internal Server Error", status_code=500)


def _by_surface(json_handler: Handler, page: Callable[[Request, Exception], Response]):
    async def handle(request: Request, exc: Exception) -> Response:
        if is_json_path(request.url.path):
            response = json_handler(request, exc)
            return await response if inspect.isawaitable(response) else response
        return page(request, exc)

    return handle


def install_error_pages(app: FastAPI) -> None:
    """Answer site errors with pages; call after the API registered its own handlers."""
    pages: dict[type[Exception], Callable] = {
        StarletteHTTPException: _http_page,
        RequestValidationError: _validation_page,
        BadParameterError: _bad_parameter_page,
        CatalogError: _catalog_page,
        Exception: _server_error_page,
    }
    for exc_class, page in pages.items():
        json_handler = app.exception_handlers.get(exc_class, _json_error)
        app.add_exception_handler(exc_class, _by_surface(json_handler, page))
