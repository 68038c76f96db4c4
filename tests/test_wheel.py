"""The built wheel works on its own: no editable install, no source tree in sight.

The wheel is built from this checkout, installed without dependencies into a new virtual
environment (which finds the dependencies in the test environment's site-packages), then
run from an empty directory: `passerelle init --demo`, `passerelle serve`, and a page, a
translated page and a static asset fetched over HTTP.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

import httpx
import pytest

SOURCE = Path(__file__).resolve().parents[1]
# Left out of the copy: what the build does not read, and what earlier runs left.
NOT_BUILT = {".venv", ".git", ".cache", "build", "data", "tests", "benchmarks"}
SETTINGS = ("DATABASE_URL", "SECRET_KEY", "PASSERELLE_DATA_DIR", "PASSERELLE_ENV", "PYTHONPATH")


def _run(*command: object, cwd: Path, env: dict | None = None) -> str:
    done = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, f"{command}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def _not_built(folder: str, names: list[str]) -> set[str]:
    return NOT_BUILT.intersection(names) if Path(folder) == SOURCE else set()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The `bin/` of a new environment holding only the wheel (dependencies borrowed)."""
    root = tmp_path_factory.mktemp("wheel")
    _run(sys.executable, "-m", "venv", root / "venv", cwd=root)
    venv_python = root / "venv" / "bin" / "python"
    # Built from a copy, so that the build leaves nothing in the checkout.
    source = shutil.copytree(SOURCE, root / "source", ignore=_not_built)
    _run(venv_python, "-m", "pip", "wheel", "--no-deps", "-q", "-w", root, source, cwd=root)
    (wheel,) = root.glob("passerelle-*.whl")
    purelib = _run(
        venv_python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))", cwd=root
    )
    # The test environment's packages, after the new environment's own: its editable
    # `passerelle` is not seen, since .pth files of an added directory are not run.
    Path(purelib.strip(), "borrowed.pth").write_text(sysconfig.get_path("purelib") + "\n")
    _run(venv_python, "-m", "pip", "install", "--no-deps", "-q", wheel, cwd=root)
    return root / "venv" / "bin"


def test_the_wheel_serves_pages_and_assets_from_outside_the_source_tree(installed, tmp_path):
    env = {key: value for key, value in os.environ.items() if key not in SETTINGS}
    env |= {"PASSERELLE_DATA_DIR": str(tmp_path / "data"), "PASSERELLE_WARM_INDEX": "false"}
    where = _run(
        installed / "python",
        "-c",
        "import passerelle; print(passerelle.__file__)",
        cwd=tmp_path,
        env=env,
    )
    assert not Path(where.strip()).is_relative_to(SOURCE)

    _run(installed / "passerelle", "init", "--demo", cwd=tmp_path, env=env)
    port = _free_port()
    server = subprocess.Popen(
        [installed / "passerelle", "serve", "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"{base}/healthz", timeout=5)
                break
            except httpx.TransportError:
                assert server.poll() is None, server.stderr.read().decode()
                assert time.monotonic() < deadline, "the installed server did not start"
                time.sleep(0.3)
        page = httpx.get(f"{base}/offers", headers={"Accept-Language": "fr"}, timeout=30)
        assert page.status_code == 200
        assert 'lang="fr"' in page.text and 'href="/offers/' in page.text  # the demo offers
        english = httpx.get(f"{base}/offers", headers={"Accept-Language": "en"}, timeout=30)
        assert 'lang="en"' in english.text and "candidater" not in english.text
        assert "candidater" in page.text  # the French catalogue, from the package data
        asset = httpx.get(f"{base}/static/css/passerelle.css", timeout=30)
        assert asset.status_code == 200
        assert asset.text == (SOURCE / "static" / "css" / "passerelle.css").read_text()
    finally:
        server.terminate()
        server.wait(timeout=30)
