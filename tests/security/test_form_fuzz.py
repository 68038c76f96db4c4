"""Every form of the site, field by field, with hostile input: no answer may be a server error.

The forms are found by opening every page each account sees (`tests/pages.py`) and reading
the forms it renders (`tests/forms.py`). Each is sent as the browser would, with one field
changed to a value of the fixed corpus below (NUL and control characters, right-to-left
marks, 100 kB of text, numbers out of range, a choice the page does not offer, several
values for one field), or left out, and with its CSRF token missing or wrong. The corpus is
tried kind by kind over all the forms, so that a smaller time budget
(`PASSERELLE_FUZZ_SECONDS`) still reaches every form with the first kinds.

Any server error fails the test.
"""

from __future__ import annotations

import re
import time
import traceback
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlmodel import Session

from passerelle.accounts.models import UserAccount
from tests.forms import Form, page_forms
from tests.pages import PAGES
from tests.security.conftest import COUNTS, FUZZ_SECONDS

CSRF_FIELD = "csrf_token"
MISSING = object()  # the field is left out of the submission
# The hostile values, by kind, in the order they are tried.
CORPUS: dict[str, tuple[object, ...]] = {
    "NUL": ("Dakar\x00Thiès",),
    "control": ("\x01\x08\x1b[31m\x7f", "ligne\r\nSet-Cookie: x=1"),
    "right-to-left": ("\u202eDakar\u202c \u200f\u0645\u0634\u0631\u0648\u0639\ufeff",),
    "100 kB": ("é" * 50_000,),
    "number out of range": ("-1", "99999999999999999999999", "1e999", "NaN"),
    "wrong type": ("abc", "2026-13-45"),
    "choice not offered": ("not-an-option",),
    "several values": (["a", "b"],),
    "missing": (MISSING,),
}
# A query string is cut by browsers and servers long before 100 kB: GET forms send this much.
QUERY_LIMIT = 8_000
CSRF_CASES: dict[str, tuple[object, ...]] = {"CSRF missing": (MISSING,), "CSRF wrong": ("forged",)}


@dataclass(frozen=True)
class Target:
    """One form as one account sees it."""

    role: str
    form: Form


@dataclass(frozen=True)
class ServerError:
    role: str
    action: str
    field: str
    kind: str
    value: str
    where: str  # the last line of the application's own code in the traceback

    def __str__(self) -> str:
        return f"{self.role} {self.action} {self.field}={self.value} ({self.kind}): {self.where}"


def _cast_user_ids(cast, db) -> set[int]:
    with Session(db) as session:
        return set(
            session.scalars(
                select(UserAccount.id).where(UserAccount.email.in_(cast.emails.values()))
            )
        )


def find_forms(cast, db) -> list[Target]:
    """Every form on every page of every account, once each; staff forms acting on an
    account of the cast are left out (a deactivation would end its part in the run): those
    acting on the bystander stand for them."""
    cast_users = _cast_user_ids(cast, db)
    targets, seen = [], set()
    for route, roles in PAGES.items():
        path = route.format(**cast.samples)
        for role in roles:
            for form in page_forms(cast.clients[role].get(path)):
                key = (role, form.method, form.action, tuple(c.name for c in form.fields))
                acted_on = re.search(r"/users/(\d+)/", form.action)
                if key in seen or (acted_on and int(acted_on[1]) in cast_users):
                    continue
                seen.add(key)
                targets.append(Target(role, form))
    return targets


def _variants(form: Form, kind: str, values: tuple[object, ...]):
    """(field, shown value, pairs) of each submission of this kind of hostile input: the
    CSRF kinds change the token, the others each other field in turn."""
    sent = form.pairs()
    names = list(dict.fromkeys(name for name, _ in sent if name))
    if kind in CSRF_CASES:
        names = [n for n in names if n == CSRF_FIELD]
    else:
        names = [n for n in names if n != CSRF_FIELD]
    for name in names:
        others = [(n, v) for n, v in sent if n != name]
        for value in values:
            if value is MISSING:
                yield name, "(left out)", others
            elif isinstance(value, list):
                yield name, repr(value), [*others, *((name, v) for v in value)]
            else:
                yield name, repr(value[:40]), [*others, (name, value)]


def _send(client, form: Form, pairs: list[tuple[str, str]]):
    if form.method == "GET":
        params = [(name, value[:QUERY_LIMIT]) for name, value in pairs]
        return client.get(form.action, params=params, follow_redirects=False)
    files = None
    if form.enctype == "multipart/form-data":
        files = [(c.name, ("offres.csv", b"id,title\n\x00,\xff\xfe", "text/csv"))
                 for c in form.fields if c.kind == "file"]  # fmt: skip
    return client.post(form.action, data=_grouped(pairs), files=files, follow_redirects=False)


def _grouped(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    data: dict[str, list[str]] = {}
    for name, value in pairs:
        data.setdefault(name, []).append(value)
    return data


def _where(exc: BaseException) -> str:
    """The last frame of the project's code in the traceback, and the error."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__)
              if "/passerelle/" in f.filename or "/services_catalog/" in f.filename]  # fmt: skip
    frame = frames[-1] if frames else traceback.extract_tb(exc.__traceback__)[-1]
    error = f"{type(exc).__name__}: {str(exc)[:200]}"
    return f"{Path(frame.filename).name}:{frame.lineno} {frame.line} -> {error}"


def test_no_form_input_makes_a_server_error(cast, db):
    targets = find_forms(cast, db)
    assert len(targets) >= 30, f"only {len(targets)} forms found"
    counts, errors = Counter(forms=len(targets)), []
    deadline = time.monotonic() + FUZZ_SECONDS
    for kind, values in (CSRF_CASES | CORPUS).items():
        for target in targets:
            if time.monotonic() > deadline:
                counts["forms left untried for a kind (budget spent)"] += 1
                continue
            for field, label, pairs in _variants(target.form, kind, values):
                counts["inputs tried"] += 1
                try:
                    response = _send(cast.clients[target.role], target.form, pairs)
                    status, where = response.status_code, ""
                except Exception as exc:  # the test client re-raises the application's error
                    status, where = 500, _where(exc)
                if status >= 500:
                    errors.append(
                        ServerError(target.role, target.form.action, field, kind, label, where)
                    )
    counts["5xx seen"] = len(errors)
    COUNTS["HTML forms fuzz"] = counts
    assert not errors, f"{len(errors)} server errors:\n" + "\n".join(map(str, errors[:60]))
