"""Reading learners through a scope: the filter comes from authz, never from the caller."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from tortoise.expressions import Q, Subquery

from authz.authorizer import AccessDecision
from authz.scopes import learner_filter
from domain.academic_year import academic_year_bounds
from domain.names import normalise_name_part
from models import Enrollment, Learner


@dataclass(frozen=True)
class LearnerPage:
    rows: list[Learner]
    total: int
    has_next: bool


async def learner_in_scope(
    *, decision: AccessDecision, learner_id: uuid.UUID, today: dt.date
) -> Learner | None:
    return await Learner.filter(id=learner_id).filter(learner_filter(decision, today)).first()


async def list_learners(
    *,
    decision: AccessDecision,
    today: dt.date,
    first: int,
    after: tuple[str, str] | None,
    organisation_id: uuid.UUID | None = None,
    group_id: uuid.UUID | None = None,
    academic_year: int | None = None,
    search: str | None = None,
) -> LearnerPage:
    """Keyset page ordered by normalised last name and id: stable while rows are inserted."""
    query = Learner.filter(learner_filter(decision, today))
    enrollment = Enrollment.all()
    narrowed = False
    if organisation_id is not None:
        enrollment = enrollment.filter(organisation_id=organisation_id)
        narrowed = True
    if group_id is not None:
        enrollment = enrollment.filter(group_id=group_id)
        narrowed = True
    if academic_year is not None:
        start, end = academic_year_bounds(academic_year)
        enrollment = enrollment.filter(start_date__lte=end).filter(
            Q(end_date=None) | Q(end_date__gte=start)
        )
        narrowed = True
    if narrowed:
        query = query.filter(id__in=Subquery(enrollment.values("learner_id")))
    if search:
        query = query.filter(last_name_key__startswith=normalise_name_part(search))
    total = await query.count()
    if after is not None:
        key, last_id = after
        query = query.filter(Q(last_name_key__gt=key) | Q(last_name_key=key, id__gt=last_id))
    rows = await query.order_by("last_name_key", "id").limit(first + 1)
    return LearnerPage(rows=rows[:first], total=total, has_next=len(rows) > first)
