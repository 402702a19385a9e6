"""`learner` and `learners`: one decision, a scope as SQL filter, one audit event per learner."""

from __future__ import annotations

import uuid
from typing import Any

import strawberry
from strawberry.types import Info

from domain.learners import learner_in_scope, list_learners
from graphql_api.learners.inputs import LearnerFilter
from graphql_api.learners.types import LearnerType
from graphql_api.pagination import (
    PageInfo,
    check_first,
    decode_cursor,
    encode_cursor,
    parse_id,
    parse_optional_id,
)


@strawberry.type
class LearnerEdge:
    cursor: str
    node: LearnerType


@strawberry.type
class LearnerConnection:
    edges: list[LearnerEdge]
    page_info: PageInfo
    total_count: int


@strawberry.type
class LearnerQueries:
    @strawberry.field
    async def learner(self, info: Info[Any, None], id: strawberry.ID) -> LearnerType | None:
        ctx = info.context
        learner_id = parse_id(id, "id")
        decision = ctx.require("read", "learner", learner_id=learner_id)
        row = await learner_in_scope(decision=decision, learner_id=learner_id, today=ctx.today)
        if row is None:
            # Outside the scope answers like a missing learner; the refusal is still logged.
            ctx.record(decision, [learner_id], allowed=False, clause="R1")
            return None
        ctx.record(decision, [row.id], district_id=row.district_id, section="roster")
        return LearnerType.of(row)

    @strawberry.field
    async def learners(
        self,
        info: Info[Any, None],
        filter: LearnerFilter | None = None,
        first: int | None = 50,
        after: str | None = None,
    ) -> LearnerConnection:
        ctx = info.context
        first = check_first(first)
        decision = ctx.require("read", "learner")
        cursor = decode_cursor(after, 2)
        if cursor is not None:
            try:
                uuid.UUID(cursor[1])
            except ValueError:
                from domain.errors import BadInput

                raise BadInput("after: malformed cursor", field="after") from None
        f = filter or LearnerFilter()
        page = await list_learners(
            decision=decision,
            today=ctx.today,
            first=first,
            after=(cursor[0], cursor[1]) if cursor else None,
            organisation_id=parse_optional_id(f.organisation_id, "filter.organisationId"),
            group_id=parse_optional_id(f.group_id, "filter.groupId"),
            academic_year=f.academic_year,
            search=f.search,
        )
        for row in page.rows:
            ctx.record(decision, [row.id], district_id=row.district_id, section="roster")
        edges = [
            LearnerEdge(cursor=encode_cursor(r.last_name_key, r.id), node=LearnerType.of(r))
            for r in page.rows
        ]
        return LearnerConnection(
            edges=edges,
            page_info=PageInfo(
                has_next_page=page.has_next, end_cursor=edges[-1].cursor if edges else None
            ),
            total_count=page.total,
        )
