"""Submitting the site's forms as a browser does: read the page that renders the form, take
its action, method and fields (CSRF token, hidden inputs, chosen options, checked boxes)
from the HTML, change only what a person can change, and send that.

    form = page_form(client.get("/account/login"), action="/account/login")
    response = form.fill(email="awa@example.org", password="…").submit(client)

Every POST a form makes through `Form.submit` is recorded against the route that answered
it, so that `tests/test_form_coverage.py` can tell which page routes no form test reaches.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import httpx
import pytest
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from starlette.routing import Match

BUTTON_KINDS = {"submit", "image"}
SHOWN_OPTIONS = 12  # options listed in an error

# The statuses each page route answered to a form submission, by route path
# ("/staff/review/{offer_id}/approve"), for the whole test session.
SUBMITTED: defaultdict[str, list[int]] = defaultdict(list)
# How many tests -k, -m, --deselect or --lf left out of the run (counted by tests/conftest.py):
# the coverage can only be judged on the whole suite.
DESELECTED = pytest.StashKey[int]()


@dataclass(frozen=True)
class Control:
    """One form control: an input, a select, a text area or a submit button."""

    name: str
    kind: str
    value: str = ""
    checked: bool = False
    options: tuple[str, ...] = ()  # a select's option values
    chosen: tuple[str, ...] = ()  # a select's selected option values
    multiple: bool = False
    disabled: bool = False


@dataclass(frozen=True)
class Form:
    """A form as the page rendered it; `fill` returns a changed copy, `submit` sends it."""

    action: str
    method: str
    enctype: str
    controls: tuple[Control, ...]
    files: Mapping[str, tuple[str, bytes, str]] = field(default_factory=dict)

    @property
    def fields(self) -> list[Control]:
        return [c for c in self.controls if c.kind not in BUTTON_KINDS]

    @property
    def buttons(self) -> list[Control]:
        return [c for c in self.controls if c.kind in BUTTON_KINDS]

    def fill(self, values: Mapping[str, object] | None = None, /, **more: object) -> Form:
        """The form with these fields set as a person would set them.

        Text fields take any text; a select, a radio group or a checkbox group takes only
        values among its options (a list for several); a lone checkbox takes True or False;
        a file input takes (filename, content, content type). A name the form lacks, a
        hidden field or a value the page does not offer is refused.
        """
        form = self
        for name, value in {**(values or {}), **more}.items():
            form = form._set(name, value)
        return form

    def submit(
        self, client: TestClient, *, button: str | None = None, **request: object
    ) -> httpx.Response:
        """Send the form as the browser would on a click of `button` (a submit button's
        value or name), or of its first submit button when none is named."""
        pairs = self.pairs(button)
        request.setdefault("follow_redirects", False)
        if self.method == "GET":
            return client.get(self.action, params=pairs, **request)
        data: dict[str, list[str]] = defaultdict(list)
        for name, value in pairs:
            data[name].append(value)
        files = None
        if self.enctype == "multipart/form-data":
            # A file input left empty is still sent, as a part without file name or content.
            empty = {
                c.name: ("", b"", "application/octet-stream")
                for c in self.fields
                if c.kind == "file"
            }
            files = {**empty, **self.files}
        response = client.post(self.action, data=dict(data), files=files, **request)
        # A client of a served site (httpx against uvicorn) has no app whose routes to read.
        route = page_route(getattr(client, "app", None), "POST", urlsplit(self.action).path)
        if route is not None:
            SUBMITTED[route].append(response.status_code)
        return response

    def pairs(self, button: str | None = None) -> list[tuple[str, str]]:
        """The (name, value) pairs a browser sends on a click of `button`, in order."""
        return self._successful_pairs() + self._pressed(button)

    def value(self, name: str) -> str | list[str]:
        """What the form would send for `name`: one value, or a list for several."""
        self._named(name)
        sent = [v for n, v in self._successful_pairs() if n == name]
        return sent[0] if len(sent) == 1 else sent

    def _named(self, name: str) -> list[Control]:
        found = [c for c in self.fields if c.name == name]
        if not found:
            names = sorted({c.name for c in self.fields})
            raise KeyError(f"the form posting to {self.action} has no field {name!r}: {names}")
        return found

    def _set(self, name: str, value: object) -> Form:
        found = self._named(name)
        places = [
            i for i, c in enumerate(self.controls) if c.kind not in BUTTON_KINDS and c.name == name
        ]
        kind = found[0].kind
        if kind == "hidden":  # the page decides it, not the person
            raise ValueError(f"{name!r} is a hidden field of {self.action}: a person cannot set it")
        if any(c.disabled for c in found):
            raise ValueError(f"{name!r} is disabled in the form posting to {self.action}")
        if kind == "file":
            return replace(self, files={**self.files, name: value})
        if kind in ("checkbox", "radio"):
            changed = self._checked(found, value)
        elif kind == "select":
            changed = [self._selected(found[0], value)]
        else:
            changed = [replace(found[0], value="" if value is None else str(value))]
        controls = list(self.controls)
        for place, control in zip(places, changed, strict=True):
            controls[place] = control
        return replace(self, controls=tuple(controls))

    def _offered(self, name: str, wanted: Iterable[str], offered: Iterable[str]) -> set[str]:
        wanted, offered = set(wanted), set(offered)
        if not wanted <= offered:
            shown = sorted(offered)
            raise ValueError(
                f"the form posting to {self.action} offers no {sorted(wanted - offered)} "
                f"for {name!r}, only {shown[:SHOWN_OPTIONS]}{'…' * (len(shown) > SHOWN_OPTIONS)}"
            )
        return wanted

    def _checked(self, boxes: list[Control], value: object) -> list[Control]:
        name = boxes[0].name
        if isinstance(value, bool):
            if len(boxes) != 1 or boxes[0].kind != "checkbox":
                raise ValueError(f"{name!r} is a group in {self.action}: give its values")
            return [replace(boxes[0], checked=value)]
        values = [value] if isinstance(value, str) else [str(v) for v in value]
        if boxes[0].kind == "radio" and len(values) != 1:
            raise ValueError(f"{name!r} is a radio group in {self.action}: give one value")
        wanted = self._offered(name, values, (b.value for b in boxes))
        return [replace(b, checked=b.value in wanted) for b in boxes]

    def _selected(self, select: Control, value: object) -> Control:
        values = [str(value)] if isinstance(value, str | int) else [str(v) for v in value]
        if not select.multiple and len(values) != 1:
            raise ValueError(f"{select.name!r} is a single select in {self.action}")
        self._offered(select.name, values, select.options)
        return replace(select, chosen=tuple(values))

    def _successful_pairs(self) -> list[tuple[str, str]]:
        pairs = []
        for control in self.fields:
            if control.disabled or not control.name or control.kind == "file":
                continue
            if control.kind in ("checkbox", "radio"):
                if control.checked:
                    pairs.append((control.name, control.value or "on"))
            elif control.kind == "select":
                chosen = control.chosen
                if not chosen and not control.multiple and control.options:
                    chosen = control.options[:1]  # a browser sends the first option
                pairs.extend((control.name, v) for v in chosen)
            else:
                pairs.append((control.name, control.value))
        return pairs

    def _pressed(self, button: str | None) -> list[tuple[str, str]]:
        buttons = [b for b in self.buttons if not b.disabled]
        if button is None:
            pressed = buttons[:1]  # pressing Enter clicks the first submit button
        else:
            pressed = [b for b in buttons if b.value == button] or [
                b for b in buttons if b.name == button
            ]
            if not pressed:
                shown = [(b.name, b.value) for b in buttons]
                raise KeyError(
                    f"the form posting to {self.action} has no button {button!r}: {shown}"
                )
        return [(b.name, b.value) for b in pressed[:1] if b.name]


class _FormReader(HTMLParser):
    """Collects each form's attributes and controls, in document order."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[dict[str, str], list[Control]]] = []
        # Controls given to a form by its id (`form="…"`), wherever they stand.
        self.owned: defaultdict[str, list[Control]] = defaultdict(list)
        self._controls: list[Control] | None = None
        self._select: dict | None = None
        self._option: dict | None = None
        self._textarea: dict | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value if value is not None else "" for name, value in attrs}
        if tag == "form":
            self._controls = []
            self.forms.append((values, self._controls))
        elif self._controls is None and "form" not in values and self._select is None:
            return
        elif tag == "input":
            self._input(values)
        elif tag == "button":
            kind = values.get("type", "submit").lower()
            if kind == "submit":
                self._add(values, kind, value=values.get("value", ""))
        elif tag == "select":
            self._select = {"attrs": values, "options": [], "chosen": []}
        elif tag == "option" and self._select is not None:
            self._option = {"attrs": values, "text": ""}
        elif tag == "textarea":
            self._textarea = {"attrs": values, "text": ""}

    def _input(self, values: dict[str, str]) -> None:
        kind = values.get("type", "text").lower()
        if kind in ("reset", "button"):
            return
        default = "on" if kind in ("checkbox", "radio") else ""
        self._add(values, kind, value=values.get("value", default), checked="checked" in values)

    def _add(self, values: dict[str, str], kind: str, **state) -> None:
        control = Control(
            name=values.get("name", ""), kind=kind, disabled="disabled" in values, **state
        )
        if "form" in values:  # the form it names, not the one around it
            self.owned[values["form"]].append(control)
        else:
            assert self._controls is not None
            self._controls.append(control)

    def handle_data(self, data: str) -> None:
        if self._option is not None:
            self._option["text"] += data
        elif self._textarea is not None:
            self._textarea["text"] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._controls = None
        elif tag == "option" and self._option is not None:
            self._end_option()
        elif tag == "select" and self._select is not None:
            if self._option is not None:
                self._end_option()
            select, self._select = self._select, None
            attrs = select["attrs"]
            self._add(
                attrs,
                "select",
                options=tuple(select["options"]),
                chosen=tuple(select["chosen"]),
                multiple="multiple" in attrs,
            )
        elif tag == "textarea" and self._textarea is not None:
            textarea, self._textarea = self._textarea, None
            text = textarea["text"]
            # HTML drops the newline that may follow the opening tag.
            self._add(textarea["attrs"], "textarea", value=text.removeprefix("\n"))

    def _end_option(self) -> None:
        assert self._select is not None and self._option is not None
        option, self._option = self._option, None
        value = option["attrs"].get("value", option["text"].strip())
        if "disabled" in option["attrs"]:
            return
        self._select["options"].append(value)
        if "selected" in option["attrs"]:
            if "multiple" not in self._select["attrs"]:
                self._select["chosen"].clear()
            self._select["chosen"].append(value)


