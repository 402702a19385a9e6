"""Batch loaders of groups and staff, scoped by the request's decision."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Awaitable, Callable

from tortoise.expressions import Q

from authz.authorizer import AccessDecision
from authz.scopes import group_filter, learner_filter
from models import Enrollment, Group, GroupStaff, Learner


def groups_by_organisation(
    decision: AccessDecision, academic_year: int | None
) -> Callable[[list[uuid.UUID]], Awaitable[list[list[Group]]]]:
    async def load(ids: list[uuid.UUID]) -> list[list[Group]]:
        if not decision.allowed:
            return [[] for _ in ids]
        query = Group.filter(organisation_id__in=ids).filter(group_filter(decision))
        if academic_year is not None:
            query = query.filter(academic_year=academic_year)
        grouped: dict[uuid.UUID, list[Group]] = defaultdict(list)
        for g in await query.order_by("academic_year", "grade", "name"):
            grouped[g.organisation_id].append(g)
        return [grouped[i] for i in ids]

    return load


def learners_by_group(
    decision: AccessDecision, today: dt.date
) -> Callable[[list[uuid.UUID]], Awaitable[list[list[Learner]]]]:
    """Learners with an active enrollment in each group, within the viewer's scope."""

    async def load(ids: list[uuid.UUID]) -> list[list[Learner]]:
        if not decision.allowed:
            return [[] for _ in ids]
        enrollments = await Enrollment.filter(
            Q(end_date=None) | Q(end_date__gte=today), group_id__in=ids
        ).values_list("group_id", "learner_id")
        learner_ids = {lid for _, lid in enrollments}
        visible = {
            learner.id: learner
            for learner in await Learner.filter(id__in=list(learner_ids)).filter(
                learner_filter(decision, today)
            )
        }
        grouped: dict[uuid.UUID, list[Learner]] = defaultdict(list)
        for group_id, learner_id in enrollments:
            if learner_id in visible:
                grouped[group_id].append(visible[learner_id])
        for rows in grouped.values():
            rows.sort(key=lambda r: (r.last_name_key, r.first_name, str(r.id)))
        return [grouped[i] for i in ids]

    return load


async def staff_by_group(ids: list[uuid.UUID]) -> list[list[GroupStaff]]:
    grouped: dict[uuid.UUID, list[GroupStaff]] = defaultdict(list)
    for s in await GroupStaff.filter(group_id__in=ids).order_by("-supervisor", "assigned_at"):
        grouped[s.group_id].append(s)
    return [grouped[i] for i in ids]
