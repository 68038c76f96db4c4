"""Classifier speed: training on the shipped examples and demo catalogue, and one suggestion.

Usage: python benchmarks/bench_classify.py [--repeat N]
Prints the training time (best and median of N fits) and the p50/p95 time of one
`suggest` over the training texts. The classifier trains once per process at start-up
and on staff request, so training should stay within a few seconds and a suggestion
within a few milliseconds.
"""

from __future__ import annotations

import argparse
import statistics
import time

from services_catalog.classify import Classifier, offer_text, shipped_records


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    records = shipped_records()
    fits = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        classifier = Classifier.train(records)
        fits.append(time.perf_counter() - start)
    print(f"training on {len(records)} offers: best {min(fits):.2f} s, "
          f"median {statistics.median(fits):.2f} s")  # fmt: skip
    durations = []
    for record in records:
        start = time.perf_counter()
        classifier.suggest(offer_text(record))
        durations.append((time.perf_counter() - start) * 1000)
    durations.sort()
    p95 = durations[round(0.95 * (len(durations) - 1))]
    print(f"one suggestion: p50 {statistics.median(durations):.1f} ms, p95 {p95:.1f} ms")


if __name__ == "__main__":
    main()
