"""Import of a large file through the installed `passerelle import`, as people run it.

Usage: python benchmarks/import_100k.py [--count N] [--format json|csv]
           [--postgres-url postgresql+psycopg://postgres@127.0.0.1:5432/NAME]

Writes `count` synthetic offers to a file, then for SQLite (a fresh data directory) and,
when given, PostgreSQL (the database emptied first), runs `passerelle init` and
`passerelle import FILE` in subprocesses and prints the import's wall and CPU time and the peak
memory (maximum resident set size) of its process (from wait4). The goal: 100,000 offers in under
60 s and under 1 GB.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, text

from services_catalog import exporting
from services_catalog.synthetic import synthetic_offer

# The console script installed next to the interpreter running this script.
PASSERELLE = shutil.which("passerelle", path=str(Path(sys.executable).parent)) or "passerelle"


def write_offers(path: Path, count: int) -> None:
    """The synthetic catalogue, drawn offer by offer so that this script stays small too."""
    import random
    from datetime import date

    rng, today = random.Random(1), date(2026, 11, 23)
    offers = (synthetic_offer(rng, number, today) for number in range(1, count + 1))
    if path.suffix == ".csv":
        path.write_text(exporting.to_csv(list(offers)), encoding="utf-8")
        return
    with path.open("w", encoding="utf-8") as out:
        out.write("[")
        for number, offer in enumerate(offers):
            out.write(("," if number else "") + json.dumps(offer, ensure_ascii=False))
        out.write("]")


def empty_postgres(url: str) -> None:
    """Drop every table of the public schema, so that `init` builds a fresh one."""
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def run_import(command: str, label: str, source: Path, workdir: Path, url: str | None) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SECRET_KEY")}
    env |= {"PASSERELLE_DATA_DIR": str(workdir / "data"), "LC_ALL": "C.UTF-8"}
    if url:
        env["DATABASE_URL"] = url
    subprocess.run([command, "init"], cwd=workdir, env=env, check=True, capture_output=True)
    out, err = workdir / "import.out", workdir / "import.err"
    start = time.perf_counter()
    with out.open("w") as stdout, err.open("w") as stderr:
        process = subprocess.Popen(
            [command, "import", str(source)], cwd=workdir, env=env, stdout=stdout, stderr=stderr
        )
        # wait4 gives this one child's resource usage (getrusage would give the largest
        # of every child reaped so far).
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.perf_counter() - start
    if process.returncode != 0:
        sys.exit(f"{label}: import failed ({process.returncode}):\n{err.read_text()[-2000:]}")
    summary = out.read_text().strip().splitlines()[-1]
    peak = f"{usage.ru_maxrss / 1024:,.0f} MB"
    # CPU time says more than wall time on a machine shared with other work.
    cpu = usage.ru_utime + usage.ru_stime
    print(
        f"{label:<11} {elapsed:7.1f} s wall {cpu:7.1f} s CPU   peak RSS {peak:>9}   {summary}",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--format", choices=("json", "csv"), default="json")
    parser.add_argument("--postgres-url", default=os.environ.get("BENCH_POSTGRES_URL"))
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--passerelle", default=PASSERELLE, help="the command to run")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source = folder / f"offers.{args.format}"
        write_offers(source, args.count)
        size = source.stat().st_size / 1e6
        print(f"{args.count:,} offers, {source.name} of {size:,.0f} MB", flush=True)
        if not args.skip_sqlite:
            (folder / "sqlite").mkdir()
            run_import(args.passerelle, "SQLite", source, folder / "sqlite", None)
        if args.postgres_url:
            empty_postgres(args.postgres_url)
            (folder / "postgres").mkdir()
            run_import(
                args.passerelle, "PostgreSQL", source, folder / "postgres", args.postgres_url
            )


if __name__ == "__main__":
    main()
