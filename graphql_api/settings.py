"""Process settings read from the environment, validated once at start-up."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

DEFAULT_DATABASE_URL = "sqlite://portfolio.sqlite3"
SUPPORTED_SCHEMES = ("sqlite", "postgres", "postgresql", "asyncpg")


class SettingsError(Exception):
    """A setting is missing or malformed; the message names the setting."""


@dataclass(frozen=True)
class Settings:
    database_url: str
    environment: str
    jwt_secret: str | None
    max_body_bytes: int
    request_timeout_seconds: float
    audit_pseudonym_key: str

    @property
    def development(self) -> bool:
        return self.environment == "development"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        url = env.get("PORTFOLIO_DATABASE_URL", "").strip() or DEFAULT_DATABASE_URL
        validate_database_url(url)
        environment = env.get("PORTFOLIO_ENV", "production").strip() or "production"
        if environment not in ("development", "production", "test"):
            raise SettingsError(
                f"PORTFOLIO_ENV must be one of development, production, test; got {environment!r}"
            )
        secret = env.get("PORTFOLIO_JWT_SECRET", "").strip() or None
        return cls(
            database_url=url,
            environment=environment,
            jwt_secret=secret,
            max_body_bytes=_int(env, "PORTFOLIO_MAX_BODY_BYTES", 1024 * 1024),
            request_timeout_seconds=float(_int(env, "PORTFOLIO_REQUEST_TIMEOUT_SECONDS", 10)),
            audit_pseudonym_key=env.get("PORTFOLIO_AUDIT_PSEUDONYM_KEY", "").strip()
            or (secret or "portfolio-pseudonyms"),
        )


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a positive integer; got {raw!r}") from None
    if value <= 0:
        raise SettingsError(f"{name} must be a positive integer; got {raw!r}")
    return value


def validate_database_url(url: str) -> None:
    """Reject URLs tortoise would misread, with a message naming the setting."""
    parts = urlsplit(url)
    if parts.scheme not in SUPPORTED_SCHEMES:
        raise SettingsError(
            "PORTFOLIO_DATABASE_URL must start with sqlite:// or postgres://;"
            f" got {url.split('://')[0]!r}"
        )
    if parts.scheme == "sqlite":
        path = url[len("sqlite://") :].split("?")[0]
        if not path:
            raise SettingsError("PORTFOLIO_DATABASE_URL: sqlite:// needs a file path")
        if path != ":memory:" and not Path(path).resolve().parent.is_dir():
            raise SettingsError(f"PORTFOLIO_DATABASE_URL: directory of {path!r} does not exist")
    elif not parts.hostname or not parts.path.strip("/"):
        raise SettingsError(
            "PORTFOLIO_DATABASE_URL must name a host and a database,"
            " e.g. postgres://user@127.0.0.1:5432/portfolio"
        )
