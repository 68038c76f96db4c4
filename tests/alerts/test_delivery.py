"""A digest as a mail server receives it: multipart, in the person's language, with the
reasons, and with a one-click unsubscribe link that works."""

from __future__ import annotations

import os
import re
from datetime import timedelta

from sqlalchemy import select
from sqlmodel import Session

from passerelle.alerts import jobs
from passerelle.alerts.models import Alert
from services_catalog.models import utcnow
from tests.accounts.conftest import GROWTH_FUND, HONOUR_LOAN, text_part
from tests.alerts.test_jobs import _frequency, _publish, _run, person  # noqa: F401


def test_a_daily_digest_reaches_the_mail_server(db, settings, person, inbox, client):  # noqa: F811
    _frequency(db, person["alert"], "daily", since=utcnow() - timedelta(days=1))
    _publish(
        db,
        HONOUR_LOAN,
        GROWTH_FUND,
        {**HONOUR_LOAN, "id": "acc-second", "title": "Subvention Agri Diaspora",
         "categories": ["grant"], "deadline": (utcnow() + timedelta(days=40)).date().isoformat()},
    )  # fmt: skip
    assert _run(db, settings, jobs.run_daily) == 1
    (message,) = inbox.messages
    assert message["To"] == "awa@example.org"
    assert message["Subject"] == "Nouvelles offres pour votre projet « Ferme avicole à Thiès »"
    assert message.get_body(("html",)) is not None
    text = text_part(message)
    if os.environ.get("SHOW_DIGEST"):  # for the closing note: the text part as received
        print(f"\n----- text part as received -----\n{text}----- end -----")
    assert "2 offres publiées ou modifiées correspondent à votre projet" in text
    assert "Prêt d'honneur Diaspora Sénégal" in text and "Subvention Agri Diaspora" in text
    assert "Growth fund" not in text
    assert re.search(r"^  - .*Sénégal", text, re.M)  # the matcher's reasons, in French
    # RFC 8058: the link in the header, posted to without a session, stops this alert.
    link = re.fullmatch(r"<(.+)>", message["List-Unsubscribe"]).group(1)
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link in text
    answer = client.post(
        link.removeprefix("http://testserver"), data={"List-Unsubscribe": "One-Click"}
    )
    assert answer.status_code == 200
    with Session(db) as session:
        assert session.scalar(select(Alert.frequency).where(Alert.id == person["alert"])) == "none"
