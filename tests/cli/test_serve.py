"""`passerelle serve --workers N` runs N processes answering on one port."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

PASSERELLE = Path(sys.executable).parent / "passerelle"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def worker_processes(pid: int) -> list[int]:
    """The children of `pid` that run a server (not multiprocessing's helpers)."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    workers = []
    for child in children:
        command = Path(f"/proc/{child}/cmdline").read_bytes().replace(b"\0", b" ")
        if b"spawn_main" in command:
            workers.append(int(child))
    return workers


def wait_for(url: str, process: subprocess.Popen, seconds: float = 240) -> httpx.Response:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and process.poll() is None:
        try:
            return httpx.get(url, timeout=5)
        except httpx.TransportError:
            time.sleep(0.2)
    process.terminate()
    raise AssertionError(f"{url} never answered:\n{process.communicate(timeout=30)[0]}")


def test_serve_with_two_workers_runs_two_processes(db, settings):
    port = free_port()
    env = os.environ | {"PASSERELLE_WARM_INDEX": "0"}
    process = subprocess.Popen(
        [PASSERELLE, "serve", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert wait_for(f"http://127.0.0.1:{port}/livez", process).json() == {"status": "ok"}
        deadline = time.monotonic() + 30
        while len(worker_processes(process.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert len(worker_processes(process.pid)) == 2
        for _ in range(10):
            assert httpx.get(f"http://127.0.0.1:{port}/api/v1/offers").status_code == 200
    finally:
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=30)
    assert "with 2 process(es)" in output
    assert process.returncode == 0, output
