"""The application factory."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine

from matching import NeedsModel
from passerelle import api, api_docs, api_writes, capacity, health, security
from passerelle.accounts import web as accounts_web
from passerelle.alerts import routes as alert_routes
from passerelle.analytics import routes as analytics_routes
from passerelle.analytics.service import SearchLog
from passerelle.classifier.store import ClassifierStore
from passerelle.db import create_db_engine
from passerelle.deadlines import routes as deadline_routes
from passerelle.freshness import routes as freshness_routes
from passerelle.interest import web as interest_web
from passerelle.monitoring import logs, metrics
from passerelle.monitoring.middleware import RequestMiddleware
from passerelle.provider import review_mail
from passerelle.provider import routes as provider_routes
from passerelle.recommender import Recommender
from passerelle.settings import Settings, get_settings
from passerelle.staff import routes as staff_routes
from passerelle.web import errors as web_errors
from passerelle.web import pages
from passerelle.web.read_cache import ReadCache
from passerelle.web.templating import STATIC_DIR
from services_catalog import search
from services_catalog.errors import CatalogError

WARM_UP_GRACE_SECONDS = 30


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> FastAPI:
    """A configured platform; tests pass their own settings and engine."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owns_engine = engine is None
        if settings.json_logs:
            logs.configure_json_logging()
        app.state.engine = engine or create_db_engine(
            settings.database_url, **settings.pool_options()
        )
        capacity.size_thread_pool(settings)
        app.state.database_check = health.DatabaseCheck(app.state.engine)
        search_log = app.state.search_log = SearchLog(app.state.engine)
        flushing = asyncio.create_task(search_log.flush_every(settings.search_log_seconds))
        # The needs model trains once per process; the index builds in the background.
        app.state.recommender = Recommender(app.state.engine, NeedsModel.default())
        app.state.read_cache = ReadCache()
        app.state.classifiers = ClassifierStore(app.state.engine)
        app.state.classifiers.current()  # trained or loaded once, before the first request
        if settings.warm_index:
            app.state.recommender.warm_up(partial(search.warm_up, app.state.engine))
        yield
        flushing.cancel()
        await asyncio.to_thread(search_log.flush)
        # Let a warm-up still reading the catalogue finish before the engine goes.
        await asyncio.to_thread(app.state.recommender.wait_warm, WARM_UP_GRACE_SECONDS)
        app.state.database_check.dispose()
        if owns_engine:
            app.state.engine.dispose()

    app = FastAPI(
        title="Passerelle",
        version="0.1.0",
        summary="Support services and financing offers for African diaspora entrepreneurs.",
        lifespan=lifespan,
        docs_url=None,  # served by api_docs, with its assets, instead of from a CDN
        redoc_url=None,
    )
    app.state.settings = settings
    capacity.install(app, settings)  # a busy process queues, then answers 503
    app.include_router(health.router)
    app.include_router(api.router)
    app.include_router(api_writes.router)
    api_docs.install(app)
    app.add_exception_handler(CatalogError, _catalog_error)
    # The site: pages, their assets, and HTML error pages (after the API's JSON handlers).
    app.include_router(pages.router)
    # Accounts: the signed session cookie, the /account and /me pages, their error answers.
    accounts_web.install(app, settings)
    staff_routes.install(app)  # the staff space (/staff)
    # The provider space and interest requests (issue 5).
    app.include_router(provider_routes.router)
    review_mail.install()  # providers are mailed as their offers' reviews move
    interest_web.install(app)
    # Alerts (issue 14): saved searches, "My alerts", one-click unsubscribe.
    app.include_router(alert_routes.router)
    app.include_router(alert_routes.public_router)
    # Staff analytics (issue 6): the dashboard and its CSV downloads.
    app.include_router(analytics_routes.router)
    app.include_router(deadline_routes.router)  # .ics files and calendar feeds
    app.include_router(freshness_routes.router)  # the freshness mail's "still accurate" link
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    web_errors.install_error_pages(app)
    security.install(app, settings)  # Host check, proxies, body cap, security headers
    metrics.install(app)
    # Outermost, so that it times, counts and logs every answer, refusals included.
    app.add_middleware(RequestMiddleware)
    return app


async def _catalog_error(_request: Request, exc: CatalogError) -> JSONResponse:
    return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)
