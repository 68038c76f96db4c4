"""Browse page and offers API latency on a 10,000-offer synthetic catalogue.

Usage: python benchmarks/bench_catalogue.py [--count N] [--requests R] [--database-url URL]
Starts `passerelle serve` in its own process, as in production (the timing client then does
not share the server's interpreter lock), and times real HTTP requests for typical filter
combinations; prints p50 and p95 per URL. Goal: filtered browse page p95 ≤ 50 ms.

A full-text search's results are kept for the next requests (a search refined facet by
facet, or paged through, asks the database once), so the URLs repeated above measure a
search seen before; the "new search" lines use a different two-word search each time.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from passerelle.db import create_db_engine, migrate, session_scope
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


# A profile for the one match request that waits for the matcher's start-up index build.
MATCH_PROFILE = {
    "residence_country": "FR",
    "target_country": "SN",
    "sector": "agriculture",
    "stage": "startup",
    "project_eur": 40_000,
}


def synthetic_database(url: str, count: int) -> str:
    """Migrate the database at `url` and load `count` synthetic offers; its dialect's name."""
    engine = create_db_engine(url)
    migrate(engine)
    with session_scope(engine) as session:
        import_offers(session, list(enumerate(synthetic_offers(count, seed=1), start=1)))
    engine.dispose()
    return engine.dialect.name


@dataclass(frozen=True)
class Served:
    base: str  # the server's base URL
    pid: int  # its process, whose CPU time a benchmark may read


@contextmanager
def served(database_url: str, data_dir: str, *options: str) -> Iterator[Served]:
    """`passerelle serve` on a free port, in its own process, with more command-line
    `options`, once the matcher's index is built (the steady state is what is timed)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = os.environ | {
        "DATABASE_URL": database_url,
        "PASSERELLE_DATA_DIR": data_dir,
        "PASSERELLE_ENV": "test",
    }
    command = [sys.executable, "-c", "from passerelle.cli import app; app()", "serve"]
    log = Path(data_dir) / "serve.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [*command, "--port", str(port), *options], env=env, stdout=output, stderr=output
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180  # start-up takes long on a busy machine
        while True:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the server did not start:\n{log.read_text()}")
            try:
                httpx.get(f"{base}/healthz").raise_for_status()
                break
            except httpx.TransportError:
                time.sleep(0.2)
        httpx.post(f"{base}/api/v1/match", json=MATCH_PROFILE, timeout=120).raise_for_status()
        yield Served(base, process.pid)
    finally:
        process.terminate()
        process.wait(timeout=30)


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
        dialect = synthetic_database(url, args.count)
        print(f"{args.count} offers on {dialect}, {args.requests} requests per URL")
        print(f"{'URL':<80} {'p50 ms':>8} {'p95 ms':>8}")
        with served(url, tmp) as server, httpx.Client(base_url=server.base, timeout=30) as client:
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


if __name__ == "__main__":
    main()
