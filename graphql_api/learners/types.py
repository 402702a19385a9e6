"""The learner's record as the viewer may see it."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry.types import Info
from tortoise.expressions import Q, Subquery

from authz.scopes import assessment_filter, content_filter, handed_over_clauses
from domain.portfolio import formed_portfolios
from graphql_api.learners import loaders
from graphql_api.learners.loaders import health_visibility
from graphql_api.learners.related import (
    AssessmentPeriodEnum,
    AssessmentType,
    ConsentType,
    EnrollmentType,
)
from graphql_api.pagination import PageInfo, check_first, decode_cursor, encode_cursor
from graphql_api.people.types import UserType
from graphql_api.portfolio.types import (
    EntryCategoryEnum,
    EntryStatusEnum,
    PortfolioEntryConnection,
    PortfolioEntryEdge,
    PortfolioEntryType,
)
from models import Assessment, Consent, Enrollment, Framework, Learner, PortfolioEntry
from models.enums import AssessmentPeriod, EntryCategory, EntryStatus

if TYPE_CHECKING:
    from graphql_api.handoff.types import TransitionSummary


@strawberry.type(name="Learner")
class LearnerType:
    id: strawberry.ID
    last_name: str
    first_name: str
    middle_name: str | None
    birth_date: dt.date
    district_id: strawberry.Private[uuid.UUID]
    raw_health_group: strawberry.Private[int | None]
    raw_special_needs: strawberry.Private[str | None]

    async def _health_visible(self, info: Info[Any, None]) -> bool:
        ctx = info.context
        decision = ctx.decide("read", "learner.health")
        loader = ctx.lazy_loader("health_visible", lambda: health_visibility(decision, ctx.today))
        visible: bool = await loader.load(uuid.UUID(self.id))
        return visible

    @strawberry.field(
        description="R10: null unless the viewer is a guardian, ORG_ADMIN, "
        "PSYCHOLOGIST or group supervisor."
    )
    async def health_group(self, info: Info[Any, None]) -> int | None:
        return self.raw_health_group if await self._health_visible(info) else None

    @strawberry.field(description="R10: as healthGroup.")
    async def special_needs(self, info: Info[Any, None]) -> str | None:
        return self.raw_special_needs if await self._health_visible(info) else None

    @classmethod
    def of(cls, m: Learner) -> LearnerType:
        return cls(
            id=strawberry.ID(str(m.id)),
            last_name=m.last_name,
            first_name=m.first_name,
            middle_name=m.middle_name,
            birth_date=m.birth_date,
            district_id=m.district_id,
            raw_health_group=m.health_group,
            raw_special_needs=m.special_needs,
        )

    async def _related(
        self,
        info: Info[Any, None],
        resource: str,
        model: type,
        order: tuple[str, ...],
        section: str,
        extra: Any = None,
        key: str = "",
    ) -> list[Any]:
        """Load a relation for this learner in the request's batch; audit the section once."""
        ctx = info.context
        decision = ctx.decide("read", resource)
        loader = ctx.lazy_loader(
            f"{resource}:{key}", lambda: loaders.by_learner(model, decision, order, extra)
        )
        rows: list[Any] = await loader.load(uuid.UUID(self.id))
        if rows:
            ctx.record(
                decision, [uuid.UUID(self.id)], district_id=self.district_id, section=section
            )
        return rows

    @strawberry.field(
        description="T1: what the previous organisation handed over; null without "
        "transfer consent or history."
    )
    async def transition_summary(
        self, info: Info[Any, None]
    ) -> Annotated[TransitionSummary, strawberry.lazy("graphql_api.handoff.types")] | None:
        from graphql_api.handoff.types import transition_summary

        return await transition_summary(info, uuid.UUID(self.id))

    @strawberry.field
    async def entries(
        self,
        info: Info[Any, None],
        status: EntryStatusEnum | None = None,  # type: ignore[valid-type]
        category: EntryCategoryEnum | None = None,  # type: ignore[valid-type]
        first: int | None = 50,
        after: str | None = None,
    ) -> PortfolioEntryConnection:
        """Newest first; the page is cut per learner from one batched query."""
        ctx = info.context
        size = check_first(first)
        cursor = decode_cursor(after, 2)
        decision = ctx.decide("read", "entry")

        def make() -> Any:
            condition = content_filter(decision, ctx.today)
            if status is not None:
                condition &= Q(status=EntryStatus(status))
            if category is not None:
                condition &= Q(category=EntryCategory(category))
            return loaders.by_learner(PortfolioEntry, decision, ("-event_date", "-id"), condition)

        loader = ctx.lazy_loader(f"entries:{status}:{category}", make)
        rows: list[PortfolioEntry] = await loader.load(uuid.UUID(self.id))
        if rows:
            for clause in handed_over_clauses(decision, [r.organisation_id for r in rows]):
                ctx.record(
                    decision,
                    [uuid.UUID(self.id)],
                    district_id=self.district_id,
                    section="entries",
                    clause=clause,
                )
        start = 0
        if cursor is not None:
            keys = [(r.event_date.isoformat(), str(r.id)) for r in rows]
            start = next(
                (i + 1 for i, k in enumerate(keys) if k == (cursor[0], cursor[1])),
                len([k for k in keys if k > (cursor[0], cursor[1])]),
            )
        page = rows[start : start + size]
        edges = [
            PortfolioEntryEdge(
                cursor=encode_cursor(r.event_date.isoformat(), r.id), node=PortfolioEntryType.of(r)
            )
            for r in page
        ]
        return PortfolioEntryConnection(
            edges=edges,
            page_info=PageInfo(
                has_next_page=start + size < len(rows),
                end_cursor=edges[-1].cursor if edges else None,
            ),
            total_count=len(rows),
        )

    @strawberry.field(description="D1: whether the portfolio is formed for the academic year.")
    async def portfolio_formed(self, info: Info[Any, None], academic_year: int) -> bool:
        ctx = info.context

        async def load(ids: list[uuid.UUID]) -> list[bool]:
            formed = await formed_portfolios(ids, academic_year)
            return [i in formed for i in ids]

        result: bool = await ctx.loader(f"portfolio_formed:{academic_year}", load).load(
            uuid.UUID(self.id)
        )
        return result

    @strawberry.field
    async def enrollments(self, info: Info[Any, None]) -> list[EnrollmentType]:
        rows = await self._related(info, "enrollment", Enrollment, ("start_date",), "roster")
        return [EnrollmentType.of(r) for r in rows]

    @strawberry.field
    async def current_enrollment(self, info: Info[Any, None]) -> EnrollmentType | None:
        today = info.context.today
        rows = await self._related(info, "enrollment", Enrollment, ("start_date",), "roster")
        current = [
            r for r in rows if r.start_date <= today and (r.end_date is None or r.end_date >= today)
        ]
        return EnrollmentType.of(current[-1]) if current else None

    @strawberry.field
    async def guardians(self, info: Info[Any, None]) -> list[UserType]:
        ctx = info.context
        decision = ctx.decide("read", "guardianship")
        if not decision.allowed:
            return []
        users = await ctx.loader("guardians", loaders.load_guardians).load(uuid.UUID(self.id))
        return [UserType.of(u) for u in users]

    @strawberry.field
    async def consents(self, info: Info[Any, None]) -> list[ConsentType]:
        rows = await self._related(info, "consent", Consent, ("given_at",), "consents")
        return [ConsentType.of(r) for r in rows]

    @strawberry.field
    async def assessments(
        self,
        info: Info[Any, None],
        framework_code: str | None = None,
        academic_year: int | None = None,
        period: AssessmentPeriodEnum | None = None,  # type: ignore[valid-type]
    ) -> list[AssessmentType]:
        ctx = info.context
        ordinary = ctx.decide("read", "assessment")
        sensitive = ctx.decide("read", "sensitive_assessment")
        if not (ordinary.allowed or sensitive.allowed):
            return []
        merged = ordinary if ordinary.allowed else sensitive

        def make() -> Any:
            condition = assessment_filter(ordinary, sensitive, ctx.today)
            if framework_code is not None:
                condition &= Q(
                    framework_id__in=Subquery(Framework.filter(code=framework_code).values("id"))
                )
            if academic_year is not None:
                condition &= Q(academic_year=academic_year)
            if period is not None:
                condition &= Q(period=AssessmentPeriod(period))
            return loaders.by_learner(
                Assessment, merged, ("academic_year", "period", "indicator_id"), condition
            )

        loader = ctx.lazy_loader(f"assessments:{framework_code}:{academic_year}:{period}", make)
        rows: list[Assessment] = await loader.load(uuid.UUID(self.id))
        if rows:
            for clause in handed_over_clauses(merged, [r.organisation_id for r in rows]):
                ctx.record(
                    merged,
                    [uuid.UUID(self.id)],
                    district_id=self.district_id,
                    section="assessments",
                    clause=clause,
                )
        return [AssessmentType.of(r) for r in rows]
