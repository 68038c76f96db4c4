"""The life of an offer after import: drafts, review, edits of published offers, audit log.

    draft ──submit──▶ pending ──approve──▶ published ──archive──▶ archived
      ▲                  │                     │
      └──── rejected ◀───┘ reject              └─ edit: an OfferRevision waits for review
                                                  while the published version stays visible

Every function records who did what in the audit log (`AuditEntry`), with the fields that
changed before and after, as the exchange format writes them. Permissions (who may act on
which offer) are the platform's business; these functions take the acting account's id.
Like the other services they flush and leave the commit to the caller.

Every step may name the offer's `version` the actor saw (a form's hidden field, an API
`If-Match`): when the offer has moved on since, the step is refused (StaleOfferError). The
step's UPDATE of the offer row is conditional on the version read, so that of two actors
who read the same version at once, one wins and the other is refused, never both "done".
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any, ParamSpec, TypeVar

from sqlalchemy import Select, and_, func, or_, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from services_catalog import service
from services_catalog.errors import CatalogError
from services_catalog.models import AuditEntry, Offer, OfferRevision, Organization, utcnow
from services_catalog.schemas import OfferRecord
from services_catalog.taxonomy import fold

# Statuses from which an edit changes the offer in place (nobody else sees it yet).
EDITABLE_IN_PLACE = ("draft", "pending", "rejected")


class TransitionError(CatalogError):
    """The offer is not in a status that allows this step."""

    status_code = 409


class StaleOfferError(CatalogError):
    """The offer changed after the actor read it: the step would undo or skip that change."""

    status_code = 409


P = ParamSpec("P")
R = TypeVar("R")


def _one_writer_wins(step: Callable[P, R]) -> Callable[P, R]:
    """A step whose conditional UPDATE found the offer changed by a concurrent writer
    raises StaleOfferError (the transaction must then be rolled back)."""

    @functools.wraps(step)
    def guarded(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return step(*args, **kwargs)
        except StaleDataError as exc:
            raise StaleOfferError(
                "the offer was changed by someone else at the same moment: reload it"
            ) from exc

    return guarded


def _claim(offer: Offer, version: int | None) -> None:
    """Refuse a step taken on an older version; mark the row for an UPDATE, so that the
    version moves on (and is checked) even when no column of the offer changes."""
    if version is not None and version != offer.version:
        raise StaleOfferError(
            f"version: the offer is at version {offer.version}, not {version}: "
            "it changed after you read it; reload it and try again"
        )
    if offer.id is not None:
        flag_modified(offer, "updated_at")


def offer_snapshot(offer: Offer) -> dict[str, Any]:
    """The offer's content as JSON-ready exchange-format fields (id left out)."""
    data = service.offer_to_record(offer).model_dump(mode="json")
    data.pop("id")
    return data


def changed_fields(before: Mapping, after: Mapping) -> tuple[dict, dict]:
    """Only the fields whose values differ, as (before, after)."""
    names = [name for name in {**before, **after} if before.get(name) != after.get(name)]
    return {n: before.get(n) for n in names}, {n: after.get(n) for n in names}


def audit(
    session: Session,
    *,
    actor_id: int | None,
    entity: str,
    entity_id: int | None,
    action: str,
    before: Mapping | None = None,
    after: Mapping | None = None,
    note: str | None = None,
) -> AuditEntry:
    """Record one catalogue change; `before` and `after` are reduced to what differs."""
    before, after = changed_fields(before or {}, after or {})
    entry = AuditEntry(
        actor_id=actor_id,
        entity=entity,
        entity_id=entity_id,
        action=action,
        before=before,
        after=after,
        note=note,
    )
    session.add(entry)
    return entry


def redact_audit_notes(session: Session, text: str, replacement: str) -> None:
    """Replace `text` (say, a deleted account's e-mail address) wherever audit notes hold it."""
    session.execute(
        update(AuditEntry)
        .where(AuditEntry.note.contains(text, autoescape=True))
        .values(note=func.replace(AuditEntry.note, text, replacement))
        .execution_options(synchronize_session=False)
    )


def _audit_offer(
    session: Session, offer: Offer, action: str, *, actor_id: int | None, **change: Any
) -> AuditEntry:
    return audit(
        session, actor_id=actor_id, entity="offer", entity_id=offer.id, action=action, **change
    )


def _named_organization(session: Session, name: str) -> Organization | None:
    return session.scalar(select(Organization).where(Organization.name_key == fold(name)))


def _organization_for(session: Session, record: OfferRecord) -> Organization:
    """The record's organisation, read alone (an edit names one, unlike an import)."""
    found = _named_organization(session, record.organization)
    known = {fold(record.organization): found} if found is not None else {}
    return service.get_or_create_organization(session, record.organization, known)


