"""The server settles what start-up loaded out of the garbage collector's way."""

from __future__ import annotations

import gc

import httpx

from passerelle.app import create_app
from passerelle.serving import GC_THRESHOLDS, background_server


def test_the_started_server_freezes_start_up_objects(db, settings):
    thresholds = gc.get_threshold()
    try:
        gc.unfreeze()
        with background_server(create_app(settings, engine=db)) as url:
            assert gc.get_freeze_count() > 10_000  # modules, classes, the app and its models
            assert gc.get_threshold() == GC_THRESHOLDS
            assert httpx.get(f"{url}/healthz").status_code == 200
    finally:
        gc.unfreeze()
        gc.set_threshold(*thresholds)
