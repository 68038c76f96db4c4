"""Load test: 16, 64 and 256 concurrent clients on the browse page, the API, search and match.

Usage: python benchmarks/load_test.py [--count N] [--seconds S] [--clients 16,64,256]
                                      [--workers W] [--database-url URL | --url URL]
Starts `passerelle serve` on a synthetic catalogue of N offers (or tests a server already
running on this machine, `--url`), then, for each number of clients, runs that many closed-
loop clients for S seconds: each sends its next request when the last one answered, cycling
through browse pages, API filters, new two-word searches and match requests. Prints per
level and per kind of request: requests, throughput, p50/p95/p99/max latency, 5xx answers
(503s among them) and errors (no answer: refused, reset, timed out).

The clients are aiohttp's: httpx's connection pool spends milliseconds of CPU per request once
it holds dozens of connections, so at 64 and 256 clients it, not the server, set the pace.
Goal: no error and no 5xx at any level, p99 under 2 s at 256 clients on a 2-core machine,
and a throughput at 64 clients no lower than at 16.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import aiohttp
from bench_catalogue import (
    MATCH_PROFILE,
    QUERIES,
    new_searches,
    percentile,
    served,
    synthetic_database,
)

KINDS = ("browse", "api", "search", "match")
WARM_UP_SECONDS = 3
REQUEST_TIMEOUT = 30.0
COUNTRIES = ("SN", "ML", "CI", "CM", "MA", "TN", "BJ", "TG")
SECTORS = ("agriculture", "digital", "energy", "commerce", "creative", "health")


@dataclass
class Tally:
    """What one kind of request got during one level."""

    latencies: list[float] = field(default_factory=list)
    server_errors: int = 0
    unavailable: int = 0  # 503s, counted among the 5xx too
    failures: Counter = field(default_factory=Counter)  # by exception name

    def add(self, other: Tally) -> None:
        self.latencies += other.latencies
        self.server_errors += other.server_errors
        self.unavailable += other.unavailable
        self.failures += other.failures


class Workload:
    """The requests the clients cycle through, each client from its own starting point."""

    def __init__(self, seed: int) -> None:
        rng = random.Random(seed)
        searches = new_searches(2_000)
        self.requests: list[tuple[str, str, str, dict | None]] = []
        for step in range(2_000):
            query = QUERIES[step % len(QUERIES)]
            profile = {
                **MATCH_PROFILE,
                "target_country": rng.choice(COUNTRIES),
                "sector": rng.choice(SECTORS),
                "project_eur": rng.randrange(5_000, 200_000, 5_000),
            }
            self.requests += [
                ("browse", "GET", "/offers" + query, None),
                ("api", "GET", "/api/v1/offers" + query, None),
                ("search", "GET", f"/api/v1/offers?q={searches[step % len(searches)]}", None),
                ("match", "POST", "/api/v1/match", profile),
            ]

    def cycle(self, client: int, clients: int):
        """Client `client`'s requests: the clients start evenly spread over the list, so
        that a "new" search is not one another client sent a moment before (each process
        keeps its latest search results)."""
        position = client * len(self.requests) // clients
        while True:
            yield self.requests[position % len(self.requests)]
            position += 1


async def client_loop(
    client: aiohttp.ClientSession, base: str, requests, until: float, tallies: dict[str, Tally]
) -> None:
    for kind, method, path, body in requests:
        if time.monotonic() >= until:
            return
        started = time.perf_counter()
        try:
            async with client.request(method, base + path, json=body) as response:
                await response.read()
                status = response.status
        except (aiohttp.ClientError, TimeoutError) as error:
            tallies[kind].failures[type(error).__name__] += 1
            continue
        tallies[kind].latencies.append(time.perf_counter() - started)
        if status >= 500:
            tallies[kind].server_errors += 1
            tallies[kind].unavailable += status == 503


def clients_session(clients: int) -> aiohttp.ClientSession:
    """One connection per client, kept alive; no cookies kept, as for anonymous visitors."""
    return aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=clients),
        timeout=aiohttp.ClientTimeout(total=REQUEST_TIMEOUT),
        cookie_jar=aiohttp.DummyCookieJar(),
    )


async def run_level(base: str, clients: int, seconds: float, workload: Workload) -> dict:
    """`clients` closed-loop clients for `seconds`; tallies by kind of request."""
    tallies: dict[str, Tally] = defaultdict(Tally)
    async with clients_session(clients) as client:
        until = time.monotonic() + seconds
        started, cpu_started = time.monotonic(), time.process_time()
        await asyncio.gather(
            *(
                client_loop(client, base, workload.cycle(index, clients), until, tallies)
                for index in range(clients)
            )
        )
        elapsed = time.monotonic() - started
        client_cpu = time.process_time() - cpu_started
    return {"tallies": tallies, "elapsed": elapsed, "client_cpu": client_cpu}


def report(clients: int, level: dict) -> None:
    """One line per kind of request, and what the clients themselves cost: they share the
    machine's cores with the server."""
    rows = dict(level["tallies"])
    total = Tally()
    for kind in KINDS:
        total.add(rows.get(kind, Tally()))
    rows["all"] = total
    for kind in (*KINDS, "all"):
        tally = rows.get(kind, Tally())
        samples = sorted(tally.latencies) or [0.0]
        throughput = len(tally.latencies) / level["elapsed"]
        p50, p95, p99 = (percentile(samples, share) * 1000 for share in (0.5, 0.95, 0.99))
        print(
            f"{clients:>7} {kind:<7} {len(tally.latencies):>7} {throughput:>7.1f} "
            f"{p50:>7.0f} {p95:>7.0f} {p99:>7.0f} {samples[-1] * 1000:>7.0f} "
            f"{tally.server_errors:>5} {tally.unavailable:>5} {tally.failures.total():>6} "
            + " ".join(f"{name}: {count}" for name, count in tally.failures.items())
        )
    share = level["client_cpu"] / level["elapsed"]
    print(f"{clients:>7} (the clients used {share:.0%} of a core)")


def loopback(url: str) -> str:
    if urlsplit(url).hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit(f"error: --url {url}: only a server on this machine (loopback)")
    return url.rstrip("/")


async def drive(base: str, levels: list[int], seconds: float) -> None:
    workload = Workload(seed=5)
    await run_level(base, min(levels), WARM_UP_SECONDS, workload)  # indexes and caches
    print(
        f"{'clients':>7} {'kind':<7} {'reqs':>7} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} "
        f"{'p99 ms':>7} {'max ms':>7} {'5xx':>5} {'503':>5} {'errors':>6}"
    )
    for clients in levels:
        report(clients, await run_level(base, clients, seconds, workload))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000, help="synthetic offers")
    parser.add_argument("--seconds", type=float, default=10.0, help="per level")
    parser.add_argument("--clients", default="16,64,256", help="levels, comma-separated")
    parser.add_argument("--workers", type=int, default=1, help="`passerelle serve` processes")
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file")
    parser.add_argument("--url", default=None, help="a running server on this machine")
    args = parser.parse_args()
    levels = [int(level) for level in args.clients.split(",")]
    if args.url:
        asyncio.run(drive(loopback(args.url), levels, args.seconds))
        return
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'load.db'}"
        dialect = synthetic_database(url, args.count)
        print(
            f"{args.count} offers on {dialect}, {args.workers} process(es), "
            f"{args.seconds:g} s per level"
        )
        with served(url, tmp, "--workers", str(args.workers)) as server:
            asyncio.run(drive(server.base, levels, args.seconds))


if __name__ == "__main__":
    main()
