"""Every POST route of the site's pages is reached by a test that submits the form of the
page rendering it (`tests/forms.py`), and answered without error at least once.

It reads what the rest of the suite submitted, so it runs after every other test
(`tests/conftest.py` orders it) and can only judge a run of the whole suite.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from passerelle.app import create_app
from tests.forms import DESELECTED, SUBMITTED, page_post_routes

TESTS_DIR = Path(__file__).parent


def _left_out(session: pytest.Session) -> list[str]:
    """What this run left out of the suite: test files not collected, tests deselected."""
    collected = {Path(item.path) for item in session.items}
    files = TESTS_DIR.rglob("test_*.py")
    left_out = sorted(str(p.relative_to(TESTS_DIR)) for p in files if p not in collected)
    deselected = session.config.stash.get(DESELECTED, 0)
    return left_out + ([f"{deselected} deselected tests"] if deselected else [])


@pytest.mark.after_the_suite
def test_every_page_post_route_is_submitted_from_its_form(settings, request):
    routes = page_post_routes(create_app(settings))
    assert {"/account/login", "/staff/import"} <= routes, "the routes were not found"
    left_out = _left_out(request.session)
    if left_out:
        pytest.skip(f"only a run of the whole suite can tell; left out: {left_out[:5]}")
    never = sorted(routes - SUBMITTED.keys())
    failing = sorted(r for r in routes & SUBMITTED.keys() if min(SUBMITTED[r]) >= 400)
    assert not never, "no test submits a page's form to:\n" + "\n".join(never)
    assert not failing, "forms to these routes were only ever refused:\n" + "\n".join(failing)
