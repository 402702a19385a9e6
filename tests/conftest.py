"""Test database: migrated once per run (SQLite file or PostgreSQL), emptied before each test.

Set PORTFOLIO_TEST_DATABASE_URL to run the suite on PostgreSQL; one backend per process.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
from tortoise import Tortoise

from graphql_api.database import tortoise_config

T = TypeVar("T")
KEEP_TABLES = {"framework", "development_area", "indicator", "tortoise_migrations"}
_TMP = Path(tempfile.mkdtemp(prefix="portfolio-tests-"))
DATABASE_URL = os.environ.get("PORTFOLIO_TEST_DATABASE_URL") or f"sqlite://{_TMP}/test.sqlite3"
IS_POSTGRES = DATABASE_URL.startswith(("postgres://", "postgresql://"))
os.environ.setdefault("PORTFOLIO_JWT_SECRET", "test-secret-with-enough-length-for-hs256!")


async def _reset_postgres() -> None:
    await Tortoise.init(config=tortoise_config(DATABASE_URL))
    try:
        conn = Tortoise.get_connection("default")
        await conn.execute_script("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    finally:
        await Tortoise.close_connections()


async def _migrate() -> None:
    from tortoise.migrations.api import migrate

    if IS_POSTGRES:
        await _reset_postgres()
    try:
        await migrate(config=tortoise_config(DATABASE_URL, for_migrations=True))
    finally:
        await Tortoise.close_connections()


@pytest.fixture(scope="session", autouse=True)
def migrated_database() -> Iterator[str]:
    asyncio.run(_migrate())
    yield DATABASE_URL


async def _truncate() -> None:
    conn = Tortoise.get_connection("default")
    if IS_POSTGRES:
        rows = await conn.execute_query_dict(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
        )
        tables = [r["tablename"] for r in rows if r["tablename"] not in KEEP_TABLES]
        if tables:
            await conn.execute_script(
                "TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " CASCADE"
            )
    else:
        rows = await conn.execute_query_dict(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
        await conn.execute_script("PRAGMA foreign_keys = OFF")
        for r in rows:
            if r["name"] not in KEEP_TABLES:
                await conn.execute_script(f'DELETE FROM "{r["name"]}"')
        await conn.execute_script("PRAGMA foreign_keys = ON")


class Database:
    url = DATABASE_URL
    is_postgres = IS_POSTGRES

    def run(self, work: Callable[[], Awaitable[T]]) -> T:
        """Run `work` with an initialised ORM on an emptied database, in a fresh event loop."""

        async def main() -> T:
            await Tortoise.init(config=tortoise_config(DATABASE_URL))
            try:
                await _truncate()
                return await work()
            finally:
                await Tortoise.close_connections()

        return asyncio.run(main())


@pytest.fixture
def db() -> Database:
    return Database()


def pytest_report_header(config: Any) -> str:
    return f"portfolio test database: {'postgresql' if IS_POSTGRES else 'sqlite'}"
