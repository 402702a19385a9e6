"""A migrated database has every index and unique constraint the models declare.

SQLite table rebuilds can drop indexes silently; this compares the real database with models.
"""

from __future__ import annotations

from tortoise import Tortoise
from tortoise.models import Model

import models as models_module


def _column(model: type[Model], name: str) -> str:
    field = model._meta.fields_map[name]
    return getattr(field, "source_field", None) or name


def _declared(model: type[Model]) -> tuple[set[tuple[str, ...]], set[tuple[str, ...]]]:
    unique = {tuple(_column(model, f) for f in group) for group in model._meta.unique_together}
    for name, field in model._meta.fields_map.items():
        if field.unique and not field.pk and name in model._meta.db_fields:
            unique.add((_column(model, name),))
    indexes: set[tuple[str, ...]] = set()
    for index in model._meta.indexes:
        fields = index if isinstance(index, tuple) else tuple(index.fields)
        indexes.add(tuple(_column(model, f) for f in fields))
    return unique, indexes


async def _actual(table: str) -> tuple[set[tuple[str, ...]], set[tuple[str, ...]]]:
    conn = Tortoise.get_connection("default")
    unique: set[tuple[str, ...]] = set()
    every: set[tuple[str, ...]] = set()
    if conn.capabilities.dialect == "sqlite":
        for idx in await conn.execute_query_dict(f'PRAGMA index_list("{table}")'):
            cols = tuple(
                r["name"]
                for r in await conn.execute_query_dict(f'PRAGMA index_info("{idx["name"]}")')
            )
            every.add(cols)
            if idx["unique"]:
                unique.add(cols)
    else:
        rows = await conn.execute_query_dict(
            "SELECT i.indisunique AS uniq, array_agg(a.attname ORDER BY k.ord) AS cols"
            " FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid"
            " CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)"
            " JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum"
            " WHERE t.relname = $1 GROUP BY i.indexrelid, i.indisunique",
            [table],
        )
        for r in rows:
            cols = tuple(r["cols"])
            every.add(cols)
            if r["uniq"]:
                unique.add(cols)
    return unique, every


def test_migrated_database_has_declared_indexes_and_uniques(db):
    async def work():
        problems = []
        for name in models_module.__all__:
            model = getattr(models_module, name)
            unique, indexes = _declared(model)
            actual_unique, actual_all = await _actual(model._meta.db_table)
            for cols in unique - actual_unique:
                problems.append(f"{model._meta.db_table}: missing unique {cols}")
            for cols in indexes - actual_all:
                problems.append(f"{model._meta.db_table}: missing index {cols}")
        assert not problems, "\n".join(problems)
        # The check itself must see something: the catalogue tables declare uniques.
        actual_unique, _ = await _actual("indicator")
        assert ("area_id", "code") in actual_unique

    db.run(work)
