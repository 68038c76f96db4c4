"""The daily job that asks providers to confirm offers not verified for 11 months.

One mail per offer and recipient per verification period: the outbox's dedupe key names
the offer and the day it was last verified, so that running the job daily, twice, or on
several workers at once queues it once; a confirmation starts a new period, and the
reminder comes again 11 months later.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session

from passerelle.freshness import service
from passerelle.freshness.routes import router as freshness_router
from passerelle.outbox.mail import Mail, render_mail
from passerelle.outbox.service import queue_mail
from passerelle.provider.routes import router as provider_router
from passerelle.settings import Settings
from passerelle.worker import ScheduledJob, register_job
from services_catalog.freshness import STALE_AFTER, reference_day
from services_catalog.models import Offer

TEMPLATE = "offer_freshness"


def dedupe_key(offer: Offer, recipient: service.Recipient) -> str:
    return f"fresh:{offer.id}:{reference_day(offer).isoformat()}:{recipient.key}"


def reminder(settings: Settings, offer: Offer, recipient: service.Recipient) -> Mail:
    """The mail asking `recipient` to confirm `offer`, in their language."""
    base = settings.base_url  # without a trailing slash (Settings strips it)
    confirm = freshness_router.url_path_for("still_accurate", offer_id=str(offer.id))
    edit = provider_router.url_path_for("edit_offer", offer_id=str(offer.id))
    verified_on = reference_day(offer)
    subject, text, html = render_mail(
        TEMPLATE,
        recipient.locale,
        offer=offer,
        verified_on=verified_on,
        flagged_on=verified_on + STALE_AFTER,
        confirm_link=f"{base}{confirm}?token={service.link_token(settings, offer.id)}",
        edit_link=f"{base}{edit}",
        link_days=service.LINK_VALID.days,
    )
    return Mail(to=recipient.email, subject=subject, text=text, html=html, locale=recipient.locale)


def queue_reminders(session: Session, settings: Settings, now: datetime) -> int:
    """Queue the reminders due on `now`'s day; how many were new."""
    queued = 0
    for offer in service.offers_to_remind(session, now.date()):
        for recipient in service.recipients(session, offer.organization):
            mail = reminder(settings, offer, recipient)
            queued += queue_mail(session, mail, dedupe_key=dedupe_key(offer, recipient))
    return queued


JOB = register_job(ScheduledJob("offer_freshness", timedelta(days=1), queue_reminders))
