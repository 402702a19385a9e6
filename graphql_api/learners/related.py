"""Types hanging off a learner: enrollments, consents, assessments, groups."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry.types import Info

from graphql_api.frameworks.loaders import load_indicators
from graphql_api.frameworks.types import EducationLevelEnum, IndicatorType
from graphql_api.learners import loaders
from graphql_api.organisations import loaders as group_loaders
from graphql_api.organisations.types import OrganisationType
from graphql_api.people.loaders import load_organisations
from graphql_api.people.types import UserType, load_user
from models import Assessment, Consent, Enrollment, Group, GroupStaff
from models.enums import AssessmentPeriod, ConsentPurpose, EducationLevel

if TYPE_CHECKING:
    from graphql_api.learners.types import LearnerType

AssessmentPeriodEnum = strawberry.enum(AssessmentPeriod, name="AssessmentPeriod")
ConsentPurposeEnum = strawberry.enum(ConsentPurpose, name="ConsentPurpose")
LearnerRef = Annotated["LearnerType", strawberry.lazy("graphql_api.learners.types")]


async def organisation_of(info: Info[Any, None], organisation_id: uuid.UUID) -> OrganisationType:
    row = await info.context.loader("organisation", load_organisations).load(organisation_id)
    return OrganisationType.of(row)


async def learner_of(info: Info[Any, None], learner_id: uuid.UUID) -> LearnerType:
    from graphql_api.learners.types import LearnerType

    row = await info.context.loader("learner", loaders.load_learners).load(learner_id)
    return LearnerType.of(row)


@strawberry.type(name="Group")
class GroupType:
    id: strawberry.ID
    name: str
    academic_year: int
    level: EducationLevelEnum  # type: ignore[valid-type]
    grade: int | None
    organisation_id: strawberry.Private[uuid.UUID]

    @strawberry.field
    async def organisation(self, info: Info[Any, None]) -> OrganisationType:
        return await organisation_of(info, self.organisation_id)

    @strawberry.field
    async def learners(self, info: Info[Any, None]) -> list[LearnerRef]:
        from graphql_api.learners.types import LearnerType

        ctx = info.context
        decision = ctx.decide("read", "learner")
        loader = ctx.loader(
            "learners_by_group", group_loaders.learners_by_group(decision, ctx.today)
        )
        rows = await loader.load(uuid.UUID(self.id))
        for row in rows:
            ctx.record(decision, [row.id], district_id=row.district_id, section="roster")
        return [LearnerType.of(r) for r in rows]

    @strawberry.field
    async def staff(self, info: Info[Any, None]) -> list[GroupStaffType]:
        rows = await info.context.loader("staff_by_group", group_loaders.staff_by_group).load(
            uuid.UUID(self.id)
        )
        return [GroupStaffType.of(r) for r in rows]

    @classmethod
    def of(cls, m: Group) -> GroupType:
        return cls(
            id=strawberry.ID(str(m.id)),
            name=m.name,
            academic_year=m.academic_year,
            level=EducationLevel(m.level),
            grade=m.grade,
            organisation_id=m.organisation_id,
        )


@strawberry.type(name="GroupStaff")
class GroupStaffType:
    id: strawberry.ID
    supervisor: bool
    group_id: strawberry.Private[uuid.UUID]
    user_id: strawberry.Private[uuid.UUID]

    @strawberry.field
    async def group(self, info: Info[Any, None]) -> GroupType:
        row = await info.context.loader("group", loaders.load_groups).load(self.group_id)
        return GroupType.of(row)

    @strawberry.field
    async def user(self, info: Info[Any, None]) -> UserType:
        return await load_user(info, self.user_id)

    @classmethod
    def of(cls, m: GroupStaff) -> GroupStaffType:
        return cls(
            id=strawberry.ID(str(m.id)),
            supervisor=m.supervisor,
            group_id=m.group_id,
            user_id=m.user_id,
        )


@strawberry.type(name="Enrollment")
class EnrollmentType:
    id: strawberry.ID
    start_date: dt.date
    end_date: dt.date | None
    learner_id: strawberry.Private[uuid.UUID]
    group_id: strawberry.Private[uuid.UUID]
    organisation_id: strawberry.Private[uuid.UUID]

    @strawberry.field
    async def learner(self, info: Info[Any, None]) -> LearnerRef:
        return await learner_of(info, self.learner_id)

    @strawberry.field
    async def group(self, info: Info[Any, None]) -> GroupType:
        row = await info.context.loader("group", loaders.load_groups).load(self.group_id)
        return GroupType.of(row)

    @strawberry.field
    async def organisation(self, info: Info[Any, None]) -> OrganisationType:
        return await organisation_of(info, self.organisation_id)

    @classmethod
    def of(cls, m: Enrollment) -> EnrollmentType:
        return cls(
            id=strawberry.ID(str(m.id)),
            start_date=m.start_date,
            end_date=m.end_date,
            learner_id=m.learner_id,
            group_id=m.group_id,
            organisation_id=m.organisation_id,
        )


@strawberry.type(name="Consent")
class ConsentType:
    id: strawberry.ID
    purpose: ConsentPurposeEnum  # type: ignore[valid-type]
    document_ref: str | None
    given_at: dt.datetime
    withdrawn_at: dt.datetime | None
    given_by_id: strawberry.Private[uuid.UUID | None]
    recorded_by_id: strawberry.Private[uuid.UUID]

    @strawberry.field
    def active(self) -> bool:
        return self.withdrawn_at is None

    @strawberry.field
    async def given_by(self, info: Info[Any, None]) -> UserType | None:
        return await load_user(info, self.given_by_id) if self.given_by_id else None

    @strawberry.field
    async def recorded_by(self, info: Info[Any, None]) -> UserType:
        return await load_user(info, self.recorded_by_id)

    @classmethod
    def of(cls, m: Consent) -> ConsentType:
        return cls(
            id=strawberry.ID(str(m.id)),
            purpose=ConsentPurpose(m.purpose),
            document_ref=m.document_ref,
            given_at=m.given_at,
            withdrawn_at=m.withdrawn_at,
            given_by_id=m.given_by_id,
            recorded_by_id=m.recorded_by_id,
        )


@strawberry.type(name="Assessment")
class AssessmentType:
    id: strawberry.ID
    academic_year: int
    period: AssessmentPeriodEnum  # type: ignore[valid-type]
    level: int
    comment: str | None
    assessed_at: dt.datetime
    learner_id: strawberry.Private[uuid.UUID]
    indicator_id: strawberry.Private[uuid.UUID]
    organisation_id: strawberry.Private[uuid.UUID]
    assessed_by_id: strawberry.Private[uuid.UUID]

    @strawberry.field
    async def learner(self, info: Info[Any, None]) -> LearnerRef:
        return await learner_of(info, self.learner_id)

    @strawberry.field
    async def indicator(self, info: Info[Any, None]) -> IndicatorType:
        row = await info.context.loader("indicator", load_indicators).load(self.indicator_id)
        return IndicatorType.of(row)

    @strawberry.field
    async def organisation(self, info: Info[Any, None]) -> OrganisationType:
        return await organisation_of(info, self.organisation_id)

    @strawberry.field
    async def assessed_by(self, info: Info[Any, None]) -> UserType:
        return await load_user(info, self.assessed_by_id)

    @classmethod
    def of(cls, m: Assessment) -> AssessmentType:
        return cls(
            id=strawberry.ID(str(m.id)),
            academic_year=m.academic_year,
            period=AssessmentPeriod(m.period),
            level=m.level,
            comment=m.comment,
            assessed_at=m.assessed_at,
            learner_id=m.learner_id,
            indicator_id=m.indicator_id,
            organisation_id=m.organisation_id,
            assessed_by_id=m.assessed_by_id,
        )
