"""Keyword search latency on a synthetic catalogue, in process (no HTTP server).

Usage: python benchmarks/bench_search.py [--count N] [--searches S] [--database-url URL]
Loads N synthetic offers (indexing their stems as it goes), then times `search_offers` for
the issue's searches and for S different two-word searches, each new to the index's cache
of results, so every one reads the query, expands its synonyms and asks the database's
full-text index. Prints the loading time, then p50 and p95 per kind of search.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from bench_catalogue import new_searches, percentile

from passerelle.db import create_db_engine, migrate, session_scope
from services_catalog.importing import import_offers
from services_catalog.search import OfferFilters, search_offers
from services_catalog.synthetic import synthetic_offers

ISSUE_SEARCHES = ("financement Maroc", "startup tech Maroc", "poulet", "aviculture")


def timed(session, searches: list[str]) -> tuple[float, float]:
    samples = []
    for q in searches:
        start = time.perf_counter()
        search_offers(session, OfferFilters(q=q))
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), percentile(samples, 0.95)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--searches", type=int, default=40)
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        engine = create_db_engine(args.database_url or f"sqlite:///{Path(tmp) / 'bench.db'}")
        migrate(engine)
        start = time.perf_counter()
        with session_scope(engine) as session:
            import_offers(session, list(enumerate(synthetic_offers(args.count, seed=1), 1)))
        print(f"{args.count} offers on {engine.dialect.name}, loaded and indexed in "
              f"{time.perf_counter() - start:.1f} s")  # fmt: skip
        with session_scope(engine) as session:
            search_offers(session, OfferFilters())  # builds the browse index once
            print(f"{'searches':<40} {'p50 ms':>8} {'p95 ms':>8}")
            two_words = [q.replace("+", " ") for q in new_searches(args.searches)]
            for name, searches in (
                ("the issue's four", list(ISSUE_SEARCHES)),
                ("new two-word searches", two_words),
            ):
                p50, p95 = timed(session, searches)
                print(f"{name:<40} {p50:8.1f} {p95:8.1f}")
        engine.dispose()


if __name__ == "__main__":
    main()
