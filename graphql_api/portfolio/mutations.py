"""recordAssessments, closeAssessmentPeriod, addPortfolioEntry, updatePortfolioEntry,
verifyPortfolioEntry: thin resolvers over domain workflows, one transaction each."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import strawberry
from strawberry.types import Info

from authz.scopes import content_filter, learner_filter
from domain import assessments, entries
from domain.errors import NotFound
from domain.organisations import get_group
from graphql_api.context import Context
from graphql_api.learners.related import AssessmentType, GroupType
from graphql_api.pagination import parse_id
from graphql_api.portfolio.inputs import (
    AddPortfolioEntryInput,
    CloseAssessmentPeriodInput,
    RecordAssessmentsInput,
    UpdatePortfolioEntryInput,
    VerifyPortfolioEntryInput,
)
from graphql_api.portfolio.types import PortfolioEntryType
from graphql_api.transactions import in_mutation
from models import Learner, PortfolioEntry
from models.enums import AssessmentPeriod, EntryCategory, EntryLevel


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


async def _entry_visible(ctx: Context, entry_id: uuid.UUID) -> tuple[bool, uuid.UUID | None]:
    decision = ctx.decide("read", "entry")
    row = (
        await PortfolioEntry.filter(id=entry_id).filter(content_filter(decision, ctx.today)).first()
    )
    return row is not None, row.learner_id if row else None


@strawberry.type
class PortfolioMutations:
    @strawberry.mutation
    async def record_assessments(
        self, info: Info[Any, None], input: RecordAssessmentsInput
    ) -> list[AssessmentType]:
        ctx = info.context
        principal = ctx.require_principal()
        ordinary = ctx.decide("create", "assessment")
        sensitive = ctx.decide("create", "sensitive_assessment")
        override = ctx.decide("update", "assessment")
        if not (ordinary.allowed or sensitive.allowed or override.allowed):
            ctx.require("create", "assessment")
        items = [
            assessments.AssessmentItem(
                learner_id=parse_id(i.learner_id, f"items[{n}].learnerId"),
                indicator_id=parse_id(i.indicator_id, f"items[{n}].indicatorId"),
                level=i.level,
                comment=i.comment,
            )
            for n, i in enumerate(input.items)
        ]

        async def work() -> list[AssessmentType]:
            rows = await assessments.record_assessments(
                principal=principal,
                ordinary=ordinary,
                sensitive=sensitive,
                closed_period_override=override,
                academic_year=input.academic_year,
                period=AssessmentPeriod(input.period),
                items=items,
                reason=input.reason,
                now=_now(),
            )
            decision = ordinary if ordinary.allowed else sensitive
            ctx.record(
                decision, sorted({r.learner_id for r in rows}, key=str), section="assessments"
            )
            return [AssessmentType.of(r) for r in rows]

        return await in_mutation(ctx, work)

    @strawberry.mutation(description="A2.")
    async def close_assessment_period(
        self, info: Info[Any, None], input: CloseAssessmentPeriodInput
    ) -> GroupType:
        ctx = info.context
        principal = ctx.require_principal()
        ctx.require("close_period", "assessment")
        group = await get_group(parse_id(input.group_id, "input.groupId"))
        ctx.require_target(
            "close_period", "assessment", organisation_id=group.organisation_id, what="group"
        )

        async def work() -> GroupType:
            await assessments.close_period(
                group=group,
                academic_year=input.academic_year,
                period=AssessmentPeriod(input.period),
                closed_by=principal.user_id,
            )
            return GroupType.of(group)

        return await in_mutation(ctx, work)

    @strawberry.mutation
    async def add_portfolio_entry(
        self, info: Info[Any, None], input: AddPortfolioEntryInput
    ) -> PortfolioEntryType:
        ctx = info.context
        principal = ctx.require_principal()
        decision = ctx.require("create", "entry")
        learner_id = parse_id(input.learner_id, "input.learnerId")
        learner = (
            await Learner.filter(id=learner_id).filter(learner_filter(decision, ctx.today)).first()
        )
        if learner is None:
            ctx.record(decision, [learner_id], allowed=False, clause="R1")
            raise NotFound("learner not found", field="learnerId")

        async def work() -> PortfolioEntryType:
            row = await entries.add_entry(
                principal=principal,
                learner=learner,
                category=EntryCategory(input.category),
                level=EntryLevel(input.level),
                fields=entries.EntryFields(
                    title=input.title,
                    description=input.description,
                    result=input.result,
                    event_date=input.event_date,
                ),
                today=ctx.today,
            )
            ctx.record(decision, [learner.id], district_id=learner.district_id, section="entries")
            return PortfolioEntryType.of(row)

        return await in_mutation(ctx, work)

    @strawberry.mutation
    async def update_portfolio_entry(
        self, info: Info[Any, None], input: UpdatePortfolioEntryInput
    ) -> PortfolioEntryType:
        ctx = info.context
        principal = ctx.require_principal()
        decision = ctx.decide("update", "entry")
        if not decision.allowed:
            decision = ctx.require("create", "entry")
        entry_id = parse_id(input.id, "input.id")
        visible, learner_id = await _entry_visible(ctx, entry_id)

        async def work() -> PortfolioEntryType:
            row = await entries.update_entry(
                principal=principal,
                entry_id=entry_id,
                version=input.version,
                fields=entries.EntryFields(
                    title=input.title,
                    description=input.description,
                    result=input.result,
                    event_date=input.event_date,
                ),
                today=ctx.today,
                visible=visible,
            )
            ctx.record(decision, [learner_id], section="entries")
            return PortfolioEntryType.of(row)

        return await in_mutation(ctx, work)

    @strawberry.mutation
    async def verify_portfolio_entry(
        self, info: Info[Any, None], input: VerifyPortfolioEntryInput
    ) -> PortfolioEntryType:
        ctx = info.context
        principal = ctx.require_principal()
        decision = ctx.require("verify", "entry")
        entry_id = parse_id(input.id, "input.id")
        visible, learner_id = await _entry_visible(ctx, entry_id)

        async def work() -> PortfolioEntryType:
            row = await entries.verify_entry(
                principal=principal,
                entry_id=entry_id,
                approve=input.approve,
                comment=input.comment,
                today=ctx.today,
                visible=visible,
            )
            ctx.record(decision, [learner_id], section="entries")
            return PortfolioEntryType.of(row)

        return await in_mutation(ctx, work)
