"""The API's documentation pages load everything from the platform: they work offline."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

CONTENT_TYPES = {".js": "text/javascript", ".css": "text/css", ".png": "image/png"}


class _PageResources(HTMLParser):
    """The URLs a page loads (scripts, styles, icons, images) and its inline scripts."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.inline_scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script":
            self._in_script = "src" not in values
        for name in ("src", "href", "spec-url", "data-openapi-url"):
            if values.get(name):
                self.urls.append(values[name])

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.inline_scripts.append(data)


def _resources(html: str) -> _PageResources:
    parser = _PageResources()
    parser.feed(html)
    return parser


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_a_docs_page_loads_only_the_platforms_own_files(client, path):
    page = client.get(path)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    resources = _resources(page.text)
    assert resources.urls, "the page loads nothing: the parser found no resource"
    for url in resources.urls:
        parts = urlsplit(url)
        assert not parts.scheme and not parts.netloc, f"{path} loads {url} from elsewhere"
        assert url.startswith("/"), url
    # A policy allowing only the site's own scripts would block an inline one.
    assert resources.inline_scripts == []


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_the_docs_assets_are_served_with_their_content_type(client, path):
    for url in _resources(client.get(path).text).urls:
        suffix = "." + url.rsplit(".", 1)[-1]
        if suffix not in CONTENT_TYPES:
            continue
        asset = client.get(url)
        assert asset.status_code == 200, url
        assert asset.headers["content-type"].startswith(CONTENT_TYPES[suffix]), url


def test_the_docs_page_names_the_api_description(client):
    resources = _resources(client.get("/docs").text)
    assert "/openapi.json" in resources.urls
    assert client.get("/openapi.json").json()["info"]["title"] == "Passerelle"
