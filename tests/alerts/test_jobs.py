"""The alert jobs: what they queue, once, whatever the number of runs or racing workers."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select, update
from sqlmodel import Session

from passerelle.accounts.models import Project, UserAccount
from passerelle.alerts import jobs, reminders, service
from passerelle.alerts.models import Alert
from passerelle.outbox.models import OutboxMail
from services_catalog.importing import import_offers
from services_catalog.models import Offer, utcnow
from tests.accounts.conftest import GROWTH_FUND, HONOUR_LOAN

PROJECT = {
    "name": "Ferme avicole à Thiès",
    "residence_country": "FR",
    "target_country": "SN",
    "sector": "agriculture",
    "stage": "startup",
    "project_eur": 40_000,
    "needs": ["honour_loan"],
}


@pytest.fixture
def person(db) -> dict[str, int]:
    """An entrepreneur with one project, whose alerts exist from before any offer."""
    with Session(db) as session:
        user = UserAccount(email="awa@example.org", password_hash="-", display_name="Awa",
                           locale="fr")  # fmt: skip
        session.add(user)
        session.flush()
        project = Project(owner_id=user.id, **PROJECT)
        session.add(project)
        session.flush()
        service.ensure_alerts(session, owner_id=user.id)
        session.commit()
        alert_id = session.scalar(select(Alert.id).where(Alert.project_id == project.id))
        return {"user": user.id, "project": project.id, "alert": alert_id}


def _frequency(db, alert_id: int, frequency: str, *, since=None) -> None:
    with Session(db) as session:
        values = {"frequency": frequency}
        if since is not None:
            values["checked_until"] = since
        session.execute(update(Alert).where(Alert.id == alert_id).values(**values))
        session.commit()


def _publish(db, *offers: dict, **changes) -> dict[str, int]:
    with Session(db) as session:
        rows = [(n, {**offer, **changes}) for n, offer in enumerate(offers, start=1)]
        assert import_offers(session, rows).applied
        session.commit()
        return {o.external_id: o.id for o in session.scalars(select(Offer))}


def _run(db, settings, job, now=None) -> int:
    with Session(db) as session:
        count = job(session, settings, now or utcnow())
        session.commit()
        return count


def _mails(db) -> list[OutboxMail]:
    with Session(db) as session:
        return list(session.scalars(select(OutboxMail).order_by(OutboxMail.id)))


def test_an_immediate_alert_fires_once_per_offer_version(db, settings, person):
    _frequency(db, person["alert"], "immediate")
    ids = _publish(db, HONOUR_LOAN, GROWTH_FUND)
    assert _run(db, settings, jobs.run_immediate) == 1
    for _ in range(3):
        assert _run(db, settings, jobs.run_immediate) == 0
    (mail,) = _mails(db)
    assert mail.dedupe_key == f"alert:{person['alert']}:offer:{ids['acc-honour-loan']}:v1"
    assert mail.to_address == "awa@example.org"
    assert "Prêt d'honneur Diaspora Sénégal" in mail.text_body
    assert "Growth fund" not in mail.text_body  # the project is not at the growth stage
    assert "Sénégal" in mail.text_body and "  - " in mail.text_body  # the matcher's reasons
    headers = dict(map(tuple, mail.headers))
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert headers["List-Unsubscribe"].startswith("<http://testserver/alerts/unsubscribe/")
    # A new version of the offer that still fits is news again, once.
    _publish(db, {**HONOUR_LOAN, "title": "Prêt d'honneur Diaspora Sénégal 2027"})
    assert _run(db, settings, jobs.run_immediate) == 1
    assert _run(db, settings, jobs.run_immediate) == 0
    assert _mails(db)[-1].dedupe_key.endswith(":v2")


def test_nothing_for_an_offer_the_person_is_not_eligible_for(db, settings, person):
    _frequency(db, person["alert"], "immediate")
    _publish(db, GROWTH_FUND, {**HONOUR_LOAN, "id": "other", "countries": ["CI"]})
    assert _run(db, settings, jobs.run_immediate) == 0
    _frequency(db, person["alert"], "daily", since=utcnow() - timedelta(days=2))
    assert _run(db, settings, jobs.run_daily) == 0
    assert _mails(db) == []


def test_frequency_none_sends_nothing(db, settings, person):
    _frequency(db, person["alert"], "none", since=utcnow() - timedelta(days=8))
    _publish(db, HONOUR_LOAN, deadline=(utcnow() + timedelta(days=7)).date().isoformat())
    for job in (jobs.run_immediate, jobs.run_daily, jobs.run_weekly, reminders.run_reminders):
        assert _run(db, settings, job) == 0
    assert _mails(db) == []


def test_a_daily_digest_comes_once_a_day_with_what_changed(db, settings, person):
    start = utcnow()
    _frequency(db, person["alert"], "daily", since=start - timedelta(days=1))
    _publish(db, HONOUR_LOAN, GROWTH_FUND)
    now = utcnow()
    assert _run(db, settings, jobs.run_daily, now) == 1
    assert _run(db, settings, jobs.run_daily, now) == 0
    assert _run(db, settings, jobs.run_daily, now + timedelta(hours=3)) == 0  # not due yet
    assert _run(db, settings, jobs.run_weekly, now) == 0  # not a weekly alert
    assert _run(db, settings, jobs.run_daily, now + timedelta(days=1)) == 0  # nothing new
    (mail,) = _mails(db)
    assert mail.subject == "Nouvelles offres pour votre projet « Ferme avicole à Thiès »"
    assert "Prêt d'honneur Diaspora Sénégal" in mail.text_body
    assert "Growth fund" not in mail.text_body


def test_a_saved_search_alert_sends_its_new_results(db, settings, person):
    from services_catalog.search import OfferFilters

    with Session(db) as session:
        user = session.get(UserAccount, person["user"])
        filters = OfferFilters(sector=["agriculture"], stage=["growth"])
        saved = service.save_search(session, user, filters, "Croissance")
        session.execute(
            update(Alert)
            .where(Alert.saved_search_id == saved.id)
            .values(checked_until=utcnow() - timedelta(days=1))
        )
        session.commit()
    _publish(db, HONOUR_LOAN, GROWTH_FUND)
    assert _run(db, settings, jobs.run_daily) == 1
    (mail,) = _mails(db)
    assert "Growth fund for Senegalese SMEs" in mail.text_body
    assert "Prêt d'honneur" not in mail.text_body  # a start-up offer: not in the search
    assert "Secteur\u00a0: Agriculture" in mail.text_body  # French spacing, as on the page


@pytest.mark.parametrize("job", ["immediate", "daily"])
def test_two_workers_racing_send_one_mail(db, settings, person, job):
    since = utcnow() - timedelta(days=1)
    _frequency(db, person["alert"], job, since=since)
    _publish(db, HONOUR_LOAN)
    run = jobs.run_immediate if job == "immediate" else jobs.run_daily
    jobs.match_index(Session(db))  # built before, so that both runs start together
    now, barrier, counts, errors = utcnow(), threading.Barrier(2), [], []

    def worker() -> None:
        try:
            with Session(db) as session:
                barrier.wait()
                counts.append(run(session, settings, now))
                session.commit()
        except Exception as exc:  # reported below, in the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors and sorted(counts) == [0, 1]
    assert len(_mails(db)) == 1


def test_deadline_reminders_come_7_days_and_1_day_before_once(db, settings, person):
    now = utcnow()
    deadline = (now + timedelta(days=7)).date()
    ids = _publish(db, HONOUR_LOAN, deadline=deadline.isoformat())
    offer_id = ids["acc-honour-loan"]
    with Session(db) as session:  # bookmarked, and among the project's top matches
        from passerelle.accounts.projects import add_bookmark

        add_bookmark(session, session.get(UserAccount, person["user"]), offer_id)
        session.commit()
    days = [_run(db, settings, reminders.run_reminders, now + timedelta(days=d)) for d in range(9)]
    # 7 days before, then 1 day before; never after the deadline.
    assert days == [1, 0, 0, 0, 0, 0, 1, 0, 0]
    first, second = _mails(db)
    assert first.dedupe_key == f"reminder:{person['user']}:offer:{offer_id}:{deadline}:d7"
    assert second.dedupe_key == f"reminder:{person['user']}:offer:{offer_id}:{deadline}:d1"
    assert "ferme dans 7 jours" in first.subject and "ferme dans 1 jour" in second.subject


def test_a_reminder_missed_on_its_day_comes_the_day_after(db, settings, person):
    now = utcnow()
    _publish(db, HONOUR_LOAN, deadline=(now + timedelta(days=8)).date().isoformat())
    assert _run(db, settings, reminders.run_reminders, now) == 0  # 8 days: too early
    assert _run(db, settings, reminders.run_reminders, now + timedelta(days=2)) == 1
    assert "ferme dans 6 jours" in _mails(db)[0].subject


def test_unsubscribing_stops_only_that_alert(db, settings, person):
    with Session(db) as session:
        user = session.get(UserAccount, person["user"])
        other = Project(owner_id=user.id, **{**PROJECT, "name": "Second projet"})
        session.add(other)
        session.flush()
        service.ensure_alerts(session, owner_id=user.id)
        session.execute(update(Alert).values(frequency="immediate"))
        session.commit()
        first = session.get(Alert, person["alert"])
        service.unsubscribe(session, first)
        session.commit()
    _publish(db, HONOUR_LOAN)
    assert _run(db, settings, jobs.run_immediate) == 1
    (mail,) = _mails(db)
    assert "Second projet" in mail.subject


def test_a_new_alert_does_not_send_what_changed_before_it_existed(db, settings):
    _publish(db, HONOUR_LOAN)
    with Session(db) as session:
        user = UserAccount(email="binta@example.org", password_hash="-", locale="fr")
        session.add(user)
        session.flush()
        session.add(Project(owner_id=user.id, **PROJECT))
        session.flush()
        service.ensure_alerts(session, owner_id=user.id)
        session.execute(update(Alert).values(frequency="immediate"))
        session.commit()
    assert _run(db, settings, jobs.run_immediate) == 0


def test_the_worker_runs_the_alert_jobs_on_its_schedule(db, settings, person):
    from passerelle import worker

    names = {job.name: job.every for job in worker.load_jobs()}
    assert names["alerts_immediate"] == timedelta(minutes=5)
    assert names["alerts_daily_digest"] == names["alerts_weekly_digest"] == timedelta(hours=1)
    assert names["deadline_reminders"] == timedelta(hours=6)
    _frequency(db, person["alert"], "immediate")
    _publish(db, HONOUR_LOAN)
    done = worker.run_due_jobs(db, settings, now=utcnow() + timedelta(seconds=1))
    assert done["alerts_immediate"] == 1
    assert worker.run_due_jobs(db, settings) == {}  # none due again so soon
    assert len(_mails(db)) == 1
