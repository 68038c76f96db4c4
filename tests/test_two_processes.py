"""Two `passerelle serve` processes over one database act as one site.

Each process has a data directory of its own, as on two machines, and the same
SECRET_KEY. Runs on PostgreSQL with TEST_DATABASE_URL (the deployment this is for), and
on one SQLite file otherwise (several workers of one machine).
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Callable, Iterator

import httpx
import pytest
from sqlalchemy import select

from passerelle.accounts import ratelimit, tokens
from services_catalog.importing import import_offers
from services_catalog.models import Offer
from tests.accounts.conftest import GROWTH_FUND, PASSWORD, Visitor
from tests.cli.test_serve import PASSERELLE, free_port, wait_for
from tests.staff.conftest import add_account

VISIBLE_WITHIN = 2.0  # seconds, from the answer of the write to the other process
MATCH = {
    "residence_country": "FR",
    "target_country": "KM",
    "sector": "agriculture",
    "stage": "growth",
    "project_eur": 200_000,
    "applicant_type": "company",
}
SIGNUP = {"email": "awa@example.org", "display_name": "Awa Diop", "password": PASSWORD}


@pytest.fixture
def two_servers(db, settings, tmp_path) -> Iterator[tuple[str, str]]:
    """The base URLs of two server processes sharing the test database."""
    processes, urls = [], []
    for name in ("a", "b"):
        port = free_port()
        env = os.environ | {
            "PASSERELLE_DATA_DIR": str(tmp_path / name),
            "SECRET_KEY": "one secret for every machine of the site, 32+ chars",
        }
        processes.append(
            subprocess.Popen(
                [PASSERELLE, "serve", "--port", str(port)],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
        )
        urls.append(f"http://127.0.0.1:{port}")
    try:
        for url, process in zip(urls, processes, strict=True):
            wait_for(f"{url}/livez", process)
        yield urls[0], urls[1]
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            process.communicate(timeout=30)


def seconds_until(check: Callable[[], bool], limit: float) -> float:
    """How long `check` took to become true, polled; fails past `limit`."""
    started = time.monotonic()
    while not check():
        elapsed = time.monotonic() - started
        assert elapsed < limit, f"not visible after {elapsed:.1f} s"
        time.sleep(0.05)
    return time.monotonic() - started


def test_an_edit_through_one_process_shows_through_the_other(db, session, two_servers):
    first, second = two_servers
    assert import_offers(session, [(1, GROWTH_FUND)]).applied
    offer_id = session.scalar(select(Offer.id))
    staff = add_account(session, "staff@example.org", "staff")
    _token, secret = tokens.create_token(session, staff, "test")
    session.commit()
    header = {"Authorization": f"Bearer {secret}"}

    def found_at_second() -> tuple[bool, bool]:
        listed = httpx.get(f"{second}/api/v1/offers", params={"country": "KM", "q": "Comores"})
        matched = httpx.post(f"{second}/api/v1/match", json=MATCH)
        return (
            offer_id in [o["id"] for o in listed.json()["items"]],
            offer_id in [r["offer_id"] for r in matched.json()["results"]],
        )

    assert found_at_second() == (False, False)  # both indexes of the second are built
    moved = {**GROWTH_FUND, "title": "Growth fund for the Comoros (Comores)", "countries": ["KM"]}
    edited = httpx.put(f"{first}/api/v1/offers/{offer_id}", json=moved, headers=header)
    assert edited.status_code == 200, edited.text
    approved = httpx.post(f"{first}/api/v1/offers/{offer_id}/approve", headers=header)
    assert approved.status_code == 200, approved.text
    seconds_until(lambda: found_at_second() == (True, True), VISIBLE_WITHIN)


def test_a_login_limit_reached_through_one_process_holds_at_the_other(two_servers):
    first, second = two_servers
    owner = Visitor(first)
    assert owner.post("/account/signup", SIGNUP, owner.token("/account/signup")).status_code < 400
    assert owner.post("/account/login", SIGNUP, owner.token("/account/login")).status_code < 400
    # The session made by the first process is good at the second: same table, same key.
    elsewhere = Visitor(second)
    elsewhere.client.cookies = httpx.Cookies(owner.client.cookies)
    assert elsewhere.client.get("/me").status_code == 200

    guesser = Visitor(first)
    wrong = {**SIGNUP, "password": "wrong password!"}
    for _ in range(ratelimit.LOGIN_PER_ACCOUNT_AND_ADDRESS.limit):
        assert (
            guesser.post("/account/login", wrong, guesser.token("/account/login")).status_code
            == 400
        )
    at_second = Visitor(second)
    blocked = at_second.post("/account/login", SIGNUP, at_second.token("/account/login"))
    assert blocked.status_code == 429
    assert int(blocked.headers["retry-after"]) > 0


def test_a_classifier_retrained_on_another_machine_serves_both(
    db, session, settings, tmp_path, two_servers
):
    from services_catalog.classify import Classifier
    from tests.web.test_classify_api import publish_xalis

    text = {"text": "Xalis tontine Sandaga"}
    publish_xalis(session)
    expected = [
        code for code, _ in Classifier.from_catalogue(session).suggest(text["text"]).categories
    ]

    def categories_at(url: str) -> list[str]:
        answer = httpx.post(f"{url}/api/v1/classify", json=text).json()
        return [item["code"] for item in answer["categories"]]

    assert categories_at(two_servers[0]) != expected  # the shipped classifier, so far
    trained = subprocess.run(
        [PASSERELLE, "train-classifier"],
        env=os.environ | {"PASSERELLE_DATA_DIR": str(tmp_path / "c")},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert trained.returncode == 0, trained.stderr
    for url in two_servers:
        seconds_until(lambda url=url: categories_at(url) == expected, VISIBLE_WITHIN)
