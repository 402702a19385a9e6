"""Counts the SQL statements the ORM sends, so N+1 cannot creep back unnoticed."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from tortoise import Tortoise


@contextlib.contextmanager
def count_statements() -> Iterator[list[str]]:
    conn = Tortoise.get_connection("default")
    cls = type(conn)
    statements: list[str] = []
    originals = {
        name: getattr(cls, name)
        for name in ("execute_query", "execute_query_dict", "execute_insert", "execute_many")
    }

    def wrap(name: str) -> Any:
        original = originals[name]

        async def counted(self: Any, query: str, *args: Any, **kwargs: Any) -> Any:
            statements.append(query)
            return await original(self, query, *args, **kwargs)

        return counted

    for name in originals:
        setattr(cls, name, wrap(name))
    try:
        yield statements
    finally:
        for name, original in originals.items():
            setattr(cls, name, original)
