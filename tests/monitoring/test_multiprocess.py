"""Several processes sharing PROMETHEUS_MULTIPROC_DIR: /metrics adds up all of them."""

from __future__ import annotations

import os
import subprocess
import sys

SERVE_ONE_REQUEST = """
from passerelle.monitoring import metrics
metrics.observe_request("GET", "/offers", 200, 0.02)
metrics.observe_index_build("match", {version}, 0.5)
"""
SCRAPE = """
from passerelle.monitoring import metrics
print(metrics.process_metrics().decode())
"""


def _python(code: str, env: dict[str, str]) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_metrics_of_every_process_are_added_up(tmp_path):
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    for version in (7, 8):  # two processes, one of them still on an older catalogue
        _python(SERVE_ONE_REQUEST.format(version=version), env)
    scraped = _python(SCRAPE, env)
    assert (
        'passerelle_http_requests_total{method="GET",route="/offers",status="200"} 2.0' in scraped
    )
    assert 'passerelle_http_request_duration_seconds_count{method="GET",route="/offers"} 2.0' in (
        scraped
    )
    assert 'passerelle_catalogue_index_build_seconds_count{index="match"} 2.0' in scraped
