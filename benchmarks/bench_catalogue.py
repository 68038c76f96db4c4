"""Browse page and offers API latency on a 10,000-offer synthetic catalogue.

Usage: python benchmarks/bench_catalogue.py [--count N] [--requests R] [--database-url URL]
Serves the platform with uvicorn on 127.0.0.1 and times real HTTP requests for typical
filter combinations; prints p50 and p95 per URL. Goal: filtered browse page p95 ≤ 50 ms.

A full-text search's results are kept for the next requests (a search refined facet by
facet, or paged through, asks the database once), so the URLs repeated above measure a
search seen before; the "new search" lines use a different two-word search each time.
"""

from __future__ import annotations

import argparse
import itertools
import random
import statistics
import tempfile
import time
from pathlib import Path

import httpx

from passerelle.app import create_app
from passerelle.db import create_db_engine, migrate, session_scope
from passerelle.serving import background_server
from passerelle.settings import Settings
from services_catalog.importing import import_offers
from services_catalog.synthetic import WORDS, synthetic_offers

QUERIES = (
    "",
    "?country=SN",
    "?country=SN&sector=agriculture",
    "?country=CI&residence_country=FR&kind=financing",
    "?q=financement",
    "?q=solar+energy&country=SN&amount=50000",
    "?category=loan&category=honour_loan&stage=startup&sort=deadline",
    "?target_group=women&country=ML&page=3",
)
NEW_SEARCH_FILTERS = ("", "&country=SN&sector=agriculture")  # with a new search each time


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def time_requests(client: httpx.Client, warm_up: str, urls: list[str]) -> tuple[float, float]:
    client.get(warm_up).raise_for_status()
    samples = []
    for url in urls:
        start = time.perf_counter()
        client.get(url).raise_for_status()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), percentile(samples, 0.95)


def new_searches(count: int) -> list[str]:
    """`count` different two-word searches from the synthetic offers' words."""
    pairs = list(itertools.permutations(WORDS["fr"] + WORDS["en"], 2))
    random.Random(3).shuffle(pairs)
    return ["+".join(pair) for pair in pairs[:count]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.db'}"
        engine = create_db_engine(url)
        migrate(engine)
        with session_scope(engine) as session:
            rows = list(enumerate(synthetic_offers(args.count, seed=1), start=1))
            import_offers(session, rows)
        settings = Settings(DATABASE_URL=url, PASSERELLE_DATA_DIR=tmp, PASSERELLE_ENV="test")
        print(f"{args.count} offers on {engine.dialect.name}, {args.requests} requests per URL")
        print(f"{'URL':<80} {'p50 ms':>8} {'p95 ms':>8}")
        app = create_app(settings, engine=engine)
        with (
            background_server(app) as base,
            httpx.Client(base_url=base, timeout=30) as client,
        ):
            # The matcher's index builds in the background at start-up: time the steady state.
            app.state.recommender.wait_warm(timeout=120)
            searches = iter(new_searches(4 * (args.requests + 1)))
            for path in ("/offers", "/api/v1/offers"):
                for query in QUERIES:
                    p50, p95 = time_requests(client, path + query, [path + query] * args.requests)
                    print(f"{path + query:<80} {p50:8.1f} {p95:8.1f}")
                for also in NEW_SEARCH_FILTERS:
                    words = itertools.islice(searches, args.requests + 1)
                    urls = [f"{path}?q={q}{also}" for q in words]
                    p50, p95 = time_requests(client, urls[0], urls[1:])
                    print(f"{path + '?q=<new search>' + also:<80} {p50:8.1f} {p95:8.1f}")
        engine.dispose()


if __name__ == "__main__":
    main()
