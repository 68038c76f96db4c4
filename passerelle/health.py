"""Health checks for load balancers and orchestrators: liveness, readiness and `/healthz`.

They pass the concurrency limit and never wait for the request pool: the database is
asked on a connection of its own, from a thread of its own, so a process busy with
hundreds of page requests still says promptly whether it is alive and ready.
"""

from __future__ import annotations

import anyio
import anyio.to_thread
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import Engine, text

from passerelle.db import create_db_engine

router = APIRouter(tags=["health"])
# Seconds a check waits for its connection before saying the database is unavailable.
CHECK_TIMEOUT = 2.0


class Liveness(BaseModel):
    status: str


class Health(Liveness):
    database: str


class Readiness(Health):
    match_index: str


class DatabaseCheck:
    """Asks the database for `SELECT 1` on one connection and one thread of its own."""

    def __init__(self, engine: Engine) -> None:
        url = engine.url.render_as_string(hide_password=False)
        self._engine = create_db_engine(
            url, pool_size=1, max_overflow=0, pool_timeout=CHECK_TIMEOUT
        )
        self._thread = anyio.CapacityLimiter(1)

    async def status(self) -> str:
        answers = await anyio.to_thread.run_sync(self._answers, limiter=self._thread)
        return "ok" if answers else "unavailable"

    def _answers(self) -> bool:
        try:
            with self._engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except Exception:
            return False
        return True

    def dispose(self) -> None:
        self._engine.dispose()


def _answer(model: Liveness) -> JSONResponse:
    return JSONResponse(model.model_dump(), status_code=200 if model.status == "ok" else 503)


@router.get("/livez")
async def livez() -> Liveness:
    """Liveness: the process answers; nothing else is asked (restart it when this fails)."""
    return Liveness(status="ok")


@router.get("/healthz", response_model=Health, responses={503: {"model": Health}})
async def healthz(request: Request) -> JSONResponse:
    """The process answers and so does its database; constant time, whatever the load."""
    database = await request.app.state.database_check.status()
    return _answer(Health(status="ok" if database == "ok" else "failing", database=database))


@router.get("/readyz", response_model=Readiness, responses={503: {"model": Readiness}})
async def readyz(request: Request) -> JSONResponse:
    """Readiness: the database answers and the indexes are built (503 until then)."""
    database = await request.app.state.database_check.status()
    recommender = request.app.state.recommender
    index = "ok" if recommender.ready and not recommender.warming else "building"
    ready = database == "ok" and index == "ok"
    return _answer(
        Readiness(status="ok" if ready else "failing", database=database, match_index=index)
    )
