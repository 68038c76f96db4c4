"""The uvicorn server of `passerelle serve`, also run from a background thread for browser
tests and benchmarks."""

from __future__ import annotations

import asyncio
import gc
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn
from fastapi import FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from passerelle.settings import Settings, get_settings

# Young-generation collections every 10,000 allocations rather than 700: a request makes
# thousands of short-lived objects, and fewer, larger collections cost less in all.
GC_THRESHOLDS = (10_000, 10, 10)
# How long uvicorn waits for a worker's answer before it kills and replaces it. Its 5 s
# default killed workers still importing the platform on a busy 2-core machine, forever;
# a minute was still short when eight test suites shared those two cores.
WORKER_HEALTHCHECK_SECONDS = 180
# Seconds an idle kept-alive connection stays open: longer than the usual proxy's (60 s),
# so that the server never closes one just as the proxy (or a client) sends on it, which
# loses that request ("server disconnected without sending a response").
KEEP_ALIVE_SECONDS = 75


def settle_long_lived_objects() -> None:
    """Leave what start-up loaded out of the garbage collector's work.

    Modules, classes, models and catalogues live as long as the process: over 200,000
    objects, which every full collection walked again (~250 ms on a 2-core machine),
    every few dozen requests. Frozen after start-up, they are no longer walked.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


class SettledOnStart:
    """ASGI wrapper settling the process's long-lived objects once the app has started,
    whichever uvicorn server runs it (one process, or each of `--workers`)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "lifespan":
            await self.app(scope, receive, send)
            return

        async def send_settled(message: Message) -> None:
            if message["type"] == "lifespan.startup.complete":
                settle_long_lived_objects()
            await send(message)

        await self.app(scope, receive, send_settled)


class WorkerAlongside:
    """ASGI wrapper running the background worker (outbox sender, scheduled jobs) in a
    thread while the app is up: started once the app has, stopped before it stops."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "lifespan":
            await self.app(scope, receive, send)
            return
        from passerelle.worker import BackgroundWorker

        running: list[BackgroundWorker] = []

        async def send_started(message: Message) -> None:
            if message["type"] == "lifespan.startup.complete":
                running.append(BackgroundWorker(self.settings).start())
            await send(message)

        async def receive_stopping() -> Message:
            message = await receive()
            if message["type"] == "lifespan.shutdown":
                for worker in running:
                    await asyncio.to_thread(worker.close)
            return message

        await self.app(scope, receive_stopping, send_started)


def served_app() -> ASGIApp:
    """The platform as `passerelle serve` runs it in each of its processes."""
    from passerelle.app import create_app  # the app factory imports much: only when serving

    settings = get_settings()
    app = SettledOnStart(create_app(settings))
    return WorkerAlongside(app, settings) if settings.worker_in_serve else app


def serve(*, host: str, port: int, workers: int) -> None:
    """Run `workers` processes (uvicorn starts and supervises them) sharing one socket."""
    uvicorn.run(
        "passerelle.serving:served_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
        # Forwarded headers are the app's to trust (PASSERELLE_TRUSTED_PROXIES), not uvicorn's.
        proxy_headers=False,
        timeout_worker_healthcheck=WORKER_HEALTHCHECK_SECONDS,
        timeout_keep_alive=KEEP_ALIVE_SECONDS,
    )


@contextmanager
def background_server(app: FastAPI, *, start_timeout: float = 15.0) -> Iterator[str]:
    """Serve `app` with uvicorn on a free port of 127.0.0.1; yield its base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # Without it, small responses wait ~40 ms for delayed ACKs (Nagle) on loopback.
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(
        SettledOnStart(app), log_level="warning", lifespan="on", proxy_headers=False
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + start_timeout
    try:
        while not server.started:
            if time.monotonic() > deadline or not thread.is_alive():
                raise RuntimeError("the server did not start")
            time.sleep(0.05)
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
