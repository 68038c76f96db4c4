"""NDCG@10 of the browse page's keyword search on the demo catalogue, per judged query.

Usage: python benchmarks/eval_search.py [--verbose]
Loads the demo catalogue into a fresh SQLite file, runs each search of
`benchmarks/data/search_queries.json` as the browse page does (relevance order) and scores
the first ten results against the judgments (matching.evaluation.ndcg).
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
from pathlib import Path

from matching.evaluation import ndcg
from passerelle.db import create_db_engine, migrate, session_scope
from services_catalog.demo import load_demo
from services_catalog.search import OfferFilters, search_offers

QUERIES = Path(__file__).parent / "data" / "search_queries.json"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="print each query's score")
    args = parser.parse_args()
    queries = json.loads(QUERIES.read_text("utf-8"))["queries"]
    with tempfile.TemporaryDirectory() as tmp:
        engine = create_db_engine(f"sqlite:///{Path(tmp) / 'eval.db'}")
        migrate(engine)
        with session_scope(engine) as session:
            load_demo(session)
        scores, empty = [], 0
        with session_scope(engine) as session:
            for query in queries:
                result = search_offers(session, OfferFilters(q=query["q"], per_page=10))
                ranked = [offer.external_id for offer in result.offers]
                scores.append(ndcg(ranked, query["relevant"]))
                empty += not ranked
                if args.verbose:
                    print(f"{scores[-1]:.2f}  {result.total:3d}  {query['q']}")
        engine.dispose()
    print(f"{len(queries)} queries: NDCG@10 {statistics.mean(scores):.3f}, {empty} found nothing")


if __name__ == "__main__":
    main()
