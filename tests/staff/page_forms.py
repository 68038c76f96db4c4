"""Forms as a page renders them: where they post and what they would send untouched."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class PageForm:
    action: str
    method: str
    enctype: str
    fields: dict[str, str | list[str]] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)


class _FormReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[PageForm] = []
        self._form: PageForm | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = {name: value or "" for name, value in attrs}
        name = attributes.get("name")
        if tag == "form":
            self._form = PageForm(
                attributes.get("action", ""),
                attributes.get("method", "get").lower(),
                attributes.get("enctype", ""),
            )
            self.forms.append(self._form)
        elif self._form is None or not (name or tag == "option"):
            return
        elif tag == "input":
            kind = attributes.get("type", "text")
            if kind == "file":
                self._form.files.append(name)
            elif kind == "checkbox" and "checked" in attributes:
                self._form.fields.setdefault(name, []).append(attributes.get("value", "on"))
            elif kind == "radio" and "checked" in attributes:
                self._form.fields[name] = attributes.get("value", "on")
            elif kind not in ("checkbox", "radio", "submit", "button"):
                self._form.fields[name] = attributes.get("value", "")
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and "selected" in attributes:
            self._form.fields[self._select] = attributes.get("value", "")
        elif tag == "textarea":
            self._textarea = name
            self._form.fields[name] = ""

    def handle_data(self, data: str) -> None:
        if self._form is not None and self._textarea:
            self._form.fields[self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def page_form(page: str, action_contains: str) -> PageForm:
    """The one form of `page` whose action contains `action_contains`."""
    reader = _FormReader()
    reader.feed(page)
    [form] = [form for form in reader.forms if action_contains in form.action]
    return form
