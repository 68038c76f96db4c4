"""Time of one daily alert run: 10,000 entrepreneurs with 2 projects each, 10,000 offers.

Run from the repository root: python -m benchmarks.alert_digest [--people N] [--offers M]
[--database-url URL]. Imports a synthetic catalogue into a fresh SQLite file (or the given
empty database), adds the people, their projects and a daily alert on each project whose
watermark is before every offer (the worst case: the whole catalogue is new to everyone),
then times one run of the daily digest job as the worker runs it (one transaction, the
match index built beforehand as in a running worker) and counts the mails it queued.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, insert, select, update

from benchmarks.bench_analytics import project_rows
from passerelle.accounts.models import Project, UserAccount
from passerelle.alerts import jobs
from passerelle.alerts.models import Alert
from passerelle.alerts.service import ensure_alerts
from passerelle.db import create_db_engine, migrate, session_scope
from passerelle.outbox.models import OutboxMail
from passerelle.settings import Settings
from services_catalog.importing import import_offers
from services_catalog.models import utcnow
from services_catalog.synthetic import synthetic_offers

PROJECTS_EACH = 2


def load(engine, people: int, offers: int) -> None:
    rng = random.Random(7)
    today = utcnow().date()
    with session_scope(engine) as session:
        rows = list(enumerate(synthetic_offers(offers, seed=1, today=today), start=1))
        import_offers(session, rows, today=today - timedelta(days=200))
    with session_scope(engine) as session:
        session.execute(
            insert(UserAccount),
            [
                {"email": f"person{n}@example.org", "password_hash": "-",
                 "display_name": f"Person {n}", "locale": "fr" if n % 3 else "en"}
                for n in range(people)
            ],
        )  # fmt: skip
        ids = session.scalars(select(UserAccount.id).order_by(UserAccount.id)).all()
        projects = []
        for user_id in ids:
            projects.extend(project_rows(rng, user_id, PROJECTS_EACH))
        session.execute(insert(Project), projects)
        ensure_alerts(session)
        # Daily alerts, watching since before the catalogue was imported.
        session.execute(
            update(Alert).values(frequency="daily", checked_until=utcnow() - timedelta(days=3))
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--offers", type=int, default=10_000)
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.db'}"
        settings = Settings(DATABASE_URL=url, PASSERELLE_DATA_DIR=tmp, PASSERELLE_ENV="test")
        engine = create_db_engine(url)
        migrate(engine)
        started = time.perf_counter()
        load(engine, args.people, args.offers)
        with session_scope(engine) as session:
            alerts = session.scalar(select(func.count()).select_from(Alert))
            started_index = time.perf_counter()
            jobs.match_index(session)
        print(
            f"{args.offers} offers, {args.people} people, {alerts} project alerts on "
            f"{engine.dialect.name} (loaded in {started_index - started:.0f} s, match index "
            f"built in {time.perf_counter() - started_index:.1f} s)"
        )
        started, cpu = time.perf_counter(), time.process_time()
        with session_scope(engine) as session:
            queued = jobs.run_daily(session, settings, utcnow())
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        with session_scope(engine) as session:
            rows = session.scalar(select(func.count()).select_from(OutboxMail))
        # On a shared machine the wall time counts the others' work too; the CPU time is
        # what this run itself took (it runs in one thread).
        print(
            f"daily run: {elapsed:.1f} s ({cpu:.1f} s of CPU), {queued} mails queued "
            f"({rows} rows in the outbox)"
        )
        engine.dispose()


if __name__ == "__main__":
    main()
