"""How much one process takes on at once, and the answer when it is full.

A request holding a database connection while it waits for a thread, and threads waiting
for connections held by such requests, once made a busy server hang 30 s and answer 500.
Requests are now admitted `max_concurrency` at a time, a number the thread pool and the
database pool are sized for (`Settings.pool_options`), so an admitted request waits for
neither; the others queue, and beyond the queue's length or time get a 503.
"""

from __future__ import annotations

import asyncio
import logging

import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.types import ASGIApp, Receive, Scope, Send

from passerelle.i18n import N_, get_translations, negotiate_locale
from passerelle.settings import Settings
from passerelle.web.errors import is_json_path

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 2
# Always answered: the health checks (cheap, no pooled connection) and the static files.
UNLIMITED_PATHS = ("/healthz", "/livez", "/readyz", "/static/")
BUSY_TITLE = N_("The site is very busy right now")
BUSY_TEXT = N_("Please try again in a few seconds.")
BUSY_DETAIL = "the server is busy; retry after the number of seconds in Retry-After"


def size_thread_pool(settings: Settings) -> None:
    """Give synchronous handlers the threads the concurrency limit is sized for."""
    anyio.to_thread.current_default_thread_limiter().total_tokens = settings.threadpool_size


class ConcurrencyLimit:
    """Pure ASGI middleware admitting `limit` requests at once; up to `queue` more wait at
    most `timeout` seconds for a turn, and the rest are answered 503 with Retry-After."""

    def __init__(
        self, app: ASGIApp, *, limit: int, queue: int, timeout: float, default_locale: str
    ) -> None:
        self.app = app
        self.default_locale = default_locale
        self.limit = limit
        self.queue = queue
        self.timeout = timeout
        self.waiting = 0
        self._turns: asyncio.Semaphore | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":  # a fresh event loop: a fresh semaphore for it
            self._turns = asyncio.Semaphore(self.limit)
        if scope["type"] != "http" or scope["path"].startswith(UNLIMITED_PATHS):
            await self.app(scope, receive, send)
            return
        if not await self._admit():
            await busy_response(scope, self.default_locale)(scope, receive, send)
            return
        try:
            await self.app(scope, receive, send)
        finally:
            self._turns.release()

    async def _admit(self) -> bool:
        if self._turns is None:
            self._turns = asyncio.Semaphore(self.limit)
        if self._turns.locked() and self.waiting >= self.queue:
            return False
        self.waiting += 1
        try:
            async with asyncio.timeout(self.timeout):
                await self._turns.acquire()
            return True
        except TimeoutError:
            return False
        finally:
            self.waiting -= 1


def busy_response(scope: Scope, default_locale: str) -> Response:
    """A 503 with Retry-After: JSON for the API, a short page in the visitor's language."""
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
    if is_json_path(scope["path"]):
        return JSONResponse({"detail": BUSY_DETAIL}, status_code=503, headers=headers)
    request = Request(scope)
    locale = negotiate_locale(
        request.cookies.get("lang"), request.headers.get("accept-language"), default_locale
    )
    return HTMLResponse(busy_page(locale), status_code=503, headers=headers)


def busy_page(locale: str) -> str:
    """A page small enough to send cheaply while the process is full."""
    _ = get_translations(locale).gettext
    return (
        f'<!doctype html><html lang="{locale}"><meta charset="utf-8">'
        f"<title>{_(BUSY_TITLE)}</title><h1>{_(BUSY_TITLE)}</h1><p>{_(BUSY_TEXT)}</p></html>"
    )


def install(app: FastAPI, settings: Settings) -> None:
    """Limit the requests served at once, and answer a request that found no database
    connection in time as the limit does, rather than with a 500."""

    async def pool_exhausted(request: Request, _exc: Exception) -> Response:
        logger.warning("no database connection within %s s", settings.db_pool_timeout)
        return busy_response(request.scope, settings.default_locale)

    app.add_exception_handler(PoolTimeout, pool_exhausted)
    app.add_middleware(
        ConcurrencyLimit,
        limit=settings.max_concurrency,
        queue=settings.max_queue,
        timeout=settings.queue_timeout,
        default_locale=settings.default_locale,
    )
