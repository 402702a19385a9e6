"""findLearner (T0): the roster look-up an ORG_ADMIN or DISTRICT_OPERATOR makes before enrolling."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import strawberry
from strawberry.types import Info

from domain.handoff import find_learner
from graphql_api.handoff.types import LearnerMatch


@strawberry.type
class HandoffQueries:
    @strawberry.field(description="T0.")
    async def find_learner(
        self,
        info: Info[Any, None],
        last_name: str,
        first_name: str,
        middle_name: str | None = None,
        *,
        birth_date: dt.date,
    ) -> LearnerMatch | None:
        """Exact full name and birth date in the viewer's districts; every look-up is audited."""
        ctx = info.context
        decision = ctx.require("find", "learner")
        district_ids = decision.district_ids()
        match = await find_learner(
            district_ids=district_ids,
            last_name=last_name,
            first_name=first_name,
            middle_name=middle_name,
            birth_date=birth_date,
            today=ctx.today,
        )
        audit_district: uuid.UUID | None = match.district_id or next(
            iter(sorted(district_ids, key=str)), None
        )
        ctx.record(
            decision,
            [match.learner_id],
            district_id=audit_district,
            section="roster",
            clause="T0",
        )
        return LearnerMatch(
            learner_id=strawberry.ID(str(match.learner_id)) if match.learner_id else None,
            current_organisation_name=match.current_organisation_name,
            ambiguous=match.ambiguous,
        )
