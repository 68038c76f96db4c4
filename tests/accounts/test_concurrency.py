"""Requests that arrive together, against a live server: each gets a clean answer and the
database keeps its rules (one account per address, one bookmark per offer, the sign-in
limit) however many race.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import httpx
from sqlalchemy import func, select
from sqlmodel import Session

from passerelle.accounts import ratelimit
from passerelle.accounts.errors import TooManyAttemptsError
from passerelle.accounts.models import Bookmark, UserAccount
from tests.accounts.conftest import PASSWORD, Visitor


def all_at_once(actions: list[Callable[[], httpx.Response]]) -> list[int]:
    """Run the actions in parallel threads released together; their status codes."""
    start = threading.Barrier(len(actions))

    def run(action):
        start.wait()
        return action().status_code

    with ThreadPoolExecutor(max_workers=len(actions)) as pool:
        return list(pool.map(run, actions))


SIGNUP = {"email": "awa@example.org", "display_name": "Awa Diop", "password": PASSWORD}


def test_parallel_sign_ups_with_one_address_make_one_account(base_url, session):
    visitors = [Visitor(base_url) for _ in range(20)]
    tokens = [visitor.token("/account/signup") for visitor in visitors]
    actions = [
        lambda v=visitor, t=token: v.post("/account/signup", SIGNUP, t)
        for visitor, token in zip(visitors, tokens, strict=True)
    ]
    statuses = all_at_once(actions)
    assert all(status < 500 for status in statuses), statuses
    assert session.scalar(select(func.count()).select_from(UserAccount)) == 1


def test_parallel_bookmarks_of_one_offer_keep_one(base_url, site_catalogue, session):
    owner = Visitor(base_url)
    owner.post("/account/signup", SIGNUP, owner.token("/account/signup"))
    owner.post("/account/login", SIGNUP, owner.token("/account/login"))
    token = owner.token("/me")
    offer_id = site_catalogue["acc-honour-loan"]
    twins = [owner.copy() for _ in range(10)]
    actions = [lambda t=twin: t.post(f"/me/bookmarks/{offer_id}", {}, token) for twin in twins]
    statuses = all_at_once(actions)
    assert all(status < 500 for status in statuses), statuses
    assert session.scalar(select(func.count()).select_from(Bookmark)) == 1


def test_parallel_wrong_guesses_never_pass_the_limit(base_url):
    owner = Visitor(base_url)
    owner.post("/account/signup", SIGNUP, owner.token("/account/signup"))
    guessers = [Visitor(base_url) for _ in range(40)]
    tokens = [guesser.token("/account/login") for guesser in guessers]
    wrong = {"email": SIGNUP["email"], "password": "wrong password!"}
    actions = [
        lambda g=guesser, t=token: g.post("/account/login", wrong, t)
        for guesser, token in zip(guessers, tokens, strict=True)
    ]
    statuses = all_at_once(actions)
    assert set(statuses) <= {400, 429}, statuses
    assert statuses.count(400) <= ratelimit.LOGIN_PER_ACCOUNT_AND_ADDRESS.limit, statuses


def test_parallel_hits_on_one_counter_are_each_counted(db):
    """The counter itself: of 30 hits at once, exactly the limit's number pass."""
    limit = ratelimit.LOGIN_PER_ACCOUNT_AND_ADDRESS
    start = threading.Barrier(30)

    def one_hit() -> bool:
        with Session(db) as session:
            start.wait()
            try:
                ratelimit.hit(session, limit, "awa@example.org", "192.0.2.1")
            except TooManyAttemptsError:
                return False
            return True

    with ThreadPoolExecutor(max_workers=30) as pool:
        passed = list(pool.map(lambda _: one_hit(), range(30)))
    assert passed.count(True) == limit.limit
