"""Cost per request of one kind, measured on one `passerelle serve` process.

Usage: python benchmarks/profile_server.py [--count N] [--kind browse|api|search|match]
           [--clients C] [--seconds S] [--database-url URL] [--py-spy FILE]
Serves a synthetic catalogue of N offers, drives C closed-loop clients sending only that
kind of request (the load test's requests) for S seconds, and prints requests/s, p50/p99,
errors and the server's CPU milliseconds per request. On a machine shared with other work
the last figure is the one to compare before and after a change: it does not depend on how
much of the cores the server was given. With --py-spy, py-spy samples the server's thread that
holds the GIL meanwhile and writes collapsed stacks to FILE; the totals by function are printed.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from bench_catalogue import percentile, served, synthetic_database
from load_test import KINDS, Tally, Workload, client_loop, clients_session


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process so far (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def drive(base: str, kind: str, clients: int, seconds: float) -> tuple[Tally, float]:
    workload = Workload(seed=5)
    workload.requests = [request for request in workload.requests if request[0] == kind]
    tallies: dict[str, Tally] = {kind: Tally()}
    async with clients_session(clients) as client:
        until = time.monotonic() + seconds
        started = time.monotonic()
        loops = (
            client_loop(client, base, workload.cycle(i, clients), until, tallies)
            for i in range(clients)
        )
        await asyncio.gather(*loops)
        return tallies[kind], time.monotonic() - started


def by_function(collapsed: Path, top: int = 40) -> None:
    """Share of samples in which each function is on the stack, and at its top."""
    inclusive, own, total = Counter(), Counter(), 0
    for line in collapsed.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        frames = [
            frame.split(" (")[0] + " " + frame.rsplit("/", 1)[-1] for frame in stack.split(";")
        ]
        total += int(count)
        own[frames[-1]] += int(count)
        for frame in set(frames):
            inclusive[frame] += int(count)
    print(f"{total} samples; on the stack / at its top:")
    for frame, count in inclusive.most_common(top):
        print(f"  {count / total:6.1%} {own[frame] / total:6.1%}  {frame}")
    print("at the top of the stack:")
    for frame, count in own.most_common(top // 2):
        print(f"  {count / total:6.1%}  {frame}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--kind", choices=KINDS, default="browse")
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file")
    parser.add_argument("--py-spy", type=Path, default=None, help="collapsed stacks to here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'load.db'}"
        dialect = synthetic_database(url, args.count)
        with served(url, tmp) as server:
            asyncio.run(drive(server.base, args.kind, args.clients, 3))  # warm-up
            spy = None
            if args.py_spy:
                spy_command = [shutil.which("py-spy", path=str(Path(sys.executable).parent))]
                spy = subprocess.Popen(
                    [*spy_command, "record", "--gil", "--pid", str(server.pid), "--format", "raw",
                     "--duration", str(int(args.seconds)), "--output", str(args.py_spy)],
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                )  # fmt: skip
            cpu_before = cpu_seconds(server.pid)
            tally, elapsed = asyncio.run(drive(server.base, args.kind, args.clients, args.seconds))
            cpu = cpu_seconds(server.pid) - cpu_before
            if spy:
                spy.wait(timeout=60)
    samples = sorted(tally.latencies) or [0.0]
    done = len(tally.latencies)
    print(
        f"{args.kind} x{args.clients} on {args.count} offers ({dialect}): "
        f"{done / elapsed:.1f} req/s, p50 {percentile(samples, 0.5) * 1000:.0f} ms, "
        f"p99 {percentile(samples, 0.99) * 1000:.0f} ms, 5xx {tally.server_errors}, "
        f"errors {tally.failures.total()}, server CPU {cpu * 1000 / max(done, 1):.1f} ms/request"
    )
    if args.py_spy and args.py_spy.exists():
        by_function(args.py_spy)


if __name__ == "__main__":
    main()
