"""Two actors on one offer at once: one wins, the other is told, never both "done".

Each actor has its own session (its own connection), reads the offer, waits until the
other has read it too, then acts and commits, as two staff clicking together would.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from sqlmodel import Session

from services_catalog import workflow
from services_catalog.models import Offer
from services_catalog.schemas import OfferRecord
from services_catalog.workflow import StaleOfferError

OFFER = {
    "title": "Prêt d'honneur Dakar",
    "description": "Un prêt sans intérêt pour créer son entreprise au Sénégal.",
    "organization": "Réseau Passerelle Test",
    "kind": "financing",
    "categories": ["honour_loan"],
}

Step = Callable[[Session, Offer], None]


def approve(session: Session, offer: Offer) -> None:
    workflow.approve(session, offer, actor_id=None)


def reject(session: Session, offer: Offer) -> None:
    workflow.reject(session, offer, actor_id=None, reason="The deadline is missing.")


def edit_title(title: str) -> Step:
    def edit(session: Session, offer: Offer) -> None:
        record = OfferRecord.model_validate({**OFFER, "title": title})
        workflow.edit_offer(session, offer, record, actor_id=None)

    return edit


def race(engine, offer_id: int, steps: list[Step]) -> list[str]:
    """Run the steps at once, one thread and session each; what each actor was told."""
    both_read = threading.Barrier(len(steps), timeout=20)
    answers: list[str] = [""] * len(steps)

    def act(index: int, step: Step) -> None:
        with Session(engine, expire_on_commit=False) as session:
            offer = session.get(Offer, offer_id)
            workflow.pending_revision(session, offer_id)
            both_read.wait()
            try:
                step(session, offer)
                session.commit()
                answers[index] = "done"
            except StaleOfferError:
                session.rollback()
                answers[index] = "refused"

    threads = [threading.Thread(target=act, args=pair) for pair in enumerate(steps)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return answers


@pytest.fixture
def pending(session) -> int:
    offer = workflow.create_offer(session, OfferRecord.model_validate(OFFER), actor_id=None)
    workflow.submit_offer(session, offer, actor_id=None)
    session.commit()
    return offer.id


@pytest.fixture
def changed(session) -> int:
    """A published offer with a change waiting for review."""
    offer = workflow.create_offer(session, OfferRecord.model_validate(OFFER), actor_id=None)
    workflow.submit_offer(session, offer, actor_id=None)
    workflow.approve(session, offer, actor_id=None)
    workflow.edit_offer(session, offer, edit_title_record("Prêt d'honneur 2027"), actor_id=None)
    session.commit()
    return offer.id


def edit_title_record(title: str) -> OfferRecord:
    return OfferRecord.model_validate({**OFFER, "title": title})


def stored(session, offer_id: int) -> Offer:
    session.expire_all()
    return session.get(Offer, offer_id)


@pytest.mark.parametrize("round_", range(10))
def test_approve_and_reject_at_once_one_is_refused(db, session, pending, round_):
    answers = race(db, pending, [approve, reject])
    assert sorted(answers) == ["done", "refused"]
    status = stored(session, pending).status
    assert status == ("published" if answers[0] == "done" else "rejected")


@pytest.mark.parametrize("round_", range(10))
def test_a_double_approval_is_done_once(db, session, pending, round_):
    assert sorted(race(db, pending, [approve, approve])) == ["done", "refused"]
    assert stored(session, pending).status == "published"


def test_a_change_approved_and_rejected_at_once_is_done_once(db, session, changed):
    answers = race(db, changed, [approve, reject])
    assert sorted(answers) == ["done", "refused"]
    offer = stored(session, changed)
    assert workflow.pending_revision(session, changed) is None
    expected = "Prêt d'honneur 2027" if answers[0] == "done" else OFFER["title"]
    assert offer.title == expected


def test_two_edits_at_once_do_not_lose_one(db, session, pending):
    answers = race(db, pending, [edit_title("First title"), edit_title("Second title")])
    assert sorted(answers) == ["done", "refused"]
    kept = "First title" if answers[0] == "done" else "Second title"
    assert stored(session, pending).title == kept


def test_a_step_on_an_older_version_is_refused(session, pending):
    offer = stored(session, pending)
    shown = offer.version
    workflow.edit_offer(session, offer, edit_title_record("Renamed"), actor_id=None)
    session.commit()
    assert offer.version > shown
    with pytest.raises(StaleOfferError, match="version"):
        workflow.approve(session, offer, actor_id=None, version=shown)
    session.rollback()
    workflow.approve(session, stored(session, pending), actor_id=None, version=offer.version)
    session.commit()
    assert stored(session, pending).status == "published"
