"""schema.graphql and migrations/ are generated from the code and must not drift from it."""

from __future__ import annotations

import asyncio
from pathlib import Path

from tortoise.context import TortoiseContext
from tortoise.migrations.autodetector import MigrationAutodetector

from graphql_api.database import tortoise_config
from graphql_api.schema import print_sdl

ROOT = Path(__file__).resolve().parent.parent


def test_schema_graphql_is_current():
    committed = (ROOT / "schema.graphql").read_text(encoding="utf-8")
    assert committed == print_sdl(), (
        "schema.graphql is stale: run `python -m graphql_api.export_schema`"
    )


def test_models_and_migrations_do_not_drift(tmp_path):
    async def changes():
        config = tortoise_config(f"sqlite://{tmp_path}/drift.sqlite3")
        async with TortoiseContext() as ctx:
            await ctx.init(config=config)
            detector = MigrationAutodetector(ctx.apps, config["apps"])
            return await detector.changes()

    writers = asyncio.run(changes())
    assert not writers, (
        "models changed without a migration: run"
        " `tortoise -c graphql_api.database.TORTOISE_ORM makemigrations`"
    )
