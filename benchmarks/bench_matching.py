"""Matching speed on synthetic catalogues of 1,000, 10,000 and 100,000 offers.

Run from the repository root: python -m benchmarks.bench_matching [--sizes 1000 10000]
[--http]. In-process: index build time and memory (tracemalloc peak, and what the index
keeps) and the latency of one match, as wall-clock and CPU time (steadier on a shared
machine). With --http, the catalogue is also imported into a SQLite database and
`POST /api/v1/match` is timed through uvicorn. Goals on 2 cores: in-process p95 ≤ 20 ms
at 10,000 offers; HTTP p95 ≤ 100 ms at 100,000.
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import tempfile
import time
import tracemalloc
from datetime import date
from pathlib import Path

import httpx

from matching import MatchIndex, NeedsModel, Profile
from passerelle.app import create_app
from passerelle.db import create_db_engine, migrate, session_scope
from passerelle.recommender import CatalogueLabels, offer_record
from passerelle.serving import background_server
from passerelle.settings import Settings
from services_catalog.importing import import_offers
from services_catalog.schemas import OfferRecord as ExchangeRecord
from services_catalog.synthetic import PROJECT_COUNTRIES, RESIDENCE_COUNTRIES, synthetic_offers
from services_catalog.taxonomy import (
    APPLICANT_TYPES,
    CATEGORIES,
    SECTORS,
    STAGES,
    TARGET_GROUPS,
)  # fmt: skip

AS_OF = date(2026, 11, 23)
WORDS = (
    "prêt", "loan", "ferme", "farm", "solaire", "solar", "formation", "training", "mentorat",
    "mentoring", "subvention", "grant", "export", "numérique", "digital", "école", "school",
)  # fmt: skip


def make_profile(rng: random.Random) -> Profile:
    """A synthetic entrepreneur; half give needs, half only describe their project."""
    project = int(rng.lognormvariate(10.3, 1.0))
    return Profile(
        residence_country=rng.choice(RESIDENCE_COUNTRIES),
        target_country=rng.choice(PROJECT_COUNTRIES),
        sector=rng.choice(list(SECTORS)),
        stage=rng.choice(list(STAGES)),
        project_eur=project,
        funding_need_eur=int(project * 0.6) if rng.random() < 0.7 else None,
        applicant_type=rng.choice(list(APPLICANT_TYPES)),
        groups=tuple(g for g in TARGET_GROUPS if rng.random() < 0.4),
        needs=tuple(rng.sample(list(CATEGORIES), 2)) if rng.random() < 0.5 else (),
        description=" ".join(rng.choices(WORDS, k=rng.randint(8, 30))),
    )


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def matching_records(offers: list[dict]):
    records = []
    for number, data in enumerate(offers, start=1):
        record = ExchangeRecord.model_validate(data)
        fields = record.model_dump() | {"id": number, "external_id": record.id}
        records.append(offer_record(fields))
    return records


def bench_in_process(offers: list[dict], profiles: list[Profile], needs: NeedsModel) -> None:
    records = matching_records(offers)
    gc.collect()
    started = time.perf_counter()
    index = MatchIndex.build(records, needs_model=needs)
    build_s = time.perf_counter() - started
    tracemalloc.start()
    traced = MatchIndex.build(records, needs_model=needs)
    kept, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del traced
    labels = CatalogueLabels()
    for profile in profiles[:20]:  # warm caches as a running platform would have
        index.match(profile, as_of=AS_OF, labels=labels)
    wall, cpu, eligible = [], [], []
    for number, profile in enumerate(profiles):
        started, started_cpu = time.perf_counter(), time.process_time()
        index.match(profile, as_of=AS_OF, lang="fr" if number % 2 else "en", labels=labels)
        cpu.append((time.process_time() - started_cpu) * 1000)
        wall.append((time.perf_counter() - started) * 1000)
        eligible.append(int(index.eligible_mask(profile, AS_OF).sum()))
    print(
        f"{len(offers):>7} offers in process | build {build_s:5.2f} s, peak "
        f"{peak / 2**20:6.1f} MiB, kept {kept / 2**20:5.1f} MiB | wall p50 "
        f"{percentile(wall, 0.5):5.2f} ms p95 {percentile(wall, 0.95):5.2f} ms | cpu p95 "
        f"{percentile(cpu, 0.95):5.2f} ms | eligible median {statistics.median(eligible):.0f}"
    )


def bench_http(offers: list[dict], profiles: list[Profile]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        engine = create_db_engine(url)
        migrate(engine)
        with session_scope(engine) as session:
            import_offers(session, list(enumerate(offers, start=1)))
        settings = Settings(DATABASE_URL=url, PASSERELLE_DATA_DIR=tmp, PASSERELLE_ENV="test")
        bodies = [_body(profile) for profile in profiles]
        with (
            background_server(create_app(settings, engine=engine)) as base,
            httpx.Client(base_url=base, timeout=120) as client,
        ):
            started = time.perf_counter()
            client.post("/api/v1/match", json=bodies[0]).raise_for_status()  # builds the index
            first_s = time.perf_counter() - started
            samples = []
            for body in bodies:
                started = time.perf_counter()
                client.post("/api/v1/match", json=body).raise_for_status()
                samples.append((time.perf_counter() - started) * 1000)
        engine.dispose()
    print(
        f"{len(offers):>7} offers over HTTP | first request (index build) {first_s:5.2f} s | "
        f"p50 {percentile(samples, 0.5):6.1f} ms p95 {percentile(samples, 0.95):6.1f} ms"
    )


def _body(profile: Profile) -> dict:
    body = {name: getattr(profile, name) for name in Profile.__slots__}
    return body | {"groups": list(profile.groups), "needs": list(profile.needs),
                   "as_of": AS_OF.isoformat()}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--profiles", type=int, default=200)
    parser.add_argument("--http", action="store_true", help="also time POST /api/v1/match")
    args = parser.parse_args()
    started = time.perf_counter()
    needs = NeedsModel.default()
    print(f"needs model trained in {time.perf_counter() - started:.2f} s")
    for size in args.sizes:
        rng = random.Random(size)
        offers = synthetic_offers(size, seed=size, today=AS_OF)
        profiles = [make_profile(rng) for _ in range(args.profiles)]
        bench_in_process(offers, profiles, needs)
        if args.http:
            bench_http(offers, profiles)


if __name__ == "__main__":
    main()