def _apply(session: Session, offer: Offer, record: OfferRecord, today: date) -> None:
    with session.no_autoflush:  # a new offer has no title until the record is applied
        organization = _organization_for(session, record)
    service.apply_scalars(offer, record, organization)
    if record.written_amounts:  # merged: a record without them (a revision) keeps the known ones
        offer.written_amounts = offer.written_amounts | record.written_amounts
    service.save_lists(session, [(offer, record.lists())])
    service.mark_changed(offer, verified_on=today)


def create_offer(
    session: Session, record: OfferRecord, *, actor_id: int | None, today: date | None = None
) -> Offer:
    """A new draft offer from a record (its organisation found by name, or created)."""
    offer = Offer(created_by_id=actor_id, status="draft")
    session.add(offer)
    _apply(session, offer, record, today or date.today())
    session.flush()
    _audit_offer(
        session,
        offer,
        "create",
        actor_id=actor_id,
        after={"status": "draft", **offer_snapshot(offer)},
    )
    return offer


@_one_writer_wins
def edit_offer(
    session: Session,
    offer: Offer,
    record: OfferRecord,
    *,
    actor_id: int | None,
    today: date | None = None,
    version: int | None = None,
) -> OfferRevision | None:
    """Change an offer. A draft, pending or rejected offer changes in place; a published
    one keeps showing its current version while the change waits as a revision (returned),
    replacing any earlier revision not yet reviewed."""
    if offer.status == "archived":
        raise TransitionError("an archived offer cannot be edited")
    _claim(offer, version)
    proposed = record.model_dump(mode="json")
    proposed.pop("id")
    before = offer_snapshot(offer)
    if offer.status in EDITABLE_IN_PLACE:
        _apply(session, offer, record, today or date.today())
        session.flush()
        _audit_offer(
            session,
            offer,
            "edit",
            actor_id=actor_id,
            before=before,
            after=offer_snapshot(offer),
        )
        return None
    revision = pending_revision(session, offer.id)
    if revision is None:
        revision = OfferRevision(offer_id=offer.id, record=proposed)
        session.add(revision)
    revision.record, revision.submitted_by_id = proposed, actor_id
    revision.written_amounts = record.written_amounts
    named = _named_organization(session, record.organization)
    revision.organization_id = named.id if named is not None else None
    revision.submitted_at = utcnow()
    offer.review_note = None
    session.flush()
    _audit_offer(
        session,
        offer,
        "propose_change",
        actor_id=actor_id,
        before=before,
        after=proposed,
    )
    return revision


def pending_revision(session: Session, offer_id: int) -> OfferRevision | None:
    return session.scalar(select(OfferRevision).where(OfferRevision.offer_id == offer_id))


def proposed_record(session: Session, revision: OfferRevision) -> dict[str, Any]:
    """The change as proposed, naming its organisation as it is called today: a rename
    while the change waited for review must not send the offer elsewhere."""
    proposed = dict(revision.record)
    if revision.organization_id is not None:
        proposed["organization"] = session.get(Organization, revision.organization_id).name
    return proposed


def _set_status(
    session: Session,
    offer: Offer,
    status: str,
    *,
    actor_id: int | None,
    action: str,
    allowed_from: tuple[str, ...],
    note: str | None = None,
) -> None:
    """Move the offer to `status` if it is in one of `allowed_from` (TransitionError if not);
    the caller has claimed the version it read (`_claim`)."""
    if offer.status not in allowed_from:
        raise TransitionError(
            f"cannot {action} an offer whose status is {offer.status!r} "
            f"(only from {', '.join(allowed_from)})"
        )
    before = {"status": offer.status}
    offer.status = status
    service.mark_changed(offer)
    _audit_offer(
        session,
        offer,
        action,
        actor_id=actor_id,
        before=before,
        after={"status": status},
        note=note,
    )
    session.flush()


@_one_writer_wins
def submit_offer(
    session: Session, offer: Offer, *, actor_id: int | None, version: int | None = None
) -> None:
    """Send a draft (or a rejected offer, once corrected) to the review queue."""
    _claim(offer, version)
    _set_status(
        session,
        offer,
        "pending",
        actor_id=actor_id,
        action="submit",
        allowed_from=("draft", "rejected"),
    )


@_one_writer_wins
def approve(
    session: Session,
    offer: Offer,
    *,
    actor_id: int | None,
    today: date | None = None,
    version: int | None = None,
) -> None:
    """Publish a pending offer, or apply the change waiting for a published one."""
    _claim(offer, version)
    today = today or date.today()
    revision = pending_revision(session, offer.id) if offer.status == "published" else None
    if revision is not None:
        before = offer_snapshot(offer)
        record = OfferRecord.model_validate(proposed_record(session, revision))
        _apply(session, offer, record.keep_written(revision.written_amounts), today)
        session.delete(revision)
        offer.review_note = None
        session.flush()
        _audit_offer(
            session,
            offer,
            "approve_change",
            actor_id=actor_id,
            before=before,
            after=offer_snapshot(offer),
        )
        return
    if not offer.codes("categories"):
        raise CatalogError("categories: an offer needs at least one category to be published")
    offer.review_note = offer.review_flag = None
    offer.last_verified_on = today
    _set_status(
        session, offer, "published", actor_id=actor_id, action="approve", allowed_from=("pending",)
    )


