"""The review queue as staff read it: each pending offer or change, what differs, and for
an offer imported without categories the classifier's suggestion, one click to apply."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from services_catalog import workflow
from services_catalog.classify import Classifier, Suggestion, offer_text
from services_catalog.models import Offer, OfferRevision
from services_catalog.schemas import OfferRecord


@dataclass(frozen=True)
class Difference:
    field: str
    before: Any
    after: Any


@dataclass(frozen=True)
class QueueItem:
    offer: Offer
    revision: OfferRevision | None
    differences: list[Difference]
    suggestion: Suggestion | None


def differences(session: Session, offer: Offer, revision: OfferRevision) -> list[Difference]:
    """The fields a proposed change would alter, in exchange-format order."""
    proposed = workflow.proposed_record(session, revision)
    proposed.pop("id", None)
    before, after = workflow.changed_fields(workflow.offer_snapshot(offer), proposed)
    order = list(OfferRecord.model_fields)
    names = sorted(before, key=lambda name: order.index(name) if name in order else len(order))
    return [Difference(name, before[name], after[name]) for name in names]


def queue(session: Session, classifier: Classifier) -> list[QueueItem]:
    """Everything waiting for review, oldest first, ready to show."""
    items = []
    for offer, revision in workflow.review_queue(session):
        suggestion = None
        if offer.review_flag and revision is None:
            suggestion = classifier.suggest(offer_text(workflow.offer_snapshot(offer)))
        changes = differences(session, offer, revision) if revision is not None else []
        items.append(QueueItem(offer, revision, changes, suggestion))
    return items


def accept_suggestion(
    session: Session,
    offer: Offer,
    classifier: Classifier,
    *,
    actor_id: int | None,
    version: int | None = None,
) -> None:
    """Give a flagged offer the classifier's kind, categories and sectors (an audited edit)."""
    snapshot = workflow.offer_snapshot(offer)
    suggestion = classifier.suggest(offer_text(snapshot))
    record = OfferRecord.model_validate(
        {
            **snapshot,
            "id": offer.external_id,
            "kind": suggestion.kind,
            "categories": [code for code, _ in suggestion.categories],
            "sectors": [code for code, _ in suggestion.sectors],
        }
    )
    workflow.edit_offer(session, offer, record, actor_id=actor_id, version=version)
