"""Time for one catalogue edit to reach the browse and match indexes, against a rebuild.

Usage: python benchmarks/incremental_update.py [--count N] [--edits E] [--database-url URL]
                                              [--keep FILE]
Loads N synthetic offers (100,000 by default) into a SQLite file in a temporary directory
(or the empty database given; with --keep, into FILE, kept for the next runs, which then
skip the load: importing 100,000 offers takes minutes on a busy machine), warms both
indexes as a serving process does, then edits one offer E times through this process
and E times through another engine (as another process would), and prints how long
each index update took (the change log read, the changed offer read, the patch), with
the time a full rebuild of each takes; how long a commit of this process takes with its
indexes updated before it returns; and how long after another process's commit both
indexes show its edit (readers start the updates in the background).
Meanwhile two reader threads match profiles and search offers without pause: their p99
outside and during the updates show whether requests in flight feel them. Goal: an edit
visible in search and matches within 2 s at 100,000 offers, and no reader slower than
the normal p99.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matching import NeedsModel, Profile
from passerelle.db import create_db_engine, migrate, session_scope
from passerelle.monitoring import metrics
from passerelle.recommender import Recommender
from services_catalog import browse_index, spelling
from services_catalog.importing import import_offers
from services_catalog.models import Offer
from services_catalog.search import (
    DESCRIPTION_FACETS,
    RESTRICTION_FACETS,
    OfferFilters,
    _current_index,
    search_offers,
)
from services_catalog.service import catalogue_version
from services_catalog.synthetic import synthetic_offers

TODAY = date(2026, 11, 23)
PROFILE = Profile(
    residence_country="FR",
    target_country="SN",
    sector="agriculture",
    stage="startup",
    project_eur=40_000,
    description="financement solaire pour une coopérative agricole",
)


def timed(step):
    started = time.perf_counter()
    result = step()
    return result, time.perf_counter() - started


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


class Reader(threading.Thread):
    """Runs one kind of request without pause, noting each latency and when it started."""

    def __init__(self, request: Callable[[], object]):
        super().__init__(daemon=True)
        self.request = request
        self.samples: list[tuple[float, float]] = []
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            started = time.perf_counter()
            self.request()
            self.samples.append((started, time.perf_counter() - started))

    def report(self, name: str, windows: list[tuple[float, float]]) -> str:
        during = [s for t, s in self.samples if any(a <= t <= b for a, b in windows)]
        outside = [s for t, s in self.samples if not any(a <= t <= b for a, b in windows)]
        return (
            f"{name}: {len(outside)} outside updates p50 {percentile(outside, 0.5) * 1000:.1f} ms"
            f" p99 {percentile(outside, 0.99) * 1000:.1f} ms; {len(during)} during updates"
            f" p50 {percentile(during, 0.5) * 1000:.1f} ms"
            f" p99 {percentile(during, 0.99) * 1000:.1f} ms"
            f" max {max(during, default=0) * 1000:.1f} ms"
        )


def edited(offers: list[dict], number: int, edit: int) -> dict:
    """Offer `number` moved to the Comoros, under a title of this run (an offer kept from
    an earlier run must change again)."""
    return offers[number - 1] | {"countries": ["KM"], "title": f"Édition {edit} {time.time_ns()}"}


def shows(engine, recommender: Recommender, number: int, version: int) -> bool:
    """Whether both indexes of this process show the edit of offer `number` at `version`."""
    with Session(engine) as session:
        index = _current_index(session)
    if index.version < version or (recommender.version or 0) < version:
        return False
    position = int(index.offer_ids.searchsorted(number))
    in_browse = bool(index.having("country", ["KM"])[position])
    return in_browse and number in recommender.index().offer_ids


def summary(name: str, seconds: list[float]) -> str:
    return (
        f"{name} median {statistics.median(seconds) * 1000:.0f} ms (max {max(seconds) * 1000:.0f})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--edits", type=int, default=5)
    parser.add_argument("--database-url", help="an empty database (default: SQLite in a temp dir)")
    parser.add_argument("--keep", type=Path, help="a SQLite file loaded once and kept")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        path = args.keep or Path(directory) / "bench.db"
        url = args.database_url or f"sqlite:///{path}"
        engine = create_db_engine(url)
        migrate(engine)
        offers = synthetic_offers(args.count, today=TODAY)
        with session_scope(engine) as session:
            loaded = session.scalar(select(func.count()).select_from(Offer))
            if loaded not in (0, args.count):
                raise SystemExit(f"{url} holds {loaded} offers, not {args.count}")
            if not loaded:
                _, seconds = timed(lambda: import_offers(session, list(enumerate(offers, 1))))
                print(f"imported {args.count} offers in {seconds:.1f} s")

        fields = {**RESTRICTION_FACETS, **DESCRIPTION_FACETS}
        recommender = Recommender(engine, NeedsModel.default())
        with session_scope(engine) as session:
            version = catalogue_version(session)
            _, browse_full = timed(lambda: browse_index.build(session, fields, version))
            _current_index(session)  # the shared one, warm
            _, spelling_full = timed(lambda: spelling.build(session, version))
            spelling.vocabulary(session)
        _, match_full = timed(recommender.index)
        print(
            f"full rebuild: browse index {browse_full:.2f} s, match index {match_full:.2f} s,"
            f" spelling vocabulary {spelling_full:.2f} s"
        )

        # Each update's seconds (reading the changes and patching), as both indexes report
        # them; the match index reports only to the metrics, which it calls by name.
        updates: dict[str, list[float]] = {"browse": [], "match": []}
        browse_index.rebuild_listeners.append(lambda _v, seconds: updates["browse"].append(seconds))
        metrics.observe_index_build = lambda name, _v, seconds: updates[name].append(seconds)
        elsewhere = create_db_engine(url)  # writes as another process would

        def search() -> None:
            with Session(engine) as session:
                search_offers(session, OfferFilters(country=["SN"]))

        readers = {
            "reader matches": Reader(lambda: recommender.recommend(PROFILE, as_of=TODAY, top=10)),
            "reader searches": Reader(search),
        }
        for reader in readers.values():
            reader.start()
        time.sleep(2.0)  # the readers' steady state
        windows, own_commits, others_visible = [], [], []
        rng = random.Random(1)
        for edit in range(args.edits):
            for writer in (engine, elsewhere):
                number = rng.randint(1, args.count)
                with session_scope(engine) as session:
                    target = catalogue_version(session) + 1
                started = time.perf_counter()
                with session_scope(writer) as session:
                    import_offers(session, [(1, edited(offers, number, edit))], today=TODAY)
                committed = time.perf_counter()
                if writer is engine:
                    # This process's own commit has brought both indexes up to date.
                    assert shows(engine, recommender, number, target), "not visible at once"
                    own_commits.append(committed - started)
                else:
                    while not shows(engine, recommender, number, target):
                        time.sleep(0.01)
                    others_visible.append(time.perf_counter() - committed)
                windows.append((started, time.perf_counter()))
                time.sleep(1.0)
        for reader in readers.values():
            reader.stop.set()
            reader.join()

        print(
            f"one edit, {args.edits} times from each process: "
            + ", ".join(summary(f"{name} update", seconds) for name, seconds in updates.items())
        )
        print(summary("edit in this process, commit with both indexes updated:", own_commits))
        print(summary("edit in another process, commit to visible here:", others_visible))
        for name, reader in readers.items():
            print(reader.report(name, windows))
        elsewhere.dispose()
        engine.dispose()


if __name__ == "__main__":
    main()
