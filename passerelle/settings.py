"""Platform settings, read from the environment (and a `.env` file) by pydantic-settings."""

from __future__ import annotations

import secrets
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# Where the embedded database and the development secret live unless told otherwise:
# `./data` under the directory the command runs from (README, "Configuration").
DEFAULT_DATA_DIR = Path("data")


class Settings(BaseSettings):
    """Everything the platform reads from its environment."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    environment: Literal["development", "production", "test"] = Field(
        default="development", validation_alias="PASSERELLE_ENV"
    )
    data_dir: Path = Field(default=DEFAULT_DATA_DIR, validation_alias="PASSERELLE_DATA_DIR")
    database_url: str = Field(default="", validation_alias="DATABASE_URL")
    secret_key: SecretStr = Field(default=SecretStr(""), validation_alias="SECRET_KEY")
    default_locale: Literal["fr", "en"] = Field(
        default="fr", validation_alias="PASSERELLE_DEFAULT_LOCALE"
    )
    # Outgoing mail. Without SMTP_HOST, messages are written to `data_dir/mail/` and logged.
    smtp_host: str = Field(default="", validation_alias="SMTP_HOST")
    smtp_port: int = Field(default=587, validation_alias="SMTP_PORT")
    smtp_user: str = Field(default="", validation_alias="SMTP_USER")
    smtp_password: SecretStr = Field(default=SecretStr(""), validation_alias="SMTP_PASSWORD")
    smtp_starttls: bool = Field(default=True, validation_alias="SMTP_STARTTLS")
    mail_from: str = Field(default="Passerelle <no-reply@localhost>", validation_alias="MAIL_FROM")
    # Who publishes this instance and where people write to it, shown on the legal notice and
    # contact pages; without CONTACT_EMAIL those pages say that no address is published.
    publisher: str = Field(default="Passerelle", validation_alias="PASSERELLE_PUBLISHER")
    contact_email: str = Field(default="", validation_alias="CONTACT_EMAIL")
    # The public address used in e-mailed links; the request's own address when empty
    # (set it in production so that a forged Host header cannot redirect reset links).
    base_url: str = Field(default="", validation_alias="PASSERELLE_BASE_URL")
    # Build the match index in the background at start-up, so that the first match
    # request does not wait for it (seconds at 100,000 offers).
    warm_index: bool = Field(default=True, validation_alias="PASSERELLE_WARM_INDEX")

    @model_validator(mode="after")
    def _fill_defaults(self) -> Settings:
        if not self.database_url:
            self.database_url = f"sqlite:///{(self.data_dir / 'passerelle.db').as_posix()}"
        self.database_url = normalize_database_url(self.database_url)
        if not self.secret_key.get_secret_value():
            if self.environment == "production":
                raise ValueError("SECRET_KEY must be set in production (PASSERELLE_ENV=production)")
            self.secret_key = SecretStr(_development_secret(self.data_dir))
        elif self.environment == "production" and len(self.secret_key.get_secret_value()) < 32:
            raise ValueError("SECRET_KEY must be at least 32 characters in production")
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def normalize_database_url(url: str) -> str:
    """Use the psycopg 3 driver for PostgreSQL URLs written without one."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


def _development_secret(data_dir: Path) -> str:
    """A random secret made on first run and kept in the data directory."""
    path = data_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_urlsafe(48)
    path.write_text(secret + "\n")
    path.chmod(0o600)
    return secret


@cache
def get_settings() -> Settings:
    """The process's settings, read once on first use (never at import time)."""
    return Settings()
