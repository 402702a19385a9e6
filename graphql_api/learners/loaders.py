"""Batch loaders of learners; scoped ones filter in SQL with the request's decision."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Awaitable, Callable
from typing import Any

from authz.authorizer import AccessDecision
from authz.scopes import learner_filter
from models import Group, Guardianship, Learner, User


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


def by_learner(
    model: type, decision: AccessDecision, order: tuple[str, ...], extra: Any = None
) -> Callable[[list[uuid.UUID]], Awaitable[list[list[Any]]]]:
    """Rows of `model` for a batch of learners in one query, empty when the decision refuses."""

    async def load(ids: list[uuid.UUID]) -> list[list[Any]]:
        if not decision.allowed:
            return [[] for _ in ids]
        query = model.filter(learner_id__in=ids)  # type: ignore[attr-defined]
        if extra is not None:
            query = query.filter(extra)
        grouped: dict[uuid.UUID, list[Any]] = defaultdict(list)
        for row in await query.order_by(*order):
            grouped[row.learner_id].append(row)
        return [grouped[i] for i in ids]

    return load


async def load_guardians(ids: list[uuid.UUID]) -> list[list[User]]:
    grouped: dict[uuid.UUID, list[User]] = defaultdict(list)
    for link in (
        await Guardianship.filter(learner_id__in=ids).select_related("user").order_by("created_at")
    ):
        grouped[link.learner_id].append(link.user)
    return [grouped[i] for i in ids]


async def load_groups(ids: list[uuid.UUID]) -> list[Group | None]:
    rows = {g.id: g for g in await Group.filter(id__in=ids)}
    return [rows.get(i) for i in ids]


async def load_learners(ids: list[uuid.UUID]) -> list[Learner | None]:
    rows = {r.id: r for r in await Learner.filter(id__in=ids)}
    return [rows.get(i) for i in ids]
