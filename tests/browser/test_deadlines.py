"""Deadlines in Chromium: the open-now filter, an offer's .ics download and the personal
calendar address, copied from its page and read by a calendar application."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from icalendar import Calendar

from tests.browser.helpers import axe_check, sign_up


def test_the_open_now_box_hides_the_closed_offers(new_page):
    page = new_page("/offers?per_page=100")
    every = page.locator(".offer-card").count()
    assert page.locator(".offer-card .window-closed").count() > 0  # marked closed
    page.get_by_role("checkbox", name="Open now: applications accepted today").check()
    page.get_by_role("button", name="Apply filters").first.click()
    page.wait_for_url(re.compile(r"open=true"))
    assert page.get_by_role("link", name=re.compile("Applications: Open now")).is_visible()
    assert 0 < page.locator(".offer-card").count() < every
    assert page.locator(".offer-card .window-closed").count() == 0
    assert page.locator(".offer-card .window-upcoming").count() == 0


def test_find_support_open_now_box(new_page):
    page = new_page("/find-support?residence_country=FR&target_country=SN&sector=agriculture"
                    "&stage=startup&project_eur=40000")  # fmt: skip
    box = page.get_by_role("checkbox", name="Open now: applications accepted today")
    assert not box.is_checked()
    box.check()
    page.get_by_role("button", name="Show the offers for my project").click()
    page.wait_for_url(re.compile(r"open=true"))
    assert page.get_by_role("checkbox", name="Open now: applications accepted today").is_checked()
    for state in ("closed", "upcoming"):
        assert page.locator(f"#answer ~ section .window-{state}").count() == 0


def test_download_an_offers_ics(new_page, catalogue_ids, tmp_path):
    page = new_page(f"/offers/{catalogue_ids['known']}")
    with page.expect_download() as download:
        page.get_by_role("link", name="Add to my calendar (.ics)").click()
    saved = tmp_path / "offer.ics"
    download.value.save_as(saved)
    calendar = Calendar.from_ical(Path(saved).read_bytes())
    (event,) = calendar.walk("VEVENT")
    assert event.decoded("DTSTART") == date(2099, 1, 15)
    assert str(event["SUMMARY"]) == "Deadline: Prêt d'honneur solidaire Sénégal"


def test_make_and_copy_my_calendar_address(new_page, axe_source, catalogue_ids):
    page = new_page("/")
    sign_up(page, "Awa Calendar", "awa.calendar@example.org", provider=False)
    offer = catalogue_ids["known"]
    page.goto(f"/offers/{offer}")
    page.get_by_role("button", name="Keep this offer").click()
    page.goto("/me")
    follow = "Follow the deadlines of my bookmarks and matches in my calendar"
    page.get_by_role("link", name=follow).click()
    page.wait_for_url(re.compile(r"/me/calendar$"))
    axe_check(page, axe_source)
    page.get_by_role("button", name="Make my calendar address").click()
    address = page.get_by_label("Calendar address")
    url = address.input_value()
    assert re.search(r"/calendar/psc_[\w-]+\.ics$", url)
    axe_check(page, axe_source)
    # What a calendar application does with the copied address (here on the test server).
    feed = page.request.get(urlsplit(url).path)
    assert feed.ok and feed.headers["content-type"].startswith("text/calendar")
    uids = {str(e["UID"]) for e in Calendar.from_ical(feed.body()).walk("VEVENT")}
    assert any(uid.startswith(f"offer-{offer}-deadline@") for uid in uids)
    page.get_by_role("button", name="Revoke and make a new one").click()
    assert page.get_by_label("Calendar address").input_value() != url
    assert page.request.get(urlsplit(url).path).status == 404
