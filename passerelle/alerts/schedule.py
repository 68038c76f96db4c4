"""The alert jobs on the worker's schedule (imported by the worker, see `JOB_MODULES`).

Digests run every hour and mail the alerts whose period has passed since their own
watermark: each person's daily digest comes about a day after the last, and a run's work
is spread over the day instead of falling at one hour.
"""

from __future__ import annotations

from datetime import timedelta

from passerelle.alerts import jobs, reminders
from passerelle.worker import ScheduledJob, register_job

IMMEDIATE = register_job(ScheduledJob("alerts_immediate", timedelta(minutes=5), jobs.run_immediate))
DAILY = register_job(ScheduledJob("alerts_daily_digest", timedelta(hours=1), jobs.run_daily))
WEEKLY = register_job(ScheduledJob("alerts_weekly_digest", timedelta(hours=1), jobs.run_weekly))
REMINDERS = register_job(
    ScheduledJob("deadline_reminders", timedelta(hours=6), reminders.run_reminders)
)
