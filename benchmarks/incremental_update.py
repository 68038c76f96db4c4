"""Time for one catalogue edit to reach the browse and match indexes and the spelling
vocabulary, against a rebuild.

Usage: python benchmarks/incremental_update.py [--count N] [--edits E] [--database-url URL]
                                              [--keep FILE]
Loads N synthetic offers (100,000 by default) into a SQLite file in a temporary directory
(or the empty database given; with --keep, into FILE, kept for the next runs, which then
skip the load: importing 100,000 offers takes minutes on a busy machine), warms both
indexes and the vocabulary as a serving process does, then edits one offer E times and
prints how long each took to follow the edit (the change log read, the changed offer
read, the patch), with the time a full rebuild of each takes.
Meanwhile a reader thread matches profiles without pause: its latencies outside and
during the updates show whether requests in flight feel them. Goal: an edit visible in
search and matches within 2 s at 100,000 offers, and no reader slower than the normal p99.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from matching import NeedsModel, Profile
from passerelle.db import create_db_engine, migrate, session_scope
from passerelle.recommender import Recommender
from services_catalog import browse_index, spelling
from services_catalog.importing import import_offers
from services_catalog.models import Offer
from services_catalog.search import DESCRIPTION_FACETS, RESTRICTION_FACETS, _current_index
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


def follow(recommender: Recommender, version: int):
    """The match index once at `version` (the reader thread may be the one updating it)."""
    while True:
        index = recommender.index()
        if recommender.version >= version:
            return index
        time.sleep(0.001)


class Reader(threading.Thread):
    """Matches without pause, noting each latency and when it started."""

    def __init__(self, recommender: Recommender):
        super().__init__(daemon=True)
        self.recommender = recommender
        self.samples: list[tuple[float, float]] = []
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            started = time.perf_counter()
            self.recommender.recommend(PROFILE, as_of=TODAY, top=10)
            self.samples.append((started, time.perf_counter() - started))


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
        recommender = Recommender(engine, NeedsModel.default(), recheck_seconds=0)
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

        reader = Reader(recommender)
        reader.start()
        time.sleep(2.0)  # the reader's steady state
        windows, browse_times, match_times, visible_times, spelling_times = [], [], [], [], []
        rng = random.Random(1)
        for edit in range(args.edits):
            number = rng.randint(1, args.count)
            # A title of this run: an offer kept from an earlier run must change again.
            title = f"Édition {edit} {time.time_ns()}"
            changed = offers[number - 1] | {"countries": ["KM"], "title": title}
            with session_scope(engine) as session:
                before = catalogue_version(session)
            started = time.perf_counter()
            with session_scope(engine) as session:
                import_offers(session, [(1, changed)], today=TODAY)
            with session_scope(engine) as session:
                index, browse_seconds = timed(lambda s=session: _current_index(s))
                words, spelling_seconds = timed(lambda s=session: spelling.vocabulary(s))
            match, match_seconds = timed(lambda v=index.version: follow(recommender, v))
            visible = time.perf_counter() - started
            windows.append((started, time.perf_counter()))
            browse_times.append(browse_seconds)
            spelling_times.append(spelling_seconds)
            match_times.append(match_seconds)
            visible_times.append(visible)
            assert index.version == before + 1, "the edit did not change the catalogue"
            position = int(index.offer_ids.searchsorted(number))
            assert index.having("country", ["KM"])[position], "the edit is not in the index"
            assert number in match.offer_ids, "the edited offer left the match index"
            assert "edition" in words and words.built_at < words.version, "no vocabulary patch"
            time.sleep(1.0)
        reader.stop.set()
        reader.join()

        print(
            f"one edit, {args.edits} times: browse patch median "
            f"{statistics.median(browse_times) * 1000:.0f} ms (max {max(browse_times) * 1000:.0f}),"
            f" match patch median {statistics.median(match_times) * 1000:.0f} ms"
            f" (max {max(match_times) * 1000:.0f}), edit committed to both indexes updated"
            f" median {statistics.median(visible_times) * 1000:.0f} ms"
            f" (max {max(visible_times) * 1000:.0f}); spelling vocabulary patch median"
            f" {statistics.median(spelling_times) * 1000:.0f} ms"
            f" (max {max(spelling_times) * 1000:.0f})"
        )
        during = [s for t, s in reader.samples if any(a <= t <= b for a, b in windows)]
        outside = [s for t, s in reader.samples if not any(a <= t <= b for a, b in windows)]
        print(
            f"reader matches: {len(outside)} outside updates p50 "
            f"{percentile(outside, 0.5) * 1000:.1f} ms p99 {percentile(outside, 0.99) * 1000:.1f}"
            f" ms; {len(during)} during updates max "
            f"{max(during, default=0) * 1000:.1f} ms"
        )
        engine.dispose()


if __name__ == "__main__":
    main()
