"""Real-browser tests: the platform served by uvicorn on 127.0.0.1, driven by Chromium.

They need Debian's `chromium` (or CHROMIUM_PATH), the `playwright` Python package and, for
the accessibility checks, axe-core: AXE_CORE_JS, or the copy under .cache/axe, which the
first test that needs it installs with npm where npm exists. Without them the tests are
skipped and say why, or fail when PASSERELLE_REQUIRE_BROWSER=1 (as in CI).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlmodel import Session

from passerelle.app import create_app
from passerelle.serving import background_server
from passerelle.settings import Settings
from passerelle.web.templating import PROJECT_ROOT
from services_catalog.importing import import_offers
from services_catalog.synthetic import synthetic_offers
from tests.browser.helpers import SAMPLES_SECRET

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
AXE_PREFIX = PROJECT_ROOT / ".cache/axe"
AXE_PACKAGE = "axe-core@4"
AXE_CORE = Path(os.environ.get("AXE_CORE_JS", AXE_PREFIX / "node_modules/axe-core/axe.min.js"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
KNOWN_OFFER = {
    "id": "browser-honour-loan",
    "title": "Prêt d'honneur solidaire Sénégal",
    "description": "Un prêt sans intérêt pour créer votre entreprise au Sénégal.",
    "lang": "fr",
    "organization": "Initiative Diaspora",
    "url": "https://example.org/pret",
    "kind": "financing",
    "categories": ["honour_loan"],
    "sectors": ["agriculture"],
    "countries": ["SN"],
    "residence_countries": ["FR"],
    "ticket_min_eur": 5_000,
    "ticket_max_eur": 30_000,
    "deadline": "2099-01-15",
}


def _unavailable(reason: str):
    """Skip, or fail where the browser is required (CI sets PASSERELLE_REQUIRE_BROWSER=1)."""
    if os.environ.get("PASSERELLE_REQUIRE_BROWSER") == "1":
        pytest.fail(f"browser tests required but cannot run: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed: pip install -e '.[test]'")
    if not CHROMIUM.exists():
        _unavailable(f"no Chromium at {CHROMIUM}: apt-get install chromium (or set CHROMIUM_PATH)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _install_axe_core() -> None:
    """Install axe-core under .cache/axe with npm, as CI does, so that the suite needs no
    step of its own before the accessibility checks run."""
    npm = shutil.which("npm")
    if npm is None:
        _unavailable(f"no axe-core at {AXE_CORE} and no npm to install it: apt-get install npm")
    command = [npm, "install", "--silent", "--no-audit", "--no-fund", "--prefix", str(AXE_PREFIX)]
    result = subprocess.run(
        [*command, AXE_PACKAGE], capture_output=True, text=True, timeout=300, check=False
    )
    if result.returncode != 0 or not AXE_CORE.exists():
        _unavailable(f"npm could not install {AXE_PACKAGE}: {result.stderr.strip()[-500:]}")


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE_CORE.exists():
        if "AXE_CORE_JS" in os.environ:
            _unavailable(f"AXE_CORE_JS names {AXE_CORE}, which does not exist")
        _install_axe_core()
    return AXE_CORE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def catalogue_ids(engine: Engine, empty_database) -> Iterator[dict[str, int]]:
    """A synthetic catalogue plus one known offer, in the test database for the module."""
    rows = list(enumerate([KNOWN_OFFER, *synthetic_offers(40, seed=7)], start=1))
    with Session(engine) as session:
        assert import_offers(session, rows).applied
        session.commit()
        ids = {
            "known": session.scalar(
                text("SELECT id FROM offer WHERE external_id = :id"), {"id": KNOWN_OFFER["id"]}
            )
        }
    yield ids
    empty_database()


@pytest.fixture(scope="module")
def base_url(engine: Engine, catalogue_ids, database_url: str, tmp_path_factory) -> Iterator[str]:
    """The platform served on 127.0.0.1 by uvicorn in a background thread."""
    settings = Settings(
        DATABASE_URL=database_url,
        PASSERELLE_DATA_DIR=tmp_path_factory.mktemp("data"),
        PASSERELLE_ENV="test",
        SECRET_KEY=SAMPLES_SECRET,
    )
    with background_server(create_app(settings, engine=engine)) as url:
        yield url


@pytest.fixture
def new_page(browser, base_url):
    """Open pages in a fresh browser context with a given language and screen width."""
    contexts = []

    def open_page(
        path: str = "/", *, lang: str = "en", width: int = 1280, storage_state: dict | None = None
    ):
        context = browser.new_context(
            storage_state=storage_state,
            base_url=base_url,
            locale=lang,
            extra_http_headers={"Accept-Language": lang},
            viewport={"width": width, "height": 900},
            bypass_csp=True,  # axe-core is injected as an inline script; the site runs none
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.goto(path)
        return page

    yield open_page
    for context in contexts:
        context.close()
