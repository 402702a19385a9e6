"""Writes the request's audit events in one batch when the operation ends (L1, L2)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from strawberry.extensions import SchemaExtension


class AuditFlush(SchemaExtension):
    async def on_operation(self) -> AsyncIterator[None]:
        yield
        context: Any = self.execution_context.context
        audit = getattr(context, "audit", None)
        if audit is not None:
            await audit.flush()
