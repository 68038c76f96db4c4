"""Answers to anonymous catalogue reads, kept per catalogue version.

Most of a browse page's or an API offer list's cost is finding, counting and rendering the
same popular searches again and again ("every offer", "Senegal", "agriculture in Senegal").
For a visitor without a session nothing personal shows on them, so the answer depends only
on the catalogue version, the day (windows open and close), the language, the host and the
address asked for. Each process keeps its latest answers under those; the version in the key
is read from the database by the request itself, so a change committed through any process
or machine is never answered from an older entry.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date

from fastapi import Request
from sqlalchemy.orm import Session

from passerelle.accounts.sessions import COOKIE_NAME
from services_catalog.service import catalogue_version

MAX_BYTES = 32 * 2**20  # per process; a browse page is about 60 kB, an API page about 30 kB


@dataclass(frozen=True)
class KeptAnswer:
    body: bytes
    total: int  # the search's result count, which the search log records on every answer


class ReadCache:
    """The latest answers by key, least recently used dropped first past `max_bytes`; the
    answers of an older catalogue version are dropped as soon as a newer one is kept."""

    def __init__(self, max_bytes: int = MAX_BYTES) -> None:
        self._max_bytes = max_bytes
        self._kept: OrderedDict[tuple, KeptAnswer] = OrderedDict()
        self._bytes = 0
        self._version = -1
        self._lock = threading.Lock()

    def get(self, key: tuple | None) -> KeptAnswer | None:
        if key is None:
            return None
        with self._lock:
            found = self._kept.get(key)
            if found is not None:
                self._kept.move_to_end(key)
            return found

    def put(self, key: tuple | None, answer: KeptAnswer) -> None:
        """Keep `answer` under `key` (whose first part is its catalogue version)."""
        if key is None or len(answer.body) > self._max_bytes:
            return
        with self._lock:
            version = key[0]
            if version < self._version:
                return  # a slow request finishing after a newer version was seen
            if version > self._version:
                self._kept.clear()
                self._bytes, self._version = 0, version
            previous = self._kept.pop(key, None)
            if previous is not None:
                self._bytes -= len(previous.body)
            self._kept[key] = answer
            self._bytes += len(answer.body)
            while self._bytes > self._max_bytes:
                _, dropped = self._kept.popitem(last=False)
                self._bytes -= len(dropped.body)


def anonymous_key(request: Request, session: Session, locale: str) -> tuple | None:
    """The key of this request's answer, or None when the visitor has a session (signed
    in, or with a message or form token waiting): their pages are not shared."""
    if COOKIE_NAME in request.cookies:
        return None
    url = request.url
    return (catalogue_version(session), date.today(), locale, url.netloc, url.path, url.query)
