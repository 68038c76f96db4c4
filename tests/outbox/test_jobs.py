"""Scheduled jobs: each runs once per period, whatever the number of workers."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, select

from passerelle import worker
from passerelle.outbox.mail import Mail
from passerelle.outbox.models import ScheduledJobState
from passerelle.outbox.service import outbox_depth, queue_mail
from services_catalog.models import utcnow

NOON = datetime(2027, 1, 15, 12, 0, tzinfo=UTC)


def counting_job(name="digest", every=timedelta(hours=1)):
    runs: list[datetime] = []

    def run(session, _settings, now):
        runs.append(now)
        queue_mail(session, Mail("awa@example.org", "Digest", "…"), dedupe_key=f"{name}:{now}")
        return 1

    return worker.ScheduledJob(name, every, run), runs


def test_a_job_runs_once_per_period(db, settings):
    job, runs = counting_job()
    assert worker.run_due_jobs(db, settings, now=NOON, jobs=[job]) == {"digest": 1}
    assert worker.run_due_jobs(db, settings, now=NOON + timedelta(minutes=59), jobs=[job]) == {}
    assert worker.run_due_jobs(db, settings, now=NOON + timedelta(hours=1), jobs=[job]) == {
        "digest": 1
    }
    assert runs == [NOON, NOON + timedelta(hours=1)]
    with Session(db) as session:
        state = session.get(ScheduledJobState, "digest")
        assert state.next_run_at == NOON + timedelta(hours=2) and state.last_count == 1


def test_a_failed_job_commits_nothing_and_is_tried_again_later(db, settings):
    def failing(session, _settings, _now):
        queue_mail(session, Mail("awa@example.org", "Never", "…"))
        raise RuntimeError("the matcher is away")

    job = worker.ScheduledJob("flaky", timedelta(days=1), failing)
    assert worker.run_due_jobs(db, settings, now=NOON, jobs=[job]) == {}
    with Session(db) as session:
        state = session.get(ScheduledJobState, "flaky")
        assert state.last_error == "RuntimeError: the matcher is away"
        assert state.next_run_at == NOON + worker.JOB_RETRY and state.lease_until is None
        assert outbox_depth(session) == {}


def test_a_job_held_by_a_worker_that_died_is_taken_again_once_its_lease_runs_out(db, settings):
    job, runs = counting_job()
    assert worker._claim(db, job, NOON)  # a worker took it, then was killed
    assert worker.run_due_jobs(db, settings, now=NOON + timedelta(minutes=30), jobs=[job]) == {}
    later = NOON + job.lease + timedelta(seconds=1)
    assert worker.run_due_jobs(db, settings, now=later, jobs=[job]) == {"digest": 1}
    assert runs == [later]


def test_workers_racing_run_a_due_job_once(db, settings):
    job, runs = counting_job()
    start = threading.Barrier(4)

    def one_worker():
        start.wait()
        worker.run_due_jobs(db, settings, now=NOON, jobs=[job])

    threads = [threading.Thread(target=one_worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert runs == [NOON]


def test_job_registration_refuses_a_second_job_of_a_name(monkeypatch):
    # A copy of the schedule, its modules imported first, so that the test leaves it alone.
    monkeypatch.setattr(worker, "SCHEDULED_JOBS", worker.load_jobs())
    job, _runs = counting_job("weekly")
    assert worker.register_job(job) is job
    with pytest.raises(ValueError, match=r"ScheduledJob\.name: 'weekly'"):
        worker.register_job(job)
    with pytest.raises(ValueError, match=r"ScheduledJob\.every"):
        worker.register_job(worker.ScheduledJob("never", timedelta(0), job.run))
    assert job in worker.load_jobs()  # with the jobs of JOB_MODULES


def test_old_sent_and_failed_mail_is_deleted_daily(db, settings):
    from passerelle.outbox import jobs
    from passerelle.outbox.models import OutboxMail

    assert jobs.OLD_MAIL in worker.load_jobs()
    with Session(db) as session:
        for status in ("sent", "failed", "pending"):
            queue_mail(session, Mail(f"{status}@example.org", status, "…"))
        session.commit()
        for row in session.exec(select(OutboxMail)):
            row.status = row.subject
            session.add(row)
        session.commit()
    kept = NOON.replace(year=2026)  # the rows were queued now, in 2026
    assert worker.run_due_jobs(db, settings, now=kept, jobs=[jobs.OLD_MAIL]) == {
        "outbox_delete_old_mail": 0
    }
    later = utcnow() + timedelta(days=31)
    assert worker.run_due_jobs(db, settings, now=later, jobs=[jobs.OLD_MAIL]) == {
        "outbox_delete_old_mail": 2
    }
    with Session(db) as session:
        assert outbox_depth(session) == {"pending": 1}  # still to send: never deleted
