"""Batch loaders of learners; scoped ones filter in SQL with the request's decision."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable

from authz.authorizer import AccessDecision
from authz.scopes import learner_filter
from models import Learner


def health_visibility(
    decision: AccessDecision, today: object
) -> Callable[[list[uuid.UUID]], Awaitable[list[bool]]]:
    """R10: which of a batch of learners the viewer may see health data of (one query)."""

    async def load(ids: list[uuid.UUID]) -> list[bool]:
        if not decision.allowed:
            return [False for _ in ids]
        visible = set(
            await Learner.filter(id__in=ids)
            .filter(learner_filter(decision, today))  # type: ignore[arg-type]
            .values_list("id", flat=True)
        )
        return [i in visible for i in ids]

    return load
