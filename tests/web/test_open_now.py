"""The "open now" filter on browse, the offers API and find-support; closed offers marked."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from services_catalog.importing import import_offers
from services_catalog.models import Offer
from tests.forms import page_form

EN = {"Accept-Language": "en-GB,en;q=0.9"}
FR = {"Accept-Language": "fr-FR,fr;q=0.9"}
TODAY = date.today()


def offer(key: str, **fields) -> dict:
    return {
        "id": key,
        "title": f"Window {key}",
        "description": "Mentoring for new businesses.",
        "organization": "Window Network",
        "kind": "service",
        "categories": ["mentoring"],
        **fields,
    }


@pytest.fixture
def windows(session) -> dict[str, int]:
    """Four offers open to everyone: rolling, closing soon, closed, opening later."""
    rows = [
        offer("rolling"),
        offer("soon", deadline=(TODAY + timedelta(days=3)).isoformat()),
        offer("closed", deadline=(TODAY - timedelta(days=10)).isoformat()),
        offer(
            "later",
            opens=(TODAY + timedelta(days=20)).isoformat(),
            deadline=(TODAY + timedelta(days=60)).isoformat(),
        ),
    ]
    assert import_offers(session, list(enumerate(rows, start=1))).applied
    session.commit()
    return {o.external_id: o.id for o in session.scalars(select(Offer))}


def titles(page: str) -> list[str]:
    return sorted(re.findall(r">Window (\w+)</a>", page))


def test_api_open_filter_keeps_the_offers_open_today(client, windows):
    every = client.get("/api/v1/offers").json()
    assert sorted(i["external_id"] for i in every["items"]) == [
        "closed",
        "later",
        "rolling",
        "soon",
    ]
    open_now = client.get("/api/v1/offers", params={"open": "true"}).json()
    assert sorted(i["external_id"] for i in open_now["items"]) == ["rolling", "soon"]
    assert open_now["total"] == 2
    assert client.get("/api/v1/offers", params={"open": "false"}).json()["total"] == 4


def test_api_refuses_an_unreadable_open_value(client, windows):
    response = client.get("/api/v1/offers", params={"open": "maybe"})
    assert response.status_code == 422
    assert "open" in str(response.json()["detail"])


def test_browse_box_filters_and_marks_the_closed(client, windows):
    page = client.get("/offers", headers=EN)
    assert titles(page.text) == ["closed", "later", "rolling", "soon"]
    assert "Closed on" in html.unescape(page.text)
    form = page_form(page, action="/offers").fill(open=True)
    filtered = form.submit(client, headers=EN)
    assert filtered.status_code == 200
    assert titles(filtered.text) == ["rolling", "soon"]
    shown = html.unescape(filtered.text)
    assert "Applications: Open now" in shown  # the chip that removes it
    assert 'id="f-open" name="open" value="true" checked' in filtered.text
    # Removing the chip brings every offer back.
    chip = re.search(r'<a class="chip" href="([^"]+)">\s*<span>Applications', filtered.text)
    assert titles(client.get(html.unescape(chip.group(1)), headers=EN).text) == [
        "closed",
        "later",
        "rolling",
        "soon",
    ]


def test_browse_open_filter_in_french_and_bad_value(client, windows):
    page = client.get("/offers", params={"open": "true"}, headers=FR)
    shown = html.unescape(page.text)
    assert "Ouvertes maintenant" in shown and "Candidatures" in shown
    bad = client.get("/offers", params={"open": "peut-être"}, headers=EN)
    assert bad.status_code == 422
    assert "peut-être" in html.unescape(bad.text)


def test_relaxing_the_open_filter_is_suggested_when_nothing_is_open(client, session):
    rows = [offer("closed", deadline=(TODAY - timedelta(days=2)).isoformat())]
    assert import_offers(session, list(enumerate(rows, start=1))).applied
    session.commit()
    page = client.get("/offers", params={"open": "true", "category": "mentoring"}, headers=EN)
    assert titles(page.text) == []
    assert "Open now" in html.unescape(page.text)  # the hint naming what to remove


PROFILE = {
    "residence_country": "FR",
    "target_country": "SN",
    "sector": "agriculture",
    "stage": "startup",
    "applicant_type": "individual",
    "project_eur": "40000",
}


def test_find_support_open_box_hides_near_misses_not_open(client, windows):
    page = client.get("/find-support", headers=EN)
    answers = page_form(page, action="/find-support").fill(PROFILE)
    every = html.unescape(answers.submit(client, headers=EN).text)
    results = every[every.index('id="results-heading"') : every.index('id="near-heading"')]
    near = every[every.index('id="near-heading"') :]
    assert titles(results) == ["rolling", "soon"]
    assert titles(near) == ["closed", "later"]
    assert "Closed on" in near and "Opens on" in near  # marked on their cards
    only_open = answers.fill(open=True).submit(client, headers=EN)
    assert only_open.status_code == 200
    shown = html.unescape(only_open.text)
    assert titles(shown) == ["rolling", "soon"]
    assert 'id="near-heading"' not in shown
    assert 'name="open" value="true" checked' in only_open.text


def test_find_support_refuses_an_unreadable_open_value(client, windows):
    response = client.get("/find-support", params={**PROFILE, "open": "yes please"}, headers=EN)
    assert response.status_code == 422
    assert "yes please" in html.unescape(response.text)
