"""Import speed: 10,000 synthetic offers through `passerelle import`'s code path.

Usage: python benchmarks/bench_import.py [--count N] [--database-url URL]
Prints the time to read, validate and store a JSON and a CSV file into an empty
database, and the time to re-import the same file (every row unchanged).
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from functools import partial
from pathlib import Path

from sqlalchemy import text

from passerelle.catalog_messages import summary
from passerelle.db import create_db_engine, migrate, session_scope
from services_catalog import exporting, importing
from services_catalog.synthetic import synthetic_offers


def timed(label: str, action) -> object:
    start = time.perf_counter()
    result = action()
    print(f"{label:<38} {time.perf_counter() - start:7.2f} s")
    return result


def reset(engine) -> None:
    with engine.begin() as connection:
        for table in ("offer_search", "offer_criterion", "offer", "organization"):
            connection.execute(text(f"DELETE FROM {table}"))


def run_import(engine, path: Path) -> importing.ImportReport:
    rows = importing.read_file(path)
    with session_scope(engine) as session:
        return importing.import_offers(session, rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        engine = create_db_engine(args.database_url or f"sqlite:///{folder / 'bench.db'}")
        migrate(engine)
        reset(engine)
        offers = synthetic_offers(args.count, seed=1)
        (folder / "offers.json").write_text(json.dumps(offers))
        (folder / "offers.csv").write_text(exporting.to_csv(offers))
        print(f"{args.count} offers on {engine.dialect.name}")
        for name in ("offers.json", "offers.csv"):
            path = folder / name
            report = timed(
                f"import {name} into an empty catalogue", partial(run_import, engine, path)
            )
            assert report.created == args.count, summary(report, "en")
            report = timed(f"re-import {name} (all unchanged)", partial(run_import, engine, path))
            assert report.unchanged == args.count, summary(report, "en")
            reset(engine)
        engine.dispose()


if __name__ == "__main__":
    main()
