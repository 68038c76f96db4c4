"""The form reader of tests/forms.py: what it takes from the HTML and what it refuses."""

from __future__ import annotations

import re

import httpx
import pytest

from tests.forms import page_form, page_forms

PAGE = """
<form method="get" action="/offers"><input name="q"><button>Search</button></form>
<form method="post" action="edit#answer" enctype="multipart/form-data">
  <input type="hidden" name="csrf_token" value="t0ken">
  <input name="title" value="Prêt &amp; garantie">
  <select name="lang"><option value="fr">Français</option><option selected>en</option></select>
  <select name="countries" multiple>
    <option value="SN" selected>Sénégal</option><option value="ML">Mali</option>
    <option value="CI" selected>Côte d'Ivoire</option><option value="XX" disabled>—</option>
  </select>
  <input type="checkbox" name="sectors" value="agriculture" checked>
  <input type="checkbox" name="sectors" value="digital">
  <input type="checkbox" name="urgent">
  <input type="radio" name="kind" value="service">
  <input type="radio" name="kind" value="financing" checked>
  <textarea name="description">
Deux lignes,
gardées.</textarea>
  <input type="file" name="file">
  <input name="locked" value="no" disabled>
  <button type="submit" name="action" value="suggest">Suggest</button>
  <button type="submit" name="action" value="save">Save</button>
</form>
"""


@pytest.fixture
def page() -> httpx.Response:
    return httpx.Response(200, text=PAGE, request=httpx.Request("GET", "http://testserver/o/1/"))


class Recorder:
    """Stands for the test client: keeps what would have been sent."""

    app = None

    def post(self, url, **request):
        self.sent = ("POST", url, request)
        return httpx.Response(303, request=httpx.Request("POST", "http://testserver" + url))

    def get(self, url, **request):
        self.sent = ("GET", url, request)
        return httpx.Response(200, request=httpx.Request("GET", "http://testserver" + url))


def test_the_page_decides_action_method_and_every_default(page):
    forms = page_forms(page)
    assert [(f.method, f.action) for f in forms] == [("GET", "/offers"), ("POST", "/o/1/edit")]
    form = forms[1]
    assert form.value("csrf_token") == "t0ken" and form.value("title") == "Prêt & garantie"
    assert form.value("lang") == "en"  # an option without value sends its text
    assert form.value("countries") == ["SN", "CI"]
    assert form.value("sectors") == "agriculture" and form.value("kind") == "financing"
    assert form.value("urgent") == [] and form.value("locked") == []  # unticked, disabled
    assert form.value("description") == "Deux lignes,\ngardées."  # first newline dropped


def test_submit_sends_what_a_browser_sends_for_the_button_pressed(page):
    client = Recorder()
    form = page_form(page, action="/o/1/edit").fill(
        title="Nouveau", countries=["ML"], sectors=["agriculture", "digital"], urgent=True
    )
    form.submit(client, button="save")
    method, url, request = client.sent
    assert (method, url) == ("POST", "/o/1/edit")
    assert request["data"] == {
        "csrf_token": ["t0ken"],
        "title": ["Nouveau"],
        "lang": ["en"],
        "countries": ["ML"],
        "sectors": ["agriculture", "digital"],
        "urgent": ["on"],
        "kind": ["financing"],
        "description": ["Deux lignes,\ngardées."],
        "action": ["save"],
    }
    assert request["files"] == {"file": ("", b"", "application/octet-stream")}
    page_form(page, action="/o/1/edit").submit(client)  # Enter: the first button
    assert client.sent[2]["data"]["action"] == ["suggest"]
    page_form(page, action="/offers").fill(q="solar").submit(client)
    assert client.sent[:2] == ("GET", "/offers") and client.sent[2]["params"] == [("q", "solar")]


@pytest.mark.parametrize(
    ("values", "problem"),
    [
        ({"colour": "red"}, "has no field 'colour'"),
        ({"csrf_token": "mine"}, "hidden field"),
        ({"locked": "yes"}, "disabled"),
        ({"countries": ["XX"]}, "offers no ['XX']"),
        ({"kind": "gift"}, "offers no ['gift']"),
        ({"kind": ["service", "financing"]}, "give one value"),
        ({"lang": ["fr", "en"]}, "single select"),
        ({"sectors": True}, "give its values"),
    ],
)
def test_what_a_person_cannot_do_is_refused(page, values, problem):
    with pytest.raises((KeyError, ValueError), match=re.escape(problem)):
        page_form(page, action="/o/1/edit").fill(values)


def test_a_form_is_found_by_its_action_or_said_missing(page):
    assert page_form(page, action="/offers").method == "GET"
    with pytest.raises(AssertionError, match=r"0 forms with action '/nowhere'.*'/o/1/edit'"):
        page_form(page, action="/nowhere")
    with pytest.raises(AssertionError, match="2 forms"):
        page_form(page)
    with pytest.raises(KeyError, match="no button 'delete'"):
        page_form(page, action="/o/1/edit").submit(Recorder(), button="delete")
