"""Staff dashboard time on a 10,000-offer synthetic catalogue with a few hundred projects.

Run from the repository root: python -m benchmarks.bench_analytics [--count N]
[--projects P] [--events E] [--database-url URL]. Imports the catalogue into a fresh
SQLite file (or the given database, whose tables must be empty), adds projects and a
search log, then times each dashboard section as the page builds it (in process, index
already built as after start-up), and the whole page, over several runs.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

from passerelle.accounts.models import Project, UserAccount
from passerelle.analytics.models import SearchEvent
from passerelle.analytics.views import SECTIONS, Context
from passerelle.db import create_db_engine, migrate, session_scope
from passerelle.recommender import Recommender
from services_catalog.importing import import_offers
from services_catalog.synthetic import PROJECT_COUNTRIES, RESIDENCE_COUNTRIES, synthetic_offers
from services_catalog.taxonomy import APPLICANT_TYPES, SECTORS, STAGES, TARGET_GROUPS

TODAY = date(2026, 11, 23)


def project_rows(rng: random.Random, owner_id: int, count: int) -> list[dict]:
    return [
        {
            "owner_id": owner_id,
            "name": f"Project {number}",
            "residence_country": rng.choice(RESIDENCE_COUNTRIES),
            "target_country": rng.choice(PROJECT_COUNTRIES),
            "sector": rng.choice(list(SECTORS)),
            "stage": rng.choice(list(STAGES)),
            "project_eur": int(rng.lognormvariate(10.3, 1.0)),
            "applicant_type": rng.choice(list(APPLICANT_TYPES)),
            "groups": [g for g in TARGET_GROUPS if rng.random() < 0.4],
            "needs": [],
            "description": "",
        }
        for number in range(count)
    ]


def event_rows(rng: random.Random, count: int) -> list[dict]:
    rows = []
    for number in range(count):
        country, sector = rng.choice(PROJECT_COUNTRIES), rng.choice(list(SECTORS))
        at = datetime.now(UTC) - timedelta(minutes=rng.randint(0, 60 * 24 * 80))
        kind = "match" if number % 2 else "search"
        query = {"country": [country], "sector": [sector]}
        results = rng.choice((0, 0, 1, 3, 12, 40))
        rows.append(
            {"at": at, "kind": kind, "country": country, "sector": sector, "query": query,
             "results": results}
        )  # fmt: skip
    return rows


def load(engine, count: int, projects: int, events: int) -> None:
    rng = random.Random(3)
    with session_scope(engine) as session:
        rows = list(enumerate(synthetic_offers(count, seed=1, today=TODAY), start=1))
        import_offers(session, rows, today=TODAY - timedelta(days=200))
        owner = UserAccount(email="bench@example.org", password_hash="-")
        session.add(owner)
        session.flush()
        session.execute(insert(Project), project_rows(rng, owner.id, projects))
        session.execute(insert(SearchEvent), event_rows(rng, events))


def time_dashboard(engine, runs: int) -> None:
    recommender = Recommender(engine, needs_model=None)
    started = time.perf_counter()
    recommender.index()
    print(f"match index built in {time.perf_counter() - started:.2f} s (at start-up)")
    timings: dict[str, list[float]] = {key: [] for key in SECTIONS}
    totals = []
    for _ in range(runs):
        with session_scope(engine) as session:
            ctx = Context(session, recommender, locale="fr", today=TODAY, offer_url=str)
            run_started = time.perf_counter()
            for key, build in SECTIONS.items():
                started = time.perf_counter()
                build(ctx)
                timings[key].append((time.perf_counter() - started) * 1000)
            totals.append((time.perf_counter() - run_started) * 1000)
    for key, samples in [*timings.items(), ("whole page", totals)]:
        median, slowest = statistics.median(samples), max(samples)
        print(f"{key:<16} median {median:8.1f} ms  max {slowest:8.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--projects", type=int, default=300)
    parser.add_argument("--events", type=int, default=5_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        engine = create_db_engine(args.database_url or f"sqlite:///{Path(tmp) / 'bench.db'}")
        migrate(engine)
        started = time.perf_counter()
        load(engine, args.count, args.projects, args.events)
        print(
            f"{args.count} offers, {args.projects} projects, {args.events} logged searches on "
            f"{engine.dialect.name} (loaded in {time.perf_counter() - started:.0f} s)"
        )
        time_dashboard(engine, args.runs)
        engine.dispose()


if __name__ == "__main__":
    main()
