"""`passerelle worker` and `passerelle serve` as installed commands, on a fresh data directory."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import delete, update
from sqlmodel import Session, select

from passerelle.db import create_db_engine
from passerelle.outbox.models import OutboxMail
from passerelle.settings import Settings
from services_catalog.models import utcnow
from tests.outbox.conftest import MailServer, free_port, queue

PASSERELLE = Path(sys.executable).parent / "passerelle"


@pytest.fixture(scope="module")
def module_server():
    """One SMTP server for the module: the commands below are told its port once."""
    controller = Controller(MailServer(), hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller
    controller.stop()


@pytest.fixture
def server(module_server) -> MailServer:
    module_server.handler.__init__()  # accepting, at once, nothing received yet
    return module_server.handler


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("worker") / "data"


def environment_for(data_dir: Path, port: int, database_url: str | None) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env |= {
        "PASSERELLE_DATA_DIR": str(data_dir), "PASSERELLE_ENV": "test",
        "PASSERELLE_WARM_INDEX": "0", "SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(port),
        "SMTP_STARTTLS": "false",
    }  # fmt: skip
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


@pytest.fixture(scope="module")
def environment(data_dir, fresh_database_url, module_server) -> dict[str, str]:
    return environment_for(data_dir, module_server.port, fresh_database_url)


def run(environment, *args, timeout=180) -> subprocess.CompletedProcess:
    return subprocess.run(
        [PASSERELLE, *args], env=environment, capture_output=True, text=True, timeout=timeout
    )


@pytest.fixture(scope="module")
def migrated(environment, data_dir, fresh_database_url):
    """The fresh database, migrated by `passerelle init` once for the module."""
    done = run(environment, "init")
    assert done.returncode == 0, done.stderr
    engine = create_db_engine(fresh_database_url or f"sqlite:///{data_dir / 'passerelle.db'}")
    yield engine
    engine.dispose()


@pytest.fixture
def engine(migrated):
    """The module's database, its outbox empty."""
    with Session(migrated) as session:
        session.execute(delete(OutboxMail))
        session.commit()
    return migrated


def statuses(engine) -> Counter:
    with Session(engine) as session:
        return Counter(session.exec(select(OutboxMail.status)))


def wait_until(condition, process: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise AssertionError(process.communicate(timeout=30)[0])
        time.sleep(0.02)


def start(environment, *args) -> subprocess.Popen:
    return subprocess.Popen(
        [PASSERELLE, *args], env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True,
    )  # fmt: skip


def test_worker_once_sends_what_is_due_and_exits(environment, engine, server):
    queue(engine, 2)
    done = run(environment, "worker", "--once")
    assert done.returncode == 0, done.stderr
    assert "Worker pass done: 2 mail(s) sent" in done.stdout
    assert sorted(m["To"] for m in server.received) == [
        "reader0@example.org",
        "reader1@example.org",
    ]
    assert statuses(engine) == {"sent": 2}
    again = run(environment, "worker", "--once")
    assert "0 mail(s) sent" in again.stdout and len(server.received) == 2


def test_worker_refuses_a_database_without_its_schema(tmp_path, module_server):
    empty = environment_for(tmp_path / "data", module_server.port, f"sqlite:///{tmp_path}/e.db")
    done = run(empty, "worker", "--once")
    assert done.returncode == 1 and "run `passerelle init` first" in done.stderr


def test_a_worker_killed_mid_batch_loses_no_mail_and_sends_none_twice(environment, engine, server):
    """kill -9 while the server is busy with a message (after the previous one was noted
    sent): the next worker, once the dead one's lease is over, sends the rest, once."""
    queue(engine, 10)
    server.delay = 0.4
    worker = start(environment, "worker")
    wait_until(lambda: len(server.received) >= 3, worker)
    time.sleep(0.2)  # the third is noted sent; the fourth is with the server
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=30)
    sent_before = len(server.received)
    assert 3 <= sent_before < 10
    assert statuses(engine)["sent"] == sent_before  # what was accepted was noted
    with Session(engine) as session:  # time passes: the dead worker's lease runs out
        session.execute(
            update(OutboxMail)
            .where(OutboxMail.status == "sending")
            .values(lease_until=utcnow() - timedelta(seconds=1))
        )
        session.commit()
    server.delay = 0
    done = run(environment, "worker", "--once")
    assert f"{10 - sent_before} mail(s) sent" in done.stdout, done.stdout + done.stderr
    ids = server.message_ids()
    assert len(ids) == 10 and len(set(ids)) == 10
    assert statuses(engine) == {"sent": 10}


def test_sigterm_stops_the_worker_after_the_message_under_way(environment, engine, server):
    queue(engine, 5)
    server.delay = 0.5
    worker = start(environment, "worker")
    wait_until(lambda: len(server.received) >= 1, worker)
    worker.send_signal(signal.SIGTERM)
    output = worker.communicate(timeout=60)[0]
    assert worker.returncode == 0 and "Passerelle worker stopped" in output
    sent = len(server.received)
    assert statuses(engine) == {"sent": sent, "pending": 5 - sent}  # given back, unsent
    server.delay = 0
    assert f"{5 - sent} mail(s) sent" in run(environment, "worker", "--once").stdout
    assert len(set(server.message_ids())) == 5


def test_serve_on_the_embedded_database_sends_mail_too(environment, engine, server):
    if engine.dialect.name != "sqlite":
        pytest.skip("on PostgreSQL, `passerelle worker` sends (PASSERELLE_SERVE_WORKER)")
    queue(engine, 1)
    port = free_port()
    process = start(environment, "serve", "--port", str(port))
    try:
        wait_until(lambda: len(server.received) == 1, process)
        assert httpx.get(f"http://127.0.0.1:{port}/livez", timeout=10).status_code == 200
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=60)
    assert statuses(engine) == {"sent": 1}


@pytest.mark.parametrize(
    ("url", "setting", "expected"),
    [
        ("sqlite:///data/p.db", None, True),
        ("postgresql://u@h/db", None, False),
        ("postgresql://u@h/db", "true", True),
        ("sqlite:///data/p.db", "false", False),
    ],
)
def test_serve_runs_the_worker_on_the_embedded_database_unless_told(
    url, setting, expected, tmp_path, monkeypatch
):
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("PASSERELLE_DATA_DIR", str(tmp_path))
    if setting is None:
        monkeypatch.delenv("PASSERELLE_SERVE_WORKER", raising=False)
    else:
        monkeypatch.setenv("PASSERELLE_SERVE_WORKER", setting)
    assert Settings().worker_in_serve is expected
