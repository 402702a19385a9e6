"""Tortoise configuration: one app holding every model, migrations in `migrations/`."""

from __future__ import annotations

from typing import Any

from graphql_api.settings import validate_database_url

APP_LABEL = "models"


def tortoise_config(database_url: str, *, for_migrations: bool = False) -> dict[str, Any]:
    """Build the tortoise config; SQLite migrations run with foreign keys off.

    A migration that alters a SQLite column rebuilds the table; with foreign keys on, the
    rebuild would delete child rows through ON DELETE CASCADE.
    """
    validate_database_url(database_url)
    url = database_url
    if for_migrations and url.startswith("sqlite://"):
        url += ("&" if "?" in url else "?") + "foreign_keys=OFF"
    if url.startswith("postgresql://"):
        url = "postgres://" + url[len("postgresql://") :]
    return {
        "connections": {"default": url},
        "apps": {
            APP_LABEL: {
                "models": ["models"],
                "migrations": "migrations",
                "default_connection": "default",
            }
        },
        "use_tz": True,
        "timezone": "UTC",
    }


TORTOISE_ORM = tortoise_config("sqlite://portfolio.sqlite3")
