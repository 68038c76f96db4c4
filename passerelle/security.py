"""HTTP protections around the whole application: trusted Host values and proxies, a cap
on request bodies, and security headers. Pure ASGI, so that each costs one function call
per request."""

from __future__ import annotations

import json

from fastapi import FastAPI, HTTPException, Request
from fastapi.routing import APIRoute
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from passerelle.settings import Settings

# The site ships no JavaScript and loads nothing from elsewhere.
SITE_POLICY = (
    "default-src 'none'; img-src 'self' data:; style-src 'self'; font-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
# Swagger UI and ReDoc run their own scripts, served by the platform (`api_docs`), and set
# styles from them; ReDoc also starts a worker from a blob.
DOCS_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; "
    "frame-ancestors 'none'; base-uri 'none'"
)
DOCS_PATHS = ("/docs", "/redoc")
HSTS = b"max-age=31536000; includeSubDomains"
REFERRER_POLICY = (b"referrer-policy", b"strict-origin-when-cross-origin")


def install(app: FastAPI, settings: Settings) -> None:
    """Wrap the app; the last added runs first, so that every answer gets the headers."""
    # Without trusted proxies, X-Forwarded-* headers are ignored: the client address is
    # the connection's (which the login rate limit counts by).
    if settings.proxy_addresses:
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.proxy_addresses)
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=settings.host_names)
    app.add_middleware(
        BodySizeLimitMiddleware,
        max_bytes=settings.max_body_bytes,
        max_upload_bytes=settings.max_upload_bytes,
    )
    app.add_middleware(SecurityHeadersMiddleware, hsts=settings.environment == "production")


class SecurityHeadersMiddleware:
    """Adds the content security policy and its companions to every response."""

    def __init__(self, app: ASGIApp, *, hsts: bool) -> None:
        self.app = app
        common = [
            (b"x-content-type-options", b"nosniff"),
            (b"x-frame-options", b"DENY"),
            (b"cross-origin-opener-policy", b"same-origin"),
            *([(b"strict-transport-security", HSTS)] if hsts else []),
        ]
        self.site_headers = [(b"content-security-policy", SITE_POLICY.encode()), *common]
        self.docs_headers = [(b"content-security-policy", DOCS_POLICY.encode()), *common]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        docs = any(path == prefix or path.startswith(prefix + "/") for prefix in DOCS_PATHS)
        added = self.docs_headers if docs else self.site_headers

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [*message.get("headers", ()), *added]
                if not any(name.lower() == b"referrer-policy" for name, _ in headers):
                    headers.append(REFERRER_POLICY)  # unless a page asked for a stricter one
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodySizeLimitMiddleware:
    """Refuses request bodies over their limit with 413, before anything parses them:
    `max_upload_bytes` for multipart forms (files), `max_bytes` for any other body."""

    def __init__(self, app: ASGIApp, *, max_bytes: int, max_upload_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.max_upload_bytes = max_upload_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared, content_type = b"", b""
        for name, value in scope["headers"]:  # names arrive lower-cased
            if name == b"content-length":
                declared = value
            elif name == b"content-type":
                content_type = value
        multipart = content_type.startswith(b"multipart/form-data")
        limit = self.max_upload_bytes if multipart else self.max_bytes
        if declared.isdigit() and int(declared) > limit:
            await _too_large(limit)(scope, receive, send)
            return
        received = 0

        async def receive_within_limit() -> Message:
            nonlocal received
            event = await receive()
            received += len(event.get("body", b""))
            if received > limit:  # sent without a length, or longer than declared
                raise HTTPException(413, _too_large_message(limit))
            return event

        await self.app(scope, receive_within_limit, send)


def _too_large_message(limit: int) -> str:
    return f"the request body is larger than the limit of {limit} bytes"


def _too_large(limit: int) -> Response:
    response = JSONResponse({"detail": _too_large_message(limit)}, status_code=413)
    response.headers["connection"] = "close"  # the rest of the body is not read
    return response


def strict_json_loads(body: bytes):
    """JSON as the standard defines it: UTF-8, and finite numbers only (no NaN, Infinity
    or 1e999, which Python's reader would turn into floats nothing downstream can store)."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        problem = "the body is not UTF-8 text"
        raise json.JSONDecodeError(problem, repr(body[:80]), exc.start) from None

    def refuse(number: str):
        raise json.JSONDecodeError(f"{number} is not a finite number", text, 0)

    def finite(number: str) -> float:
        value = float(number)
        if value in (float("inf"), float("-inf")):
            refuse(number[:40])
        return value

    return json.loads(text, parse_constant=refuse, parse_float=finite)


class StrictJsonRequest(Request):
    """A request whose JSON body is read by `strict_json_loads`."""

    async def json(self):
        if not hasattr(self, "_json"):
            self._json = strict_json_loads(await self.body())
        return self._json


class StrictJsonRoute(APIRoute):
    """A route reading JSON bodies with `strict_json_loads` (a bad body gets 422)."""

    def get_route_handler(self):
        handler = super().get_route_handler()

        async def strict_handler(request: Request):
            return await handler(StrictJsonRequest(request.scope, request.receive))

        return strict_handler
