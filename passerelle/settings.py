"""Platform settings, read from the environment (and a `.env` file) by pydantic-settings."""

from __future__ import annotations

import os
import secrets
import tempfile
from functools import cache
from ipaddress import IPv4Network, IPv6Network, ip_network
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# Where the embedded database and the development secret live unless told otherwise:
# `./data` under the directory the command runs from (README, "Configuration").
DEFAULT_DATA_DIR = Path("data")
DEVELOPMENT_BASE_URL = "http://localhost:8000"
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
SPARE_THREADS = 8


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
    # The public address used in e-mailed links, never taken from a request's headers:
    # required in production, http://localhost:8000 in development.
    base_url: str = Field(default="", validation_alias="PASSERELLE_BASE_URL")
    # Host names the site answers to (comma-separated); the base address's host and the
    # loopback names when empty. Other Host headers get 400.
    allowed_hosts: str = Field(default="", validation_alias="PASSERELLE_ALLOWED_HOSTS")
    # Proxies whose X-Forwarded-For / X-Forwarded-Proto are believed (comma-separated
    # addresses or networks); none by default, so clients cannot choose their own address.
    trusted_proxies: str = Field(default="", validation_alias="PASSERELLE_TRUSTED_PROXIES")
    # The largest request body read, in bytes (larger ones get 413): JSON and plain forms,
    # then file uploads (multipart forms: the staff import takes files up to 5 MB).
    max_body_bytes: int = Field(default=1_000_000, ge=1024, validation_alias="PASSERELLE_MAX_BODY")
    max_upload_bytes: int = Field(
        default=6_000_000, ge=1024, validation_alias="PASSERELLE_MAX_UPLOAD"
    )
    # Build the match index in the background at start-up, so that the first match
    # request does not wait for it (seconds at 100,000 offers).
    warm_index: bool = Field(default=True, validation_alias="PASSERELLE_WARM_INDEX")
    # Load: at most `max_concurrency` requests are served at once per process; up to
    # `max_queue` more wait at most `queue_timeout` seconds for their turn; any other gets a
    # 503 with Retry-After. The thread pool and the database pool are sized from it (below).
    max_concurrency: int = Field(default=16, ge=1, validation_alias="PASSERELLE_MAX_CONCURRENCY")
    max_queue: int = Field(default=1024, ge=0, validation_alias="PASSERELLE_MAX_QUEUE")
    queue_timeout: float = Field(default=10.0, gt=0, validation_alias="PASSERELLE_QUEUE_TIMEOUT")
    # Seconds a request waits for a database connection before its 503.
    db_pool_timeout: float = Field(default=5.0, gt=0, validation_alias="PASSERELLE_DB_POOL_TIMEOUT")
    # Seconds between two writes of the buffered search log (analytics).
    search_log_seconds: float = Field(
        default=5.0, gt=0, validation_alias="PASSERELLE_SEARCH_LOG_SECONDS"
    )
    # Whether `passerelle serve` also runs the outbox's sender and the scheduled jobs, in a
    # thread of each process: by default on the embedded SQLite database only (one machine;
    # the README's first command does everything); elsewhere `passerelle worker` does it.
    serve_worker: bool | None = Field(default=None, validation_alias="PASSERELLE_SERVE_WORKER")
    # Logs: one JSON object per line (with the request id), or uvicorn's plain text;
    # JSON by default in production.
    log_format: Literal["json", "text"] | None = Field(
        default=None, validation_alias="PASSERELLE_LOG_FORMAT"
    )
    # Who may read /metrics: a bearer token, or client addresses and networks separated by
    # commas (`10.0.0.0/8,127.0.0.1`). With neither, open in development, absent in production.
    metrics_token: SecretStr = Field(
        default=SecretStr(""), validation_alias="PASSERELLE_METRICS_TOKEN"
    )
    metrics_allow: str = Field(default="", validation_alias="PASSERELLE_METRICS_ALLOW")

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
        if not self.base_url:
            if self.environment == "production":
                raise ValueError(
                    "PASSERELLE_BASE_URL must be set in production (the public address, "
                    "like https://passerelle.example.org)"
                )
            self.base_url = DEVELOPMENT_BASE_URL
        parts = urlsplit(self.base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"PASSERELLE_BASE_URL {self.base_url!r} is not an http(s) address")
        self.base_url = self.base_url.rstrip("/")
        return self

    @field_validator("metrics_allow")
    @classmethod
    def _check_networks(cls, value: str) -> str:
        _networks(value)
        return value

    @property
    def host_names(self) -> list[str]:
        """The Host values the site answers to."""
        listed = [name.strip() for name in self.allowed_hosts.split(",") if name.strip()]
        return listed or [urlsplit(self.base_url).hostname, *LOOPBACK_NAMES]

    @property
    def proxy_addresses(self) -> list[str]:
        return [name.strip() for name in self.trusted_proxies.split(",") if name.strip()]

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def worker_in_serve(self) -> bool:
        return self.is_sqlite if self.serve_worker is None else self.serve_worker

    @property
    def threadpool_size(self) -> int:
        """Threads for synchronous handlers: one per admitted request, and a few spare for
        static files and background work, which pass the concurrency limit."""
        return self.max_concurrency + SPARE_THREADS

    def pool_options(self) -> dict:
        """Database pool sizing: an admitted request never waits for a connection.

        A request holds one connection, two when a page checks bookmarks while it renders;
        the overflow also covers the index builds and the search log's writes.
        """
        return {
            "pool_size": self.max_concurrency,
            "max_overflow": self.max_concurrency,
            "pool_timeout": self.db_pool_timeout,
        }

    @property
    def json_logs(self) -> bool:
        return (
            self.log_format or ("json" if self.environment == "production" else "text")
        ) == "json"

    @property
    def metrics_networks(self) -> list[IPv4Network | IPv6Network]:
        return _networks(self.metrics_allow)


def _networks(value: str) -> list[IPv4Network | IPv6Network]:
    """Addresses and networks separated by commas; a bad one is named in the error."""
    networks = []
    for item in filter(None, (part.strip() for part in value.split(","))):
        try:
            networks.append(ip_network(item, strict=False))
        except ValueError:
            raise ValueError(
                f"PASSERELLE_METRICS_ALLOW: {item!r} is not an IP address or network"
            ) from None
    return networks


def normalize_database_url(url: str) -> str:
    """Use the psycopg 3 driver for PostgreSQL URLs written without one."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


def _development_secret(data_dir: Path) -> str:
    """A random secret made on first run and kept in the data directory.

    Processes starting together must agree on it (each signs sessions the others read):
    the file is written aside and linked into place, which fails if another process put
    its own there first, and then that one is used.
    """
    path = data_dir / "secret_key"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        handle, written = tempfile.mkstemp(dir=data_dir, prefix=".secret_key")
        try:
            with os.fdopen(handle, "w") as out:
                out.write(secrets.token_urlsafe(48) + "\n")
            os.link(written, path)  # mkstemp made it private (0600)
        except FileExistsError:
            pass
        finally:
            os.unlink(written)
    return path.read_text().strip()


@cache
def get_settings() -> Settings:
    """The process's settings, read once on first use (never at import time)."""
    return Settings()
