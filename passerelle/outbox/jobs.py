"""The outbox's own scheduled job: old mail deleted once a day."""

from datetime import timedelta

from passerelle.outbox.service import delete_old_mail
from passerelle.worker import ScheduledJob, register_job

OLD_MAIL = register_job(ScheduledJob("outbox_delete_old_mail", timedelta(days=1), delete_old_mail))
