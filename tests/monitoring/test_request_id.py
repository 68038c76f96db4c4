"""The request id: taken from X-Request-ID or made, echoed, and in every JSON log line."""

from __future__ import annotations

import io
import json
import logging

from passerelle.monitoring.logs import json_handler


def test_a_request_id_is_made_and_echoed(client):
    first = client.get("/healthz").headers["X-Request-ID"]
    second = client.get("/healthz").headers["X-Request-ID"]
    assert len(first) == 32 and first != second


def test_a_given_request_id_is_kept(client):
    answer = client.get("/healthz", headers={"X-Request-ID": "edge-7f3a.1"})
    assert answer.headers["X-Request-ID"] == "edge-7f3a.1"


def test_a_malformed_request_id_is_replaced(client):
    forged = "x\nlevel=ERROR forged"
    answer = client.get("/healthz", headers={"X-Request-ID": forged.replace("\n", " ")})
    assert answer.headers["X-Request-ID"] != forged.replace("\n", " ")
    assert len(answer.headers["X-Request-ID"]) == 32


def test_error_pages_carry_the_request_id(client):
    answer = client.get("/api/v1/offers/999999", headers={"X-Request-ID": "abc-123"})
    assert answer.status_code == 404
    assert answer.headers["X-Request-ID"] == "abc-123"


def test_access_log_is_json_with_the_request_id(client):
    stream = io.StringIO()
    handler = json_handler()
    handler.setStream(stream)
    access = logging.getLogger("passerelle.access")
    access.addHandler(handler)
    access.setLevel(logging.INFO)
    try:
        client.get("/api/v1/taxonomy", headers={"X-Request-ID": "req-42"})
    finally:
        access.removeHandler(handler)
    line = json.loads(stream.getvalue().splitlines()[-1])
    assert line["request_id"] == "req-42"
    assert line["route"] == "/api/v1/taxonomy"
    assert line["status"] == 200
    assert line["level"] == "INFO"
    assert line["duration_ms"] >= 0
