"""The background worker: the outbox's sender and the scheduled jobs.

A module with work to do on a schedule registers it at import:

    register_job(ScheduledJob("alert_digest", timedelta(days=1), queue_digests))

and adds its own name to `JOB_MODULES`, which the worker imports before its first pass.
`run(session, settings, now)` returns how many things it did (mails queued…); the worker
commits its session when it returns, and rolls it back when it raises.

Each job runs at most once per period across every worker sharing the database: a row of
`scheduled_job` per job says when it is due next; a worker takes it with a conditional
UPDATE (… WHERE next_run_at <= now AND its lease is free), which only one of them wins,
and the job's work and its next date commit together. A worker killed mid-job leaves its
lease to run out (`ScheduledJob.lease`), and the job is done again by whoever comes next:
jobs are written so that running one twice changes nothing (dedupe keys).
"""

from __future__ import annotations

import importlib
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, or_, update
from sqlmodel import Session

from passerelle.db import create_db_engine, session_scope, upsert_insert
from passerelle.outbox import sender
from passerelle.outbox.models import ScheduledJobState
from passerelle.settings import Settings
from services_catalog.models import utcnow

logger = logging.getLogger(__name__)

# Modules that register scheduled jobs when imported.
JOB_MODULES: tuple[str, ...] = (
    "passerelle.outbox.jobs",
    "passerelle.freshness.reminders",
    "passerelle.alerts.schedule",
)
# Seconds the worker sleeps when it found nothing to send.
POLL_SECONDS = 5.0
# A failed job is tried again after this long, or after its period when that is shorter.
JOB_RETRY = timedelta(minutes=5)


@dataclass(frozen=True)
class ScheduledJob:
    name: str
    every: timedelta
    run: Callable[[Session, Settings, datetime], int]
    # How long a run may last before another worker takes the job for a dead one.
    lease: timedelta = timedelta(hours=1)


SCHEDULED_JOBS: list[ScheduledJob] = []


def register_job(job: ScheduledJob) -> ScheduledJob:
    """Add `job` to the schedule; a second job of the same name is an error."""
    if any(known.name == job.name for known in SCHEDULED_JOBS):
        raise ValueError(f"ScheduledJob.name: {job.name!r} is registered already")
    if job.every <= timedelta(0):
        raise ValueError(f"ScheduledJob.every: {job.every!r} is not a positive period")
    SCHEDULED_JOBS.append(job)
    return job


def load_jobs() -> list[ScheduledJob]:
    """Every registered job, once the modules that register them are imported."""
    for module in JOB_MODULES:
        importlib.import_module(module)
    return list(SCHEDULED_JOBS)


def run_due_jobs(
    engine: Engine, settings: Settings, *, now: datetime | None = None,
    jobs: list[ScheduledJob] | None = None,
) -> dict[str, int]:  # fmt: skip
    """Run the jobs that are due and no other worker holds; what each one returned."""
    done = {}
    for job in load_jobs() if jobs is None else jobs:
        started = now or utcnow()
        if not _claim(engine, job, started):
            continue
        try:
            with session_scope(engine) as session:
                count = job.run(session, settings, started)
                _finish(session, job, started, count)
        except Exception as exc:
            logger.exception("scheduled job %s failed", job.name)
            _give_back(engine, job, started, exc)
            continue
        done[job.name] = count
    return done


def _claim(engine: Engine, job: ScheduledJob, now: datetime) -> bool:
    """Take `job` when due and free: committed before it runs, so no one else starts it."""
    state = ScheduledJobState.__table__
    with session_scope(engine) as session:
        # A job seen for the first time is due at once.
        first = upsert_insert(engine, state).values(name=job.name, next_run_at=now)
        session.execute(first.on_conflict_do_nothing(index_elements=["name"]))
        taken = session.execute(
            update(state)
            .where(state.c.name == job.name, state.c.next_run_at <= now)
            .where(or_(state.c.lease_until.is_(None), state.c.lease_until < now))
            .values(lease_until=now + job.lease)
        )
        return taken.rowcount == 1


def _finish(session: Session, job: ScheduledJob, started: datetime, count: int) -> None:
    state = ScheduledJobState.__table__
    session.execute(
        update(state)
        .where(state.c.name == job.name)
        .values(
            next_run_at=started + job.every,
            lease_until=None,
            last_run_at=started,
            last_count=count,
            last_error=None,
        )
    )


def _give_back(engine: Engine, job: ScheduledJob, started: datetime, exc: Exception) -> None:
    state = ScheduledJobState.__table__
    with session_scope(engine) as session:
        session.execute(
            update(state)
            .where(state.c.name == job.name)
            .values(
                next_run_at=started + min(job.every, JOB_RETRY),
                lease_until=None,
                last_error=f"{type(exc).__name__}: {exc}"[:2000],
            )
        )


def run_once(
    engine: Engine, settings: Settings, *, stop: threading.Event | None = None
) -> tuple[int, dict[str, int]]:
    """One pass: send every mail due now, then run the due jobs; the mails sent and what
    each job that ran returned."""
    sent = sender.deliver_all_due(engine, settings, stop=stop)
    jobs = {} if stop is not None and stop.is_set() else run_due_jobs(engine, settings)
    return sent, jobs


def run_forever(engine: Engine, settings: Settings, stop: threading.Event) -> None:
    """Pass after pass until `stop` is set; a pass that fails is logged, not fatal."""
    while not stop.is_set():
        try:
            run_once(engine, settings, stop=stop)
        except Exception:  # the database away for a moment: try again at the next pass
            logger.exception("worker pass failed")
        stop.wait(POLL_SECONDS)


class BackgroundWorker:
    """The worker in a thread of `passerelle serve`, with its own engine."""

    def __init__(self, settings: Settings) -> None:
        self.engine = create_db_engine(settings.database_url)
        self.stop = threading.Event()
        self.thread = threading.Thread(
            target=run_forever, args=(self.engine, settings, self.stop), name="passerelle-worker",
            daemon=True,
        )  # fmt: skip

    def start(self) -> BackgroundWorker:
        self.thread.start()
        return self

    def close(self, timeout: float = 30.0) -> None:
        """Stop after the message being sent (the rest of the batch goes back)."""
        self.stop.set()
        self.thread.join(timeout)
        self.engine.dispose()
