"""Mutations run in one transaction with their audit events; refusals survive a rollback (L2)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from tortoise.transactions import in_transaction

from graphql_api.context import Context

T = TypeVar("T")


async def in_mutation(ctx: Context, work: Callable[[], Awaitable[T]]) -> T:
    """Run `work` and the request's audit batch atomically; nothing half-written on failure."""
    try:
        async with in_transaction() as connection:
            result = await work()
            await ctx.audit.flush(connection)
            return result
    except BaseException:
        refusals = ctx.audit.take(refusals_only=True)
        if refusals:
            ctx.audit.record_many(refusals)
            await ctx.audit.flush()
        raise