def page_forms(page: httpx.Response) -> list[Form]:
    """Every form of a page, with its action made absolute against the page's address."""
    assert page.status_code == 200, f"{page.url} answered {page.status_code}, not a page"
    reader = _FormReader()
    reader.feed(page.text)
    reader.close()
    page_url = str(page.url)
    forms = []
    for attrs, controls in reader.forms:
        controls.extend(reader.owned.get(attrs.get("id", ""), []))
        action = urljoin(page_url, attrs.get("action") or page_url)
        if urlsplit(action).netloc != urlsplit(page_url).netloc:
            raise AssertionError(f"a form of {page_url} posts to another site: {action}")
        forms.append(
            Form(
                action=_path(action),
                method=attrs.get("method", "get").upper(),
                enctype=attrs.get("enctype", "application/x-www-form-urlencoded").lower(),
                controls=tuple(controls),
            )
        )
    return forms


def page_form(page: httpx.Response, action: str | re.Pattern[str] | None = None) -> Form:
    """The one form of the page whose action is `action` (a path, or a pattern searched
    in the path), or the page's only form when no action is given. A form shown twice
    alike (the header's menus, and their phone disclosure) counts once."""
    forms = []
    for form in page_forms(page):
        if form not in forms:
            forms.append(form)
    if isinstance(action, re.Pattern):
        matching = [f for f in forms if action.search(f.action)]
    elif action is not None:
        matching = [f for f in forms if f.action == action]
    else:
        matching = forms
    if len(matching) != 1:
        found = [(f.method, f.action) for f in forms]
        wanted = action.pattern if isinstance(action, re.Pattern) else action
        raise AssertionError(
            f"{len(matching)} forms with action {wanted!r} on {page.url}; its forms: {found}"
        )
    return matching[0]


def page_route(app, method: str, path: str) -> str | None:
    """The path of the route of `app` that answers `method` on `path` ("/offers/{offer_id}");
    None for an app wrapped in other ASGI code, whose routes cannot be read."""
    scope = {"type": "http", "method": method, "path": path, "root_path": ""}
    for route in iter_route_contexts(getattr(app, "routes", ())):
        if route.methods and method in route.methods and route.matches(scope)[0] == Match.FULL:
            return route.path_format
    return None


def page_post_routes(app) -> set[str]:
    """The paths of every POST route of the site's pages (the JSON API aside)."""
    return {
        route.path_format
        for route in iter_route_contexts(app.routes)
        if route.methods and "POST" in route.methods and not route.path.startswith("/api/")
    }


def _path(url: str) -> str:
    """A same-site URL as the path and query a test client requests (no fragment)."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")
