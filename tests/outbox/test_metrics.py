"""The outbox on /metrics: mails waiting, mails failed for good."""

from __future__ import annotations

from sqlmodel import Session, select

from passerelle.outbox.models import OutboxMail
from tests.monitoring.test_metrics import _sample
from tests.outbox.conftest import queue


def test_the_outbox_depth_and_failures_are_scraped(client, db):
    text = client.get("/metrics").text
    assert _sample(text, "passerelle_outbox_depth") == 0
    assert _sample(text, "passerelle_outbox_failed") == 0
    queue(db, 3)
    with Session(db) as session:
        first = session.exec(select(OutboxMail).order_by(OutboxMail.id)).first()
        first.status = "failed"
        session.commit()
    text = client.get("/metrics").text
    assert _sample(text, "passerelle_outbox_depth") == 2
    assert _sample(text, "passerelle_outbox_failed") == 1
