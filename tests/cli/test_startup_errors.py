"""Start-up problems said in one line, without a traceback or a secret, exit status 1:
the installed `passerelle` command, run as an operator would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

PASSERELLE = Path(sys.executable).with_name("passerelle")
SMTP_PASSWORD = "smtp-pa55word-never-shown"
DB_PASSWORD = "db-pa55word-never-shown"


def run(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("PASSERELLE_", "DATABASE_URL", "SECRET_KEY", "SMTP_"))
    }
    environment |= {"PASSERELLE_DATA_DIR": str(tmp_path), "SMTP_PASSWORD": SMTP_PASSWORD, **env}
    return subprocess.run(
        [str(PASSERELLE), *args],
        env=environment,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )


def assert_one_line_error(result: subprocess.CompletedProcess, expected: str) -> None:
    assert result.returncode == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and expected in lines[0], lines
    for secret in (SMTP_PASSWORD, DB_PASSWORD):
        assert secret not in result.stdout + result.stderr


def test_a_short_secret_in_production(tmp_path):
    production = {"PASSERELLE_ENV": "production", "PASSERELLE_BASE_URL": "https://p.example.org"}
    result = run(tmp_path, "serve", **production, SECRET_KEY="short")
    assert_one_line_error(result, "SECRET_KEY must be at least 32 characters in production")


def test_an_unreachable_database(tmp_path):
    url = f"postgresql://passerelle:{DB_PASSWORD}@127.0.0.1:9/passerelle"
    result = run(tmp_path, "serve", DATABASE_URL=url)
    assert_one_line_error(result, "cannot reach the database postgresql+psycopg://passerelle:***@")


def test_a_database_url_that_is_not_one(tmp_path):
    result = run(tmp_path, "init", DATABASE_URL=f"postgresql//user:{DB_PASSWORD}@host")
    assert_one_line_error(result, "DATABASE_URL is not a database address")
