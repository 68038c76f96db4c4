"""Words are cut and stemmed the same whatever else the process does at the same time."""

from __future__ import annotations

import sys
from concurrent.futures import ThreadPoolExecutor

from services_catalog.analysis import stems
from services_catalog.synthetic import WORDS

ENDINGS = ("", "s", "ment", "ements", "ation", "ations", "erions", "ing", "ings", "ness")


def test_request_threads_stemming_at_once_get_the_stems_of_one_thread():
    words = [word + ending for word in WORDS["fr"] + WORDS["en"] for ending in ENDINGS]
    stem = stems.__wrapped__  # past the cache: every call stems
    alone = [stem(word) for word in words]
    switching = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # threads take turns as often as they can
    try:
        with ThreadPoolExecutor(max_workers=8) as pool:
            together = list(pool.map(lambda _: [stem(word) for word in words], range(16)))
    finally:
        sys.setswitchinterval(switching)
    assert all(found == alone for found in together)
