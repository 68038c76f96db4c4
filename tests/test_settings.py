import pytest
from pydantic import ValidationError

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
