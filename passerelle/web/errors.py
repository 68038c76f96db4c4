"""Error pages: a translated HTML page for the site, JSON `{"detail": ...}` for the API.

`install_error_pages` wraps whatever handlers the app already has (FastAPI's defaults,
the API's own) so that requests to the API keep them and every other path gets a page.
"""

from __future__ import annotations

import inspect
import json
import logging
from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from passerelle.deps import request_locale
from passerelle.i18n import get_translations
from passerelle.web.browse import BadParameterError, parameter_title
from passerelle.web.form_data import FormInputError
from passerelle.web.templating import render
from services_catalog.errors import CatalogError

logger = logging.getLogger(__name__)

Handler = Callable[[Request, Exception], Awaitable[Response] | Response]
# Paths that answer JSON, errors included (contract section 5).
JSON_PATHS = ("/api", "/healthz", "/livez", "/readyz", "/openapi.json", "/docs", "/redoc")
SHOWN_VALUE = 80  # characters of a bad value repeated on its error page
SHOWN_API_TEXT = 300  # characters of a value (or a message quoting it) in an API error


def is_json_path(path: str) -> bool:
    return any(path == prefix or path.startswith(prefix + "/") for prefix in JSON_PATHS)


async def _json_error(_request: Request, exc: Exception) -> JSONResponse:
    status = getattr(exc, "status_code", 500)
    if status >= 500:
        detail = "Internal Server Error"
    else:
        detail = getattr(exc, "detail", None) or str(exc)
    return JSONResponse({"detail": detail}, status_code=status)


async def _api_validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
    """FastAPI's 422 answer, with every refused value cut short: a large body is never
    sent back."""
    errors = jsonable_encoder(exc.errors())
    for error in errors:
        for key in ("msg", "input"):  # a message may quote the value too
            if key in error:
                error[key] = _shortened(error[key])
        if isinstance(error.get("ctx"), dict):
            error["ctx"] = {name: _shortened(value) for name, value in error["ctx"].items()}
    return JSONResponse({"detail": errors}, status_code=422)


def _shortened(value):
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return value if len(text) <= SHOWN_API_TEXT else text[: SHOWN_API_TEXT - 1] + "…"


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


def _form_input_page(request: Request, exc: FormInputError) -> Response:
    locale = request_locale(request)
    message = get_translations(locale).gettext(exc.message) % exc.params
    context = {"status": exc.status_code, "form_problem": message}
    return render(request, "site/error.html", context, locale=locale, status_code=exc.status_code)


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
    app.add_exception_handler(RequestValidationError, _api_validation_error)
    pages: dict[type[Exception], Callable] = {
        StarletteHTTPException: _http_page,
        RequestValidationError: _validation_page,
        BadParameterError: _bad_parameter_page,
        FormInputError: _form_input_page,
        CatalogError: _catalog_page,
        Exception: _server_error_page,
    }
    for exc_class, page in pages.items():
        json_handler = app.exception_handlers.get(exc_class, _json_error)
        app.add_exception_handler(exc_class, _by_surface(json_handler, page))
