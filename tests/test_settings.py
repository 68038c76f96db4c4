import os
import subprocess
import sys
import time

import pytest
from pydantic import ValidationError

from passerelle import settings as settings_module
from passerelle.settings import Settings


def test_defaults_keep_a_sqlite_file_in_the_data_directory(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    settings = Settings(PASSERELLE_DATA_DIR=tmp_path)
    assert settings.database_url == f"sqlite:///{tmp_path}/passerelle.db"
    assert settings.is_sqlite


def test_development_secret_is_generated_once_and_kept(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = Settings(PASSERELLE_DATA_DIR=tmp_path).secret_key.get_secret_value()
    second = Settings(PASSERELLE_DATA_DIR=tmp_path).secret_key.get_secret_value()
    assert first == second and len(first) >= 32
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def test_processes_starting_together_agree_on_the_development_secret(tmp_path):
    # Separate interpreters released at once, as the workers of `serve --workers 8`.
    script = (
        "import sys, time; from passerelle.settings import Settings; "
        "time.sleep(max(0.0, float(sys.argv[1]) - time.time())); "
        f"print(Settings(PASSERELLE_DATA_DIR={str(tmp_path)!r}).secret_key.get_secret_value())"
    )
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    start = str(time.time() + 3)
    runs = [
        subprocess.Popen([sys.executable, "-c", script, start], env=env, stdout=subprocess.PIPE)
        for _ in range(8)
    ]
    secrets = {run.communicate(timeout=60)[0].strip() for run in runs}
    assert len(secrets) == 1 and secrets == {(tmp_path / "secret_key").read_bytes().strip()}
    assert [path.name for path in tmp_path.iterdir()] == ["secret_key"]  # no leftovers


def test_a_secret_written_meanwhile_by_another_process_wins(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)

    def drawn_while_another_writes(_length: int) -> str:
        (tmp_path / "secret_key").write_text("theirs-" + "x" * 40 + "\n")
        return "mine-" + "y" * 40

    monkeypatch.setattr(settings_module.secrets, "token_urlsafe", drawn_while_another_writes)
    assert Settings(PASSERELLE_DATA_DIR=tmp_path).secret_key.get_secret_value().startswith("theirs")


def test_production_refuses_to_start_without_a_secret(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ValidationError, match="SECRET_KEY must be set"):
        Settings(PASSERELLE_ENV="production", PASSERELLE_DATA_DIR=tmp_path)
    with pytest.raises(ValidationError, match="at least 32 characters"):
        Settings(PASSERELLE_ENV="production", SECRET_KEY="short", PASSERELLE_DATA_DIR=tmp_path)
    assert not (tmp_path / "secret_key").exists()


@pytest.mark.parametrize(
    "url", ["postgres://u@h/db", "postgresql://u@h/db", "postgresql+psycopg://u@h/db"]
)
def test_postgresql_urls_use_psycopg_3(url, tmp_path):
    settings = Settings(DATABASE_URL=url, PASSERELLE_DATA_DIR=tmp_path)
    assert settings.database_url == "postgresql+psycopg://u@h/db"
    assert not settings.is_sqlite


def test_production_refuses_to_start_without_a_base_url(tmp_path, monkeypatch):
    monkeypatch.delenv("PASSERELLE_BASE_URL", raising=False)
    secret = "s" * 40
    with pytest.raises(ValidationError, match="PASSERELLE_BASE_URL must be set in production"):
        Settings(PASSERELLE_ENV="production", SECRET_KEY=secret, PASSERELLE_DATA_DIR=tmp_path)
    with pytest.raises(ValidationError, match="is not an http"):
        Settings(PASSERELLE_BASE_URL="passerelle.example.org", PASSERELLE_DATA_DIR=tmp_path)
    production = Settings(
        PASSERELLE_ENV="production",
        SECRET_KEY=secret,
        PASSERELLE_BASE_URL="https://passerelle.example.org/",
        PASSERELLE_DATA_DIR=tmp_path,
    )
    assert production.base_url == "https://passerelle.example.org"
    assert production.host_names == ["passerelle.example.org", "localhost", "127.0.0.1", "::1"]


def test_hosts_and_proxies_are_lists_in_one_setting_each(tmp_path, monkeypatch):
    monkeypatch.delenv("PASSERELLE_BASE_URL", raising=False)
    settings = Settings(
        PASSERELLE_ALLOWED_HOSTS="a.example, *.b.example",
        PASSERELLE_TRUSTED_PROXIES="10.0.0.1, 192.168.0.0/16",
        PASSERELLE_DATA_DIR=tmp_path,
    )
    assert settings.host_names == ["a.example", "*.b.example"]
    assert settings.proxy_addresses == ["10.0.0.1", "192.168.0.0/16"]
    assert settings.base_url == "http://localhost:8000"  # development
    assert Settings(PASSERELLE_DATA_DIR=tmp_path).proxy_addresses == []  # trust none
