"""The outermost layer of the platform: request id, access log line and request metrics.

A pure ASGI middleware (not Starlette's BaseHTTPMiddleware, which runs the app in another
task and breaks context variables and streaming), so the request id set here is seen by
every log record of the request.
"""

from __future__ import annotations

import logging
import re
import time
import uuid

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from passerelle.monitoring import metrics
from passerelle.monitoring.logs import request_id

REQUEST_ID_HEADER = "X-Request-ID"
# An id from the caller (a proxy, another service) is kept when it looks like one; any
# other value is replaced, so that it cannot forge log lines or bloat them.
ACCEPTED_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
# Requests that matched no route share one label, so that scanners cannot make a time
# series per path.
UNMATCHED_ROUTE = "(unmatched)"

access_log = logging.getLogger("passerelle.access")


def route_template(scope: Scope, root_path: str) -> str:
    """The matched route as written (`/offers/{offer_id}`), never the raw path.

    `root_path` is the scope's before routing: a mounted application (the static files)
    leaves no route in the scope, only a longer root path.
    """
    path = getattr(scope.get("route"), "path", None)
    if path is not None:
        return path
    mounted_at = scope.get("root_path", root_path)
    if mounted_at != root_path:
        return mounted_at.removeprefix(root_path) + "/{path}"
    return UNMATCHED_ROUTE


def _incoming_id(scope: Scope) -> str | None:
    given = Headers(scope=scope).get(REQUEST_ID_HEADER)
    return given if given and ACCEPTED_ID.fullmatch(given) else None


class RequestMiddleware:
    """Gives each request an id (echoed in the answer), then counts, times and logs it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = _incoming_id(scope) or uuid.uuid4().hex
        root_path = scope.get("root_path", "")
        token = request_id.set(rid)
        started = time.perf_counter()
        status = 500  # what the server answers when the app fails before answering

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message)[REQUEST_ID_HEADER] = rid
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            seconds = time.perf_counter() - started
            route = route_template(scope, root_path)
            metrics.observe_request(scope["method"], route, status, seconds)
            access_log.info(
                "%s %s %s",
                scope["method"],
                route,
                status,
                extra={
                    "method": scope["method"],
                    "route": route,
                    "path": scope["path"],
                    "status": status,
                    "duration_ms": round(seconds * 1000, 1),
                },
            )
        # Kept set when the app failed, for the error page's log record outside this layer.
        request_id.reset(token)
