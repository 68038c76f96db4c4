"""A staff import, reading, checking, writing and rendering its report alike, works in a
thread: the event loop goes on serving everyone else meanwhile."""

from __future__ import annotations

import threading

from passerelle.staff import routes_admin
from tests.staff.page_forms import page_form
from tests.staff.test_import_report import import_page

CSV = b"id,title,description,organization,kind\na,Aide,Une aide.,Banque,service\n"


def test_other_requests_are_answered_while_an_import_works(staff, monkeypatch):
    working, answered = threading.Event(), threading.Event()
    held_until_answered = []
    render = routes_admin._import_page

    def slow_report(*args, **kwargs):
        # Stands for seconds of work on a large file: held until /healthz is answered,
        # which cannot happen while this blocks the event loop (then the wait times out).
        working.set()
        held_until_answered.append(answered.wait(timeout=5))
        return render(*args, **kwargs)

    form = page_form(import_page(staff, "en"), "/staff/import")
    [file_field] = form.files
    monkeypatch.setattr(routes_admin, "_import_page", slow_report)
    results = []

    def submit() -> None:
        files = {file_field: ("a.csv", CSV)}
        results.append(staff.client.post(form.action, data=form.fields, files=files))

    importing = threading.Thread(target=submit)
    importing.start()
    assert working.wait(timeout=30)
    assert staff.client.get("/healthz").status_code == 200
    answered.set()
    importing.join(timeout=30)
    assert held_until_answered == [True]
    assert results[0].status_code == 200 and "1 offer created" in results[0].text
