"""Mail to a provider's members when the review of one of its offers moves: the offer (or
a change to it) received, approved, or turned down with the reason.

Every path that moves a review (the provider's pages, the staff's queue one by one or
several at once, the API) writes an audit entry through `services_catalog.workflow`;
the mails follow those entries, queued just before the same transaction commits, so
that none is missed by a new path and none leaves for a review rolled back.
"""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.orm import Session

from passerelle.outbox.mail import compose
from passerelle.outbox.service import queue_mail
from passerelle.provider import membership
from passerelle.settings import get_settings
from services_catalog.models import AuditEntry, Offer

# Audit action → (mail template, whether it is about a change to a published offer).
MAILED_ACTIONS = {
    "submit": ("offer_received", False),
    "propose_change": ("offer_received", True),
    "approve": ("offer_approved", False),
    "approve_change": ("offer_approved", True),
    "reject": ("offer_rejected", False),
    "reject_change": ("offer_rejected", True),
}
_PENDING = "review_mail_entries"


def install() -> None:
    """Listen to every session (once per process, whoever calls)."""
    for name, listener in (
        ("after_flush", _collect),
        ("before_commit", _queue),
        ("after_soft_rollback", _forget),
    ):
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)


def _collect(session: Session, _flush_context) -> None:
    """Note the review entries just written (`session.new` still lists them here)."""
    entries = [
        entry
        for entry in session.new
        if isinstance(entry, AuditEntry) and entry.entity == "offer"
        and entry.action in MAILED_ACTIONS
    ]  # fmt: skip
    if entries:
        session.info.setdefault(_PENDING, []).extend(entries)


def _forget(session: Session, _previous_transaction) -> None:
    session.info.pop(_PENDING, None)


def _queue(session: Session) -> None:
    for entry in session.info.pop(_PENDING, []):
        offer = session.get(Offer, entry.entity_id)
        if offer is not None:
            queue_review_mails(session, offer, entry.action, reason=entry.note)


def queue_review_mails(session: Session, offer: Offer, action: str, *, reason: str | None) -> None:
    """One mail to each active member of the offer's organisation, in their language."""
    template, change = MAILED_ACTIONS[action]
    base = get_settings().base_url
    links = {
        "edit_link": f"{base}/provider/offers/{offer.id}/edit",
        "offer_link": f"{base}/offers/{offer.id}",
    }
    for member in membership.active_members(session, offer.organization_id):
        mail = compose(member.email, member.locale, template, name=member.display_name,
                       offer=offer.title, change=change, reason=reason or "", **links)  # fmt: skip
        queue_mail(session, mail)