@_one_writer_wins
def reject(
    session: Session,
    offer: Offer,
    *,
    actor_id: int | None,
    reason: str,
    version: int | None = None,
) -> None:
    """Send a pending offer back to its provider, or turn down a published offer's change;
    the reason is kept on the offer for the provider to read."""
    reason = reason.strip()
    if not reason:
        raise CatalogError("reason: a rejection needs a reason the provider can act on")
    _claim(offer, version)
    revision = pending_revision(session, offer.id) if offer.status == "published" else None
    offer.review_note = reason
    if revision is not None:
        session.delete(revision)
        session.flush()
        _audit_offer(
            session,
            offer,
            "reject_change",
            actor_id=actor_id,
            note=reason,
        )
        return
    _set_status(
        session,
        offer,
        "rejected",
        actor_id=actor_id,
        action="reject",
        allowed_from=("pending",),
        note=reason,
    )


@_one_writer_wins
def archive(
    session: Session, offer: Offer, *, actor_id: int | None, version: int | None = None
) -> None:
    """Withdraw an offer from the catalogue (and drop any change waiting for it)."""
    _claim(offer, version)
    revision = pending_revision(session, offer.id)
    if revision is not None:
        session.delete(revision)
    _set_status(
        session,
        offer,
        "archived",
        actor_id=actor_id,
        action="archive",
        allowed_from=("draft", "pending", "published", "rejected"),
    )


@_one_writer_wins
def confirm_accurate(
    session: Session,
    offer: Offer,
    *,
    actor_id: int | None,
    today: date | None = None,
    version: int | None = None,
) -> None:
    """The provider confirms the offer is still accurate: it counts as verified today."""
    _claim(offer, version)
    today = today or date.today()
    before = {"last_verified_on": offer.last_verified_on and offer.last_verified_on.isoformat()}
    offer.last_verified_on = today
    _audit_offer(
        session,
        offer,
        "confirm_accurate",
        actor_id=actor_id,
        before=before,
        after={"last_verified_on": today.isoformat()},
    )
    session.flush()


def set_organization_verified(
    session: Session, organization: Organization, verified: bool, *, actor_id: int | None
) -> None:
    """Staff vouch for (or withdraw their word on) an organisation."""
    if organization.verified == verified:
        return
    audit(
        session,
        actor_id=actor_id,
        entity="organization",
        entity_id=organization.id,
        action="verify" if verified else "unverify",
        before={"verified": organization.verified},
        after={"verified": verified},
    )
    organization.verified = verified
    organization.updated_at = utcnow()
    session.flush()


def decide_organization_rename(
    session: Session, organization: Organization, approve: bool, *, actor_id: int | None
) -> None:
    """Staff approve a verified organisation's new name (it goes live, the badge stays) or
    turn it down (the current name stays)."""
    if organization.pending_name is None:
        return
    before = {"name": organization.name, "pending_name": organization.pending_name}
    if approve:
        organization.name = organization.pending_name
        organization.name_key = fold(organization.name)
    organization.pending_name = None
    audit(
        session,
        actor_id=actor_id,
        entity="organization",
        entity_id=organization.id,
        action="rename" if approve else "reject_rename",
        before=before,
        after={"name": organization.name, "pending_name": None},
    )
    organization.updated_at = utcnow()
    session.flush()


# What waits for review: a new offer, a change to a published one, or an offer the import
# flagged (it came without categories: the classifier proposes them).
REVIEW_KINDS = ("new", "change", "flagged")


def review_kind(offer: Offer, revision: OfferRevision | None) -> str:
    """Which of REVIEW_KINDS an item of the review queue is."""
    if revision is not None:
        return "change"
    return "flagged" if offer.review_flag else "new"


def review_query(kind: str | None = None) -> Select:
    """(offer, revision) pairs waiting for staff, oldest first, of one of REVIEW_KINDS
    or (None) all of them."""
    query = select(Offer, OfferRevision).outerjoin(
        OfferRevision, OfferRevision.offer_id == Offer.id
    )
    pending = and_(Offer.status == "pending", OfferRevision.id.is_(None))
    if kind == "change":
        query = query.where(OfferRevision.id.is_not(None))
    elif kind == "flagged":
        query = query.where(pending, Offer.review_flag.is_not(None))
    elif kind == "new":
        query = query.where(pending, Offer.review_flag.is_(None))
    else:
        query = query.where(or_(Offer.status == "pending", OfferRevision.id.is_not(None)))
    return query.order_by(Offer.updated_at, Offer.id)


def review_queue(session: Session) -> list[tuple[Offer, OfferRevision | None]]:
    """Everything waiting for staff, oldest first: pending offers and changes to published ones."""
    return [(offer, revision) for offer, revision in session.execute(review_query())]
