"""Prometheus metrics of the platform and the `/metrics` page that serves them.

With several processes (`passerelle serve --workers N`, or several containers on one
machine), each process writes its values under `PROMETHEUS_MULTIPROC_DIR` and the page
adds them up; that directory must be set, empty, before the processes start.
"""

from __future__ import annotations

import hmac
import os
from ipaddress import ip_address

from fastapi import APIRouter, FastAPI, HTTPException, Request, Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from sqlalchemy import Engine
from sqlmodel import Session

from passerelle.outbox.service import outbox_depth
from passerelle.settings import Settings
from services_catalog import browse_index

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0)

REQUESTS = Counter(
    "passerelle_http_requests", "HTTP requests answered", ["method", "route", "status"]
)
LATENCY = Histogram(
    "passerelle_http_request_duration_seconds",
    "Time to answer an HTTP request",
    ["method", "route"],
    buckets=LATENCY_BUCKETS,
)
# The oldest catalogue version a live process still serves: it lags the database's
# `catalogue_version` only while an index rebuilds.
INDEX_VERSION = Gauge(
    "passerelle_catalogue_index_version",
    "Catalogue version of the in-memory index",
    ["index"],
    multiprocess_mode="livemin",
)
INDEX_BUILD = Histogram(
    "passerelle_catalogue_index_build_seconds",
    "Time to build an in-memory index of the catalogue",
    ["index"],
    buckets=LATENCY_BUCKETS,
)

router = APIRouter()


def observe_request(method: str, route: str, status: int, seconds: float) -> None:
    REQUESTS.labels(method, route, str(status)).inc()
    LATENCY.labels(method, route).observe(seconds)


def observe_index_build(index: str, version: int, seconds: float) -> None:
    INDEX_VERSION.labels(index).set(version)
    INDEX_BUILD.labels(index).observe(seconds)


def _observe_browse_index(version: int, seconds: float) -> None:
    observe_index_build("browse", version, seconds)


def install(app: FastAPI) -> None:
    """Serve `/metrics` and follow the browse index's rebuilds."""
    app.include_router(router)
    if _observe_browse_index not in browse_index.rebuild_listeners:
        browse_index.rebuild_listeners.append(_observe_browse_index)


def _outbox_metrics(engine: Engine) -> bytes:
    """The outbox read from the database at scrape time: the mails waiting (queued or
    being sent) and those that failed for good (staff see them on /staff/mail)."""
    registry = CollectorRegistry()
    depth = Gauge("passerelle_outbox_depth", "Messages waiting to be sent", registry=registry)
    failed = Gauge("passerelle_outbox_failed", "Messages that failed for good", registry=registry)
    with Session(engine) as session:
        counts = outbox_depth(session)
    depth.set(counts.get("pending", 0) + counts.get("sending", 0))
    failed.set(counts.get("failed", 0))
    return generate_latest(registry)


def process_metrics() -> bytes:
    """This process's metrics, or every process's when they share a directory."""
    if "PROMETHEUS_MULTIPROC_DIR" not in os.environ:
        return generate_latest(REGISTRY)
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)
    return generate_latest(registry)


def _refusal(request: Request, settings: Settings) -> int | None:
    """The status refusing this caller the metrics, or None when it may read them.

    Without a token or allowed networks, the page is open in development and does not
    exist in production; with either, a caller needs the token or an allowed address.
    """
    token = settings.metrics_token.get_secret_value()
    networks = settings.metrics_networks
    if not token and not networks:
        return 404 if settings.environment == "production" else None
    given = request.headers.get("authorization", "")
    if token and hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return None
    try:
        address = ip_address(request.client.host if request.client else "")
    except ValueError:
        return 403
    return None if any(address in network for network in networks) else 403


@router.get("/metrics", include_in_schema=False)
def metrics_page(request: Request) -> Response:
    """The metrics in Prometheus's text format."""
    refusal = _refusal(request, request.app.state.settings)
    if refusal is not None:
        raise HTTPException(status_code=refusal)
    body = process_metrics() + _outbox_metrics(request.app.state.engine)
    return Response(body, media_type=CONTENT_TYPE_LATEST)
