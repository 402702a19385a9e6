"""Portfolio entries and their connection."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry.types import Info

from graphql_api.learners.related import learner_of, organisation_of
from graphql_api.organisations.types import OrganisationType
from graphql_api.pagination import PageInfo
from graphql_api.people.types import UserType, load_user
from models import PortfolioEntry
from models.enums import EntryCategory, EntryLevel, EntryStatus

if TYPE_CHECKING:
    from graphql_api.learners.types import LearnerType

EntryCategoryEnum = strawberry.enum(EntryCategory, name="EntryCategory")
EntryLevelEnum = strawberry.enum(EntryLevel, name="EntryLevel")
EntryStatusEnum = strawberry.enum(EntryStatus, name="EntryStatus")


@strawberry.type(name="PortfolioEntry")
class PortfolioEntryType:
    id: strawberry.ID
    category: EntryCategoryEnum  # type: ignore[valid-type]
    level: EntryLevelEnum  # type: ignore[valid-type]
    title: str
    description: str | None
    result: str | None
    event_date: dt.date
    status: EntryStatusEnum  # type: ignore[valid-type]
    verification_comment: str | None
    version: int
    created_at: dt.datetime
    learner_id: strawberry.Private[uuid.UUID]
    organisation_id: strawberry.Private[uuid.UUID]
    submitted_by_id: strawberry.Private[uuid.UUID]
    verified_by_id: strawberry.Private[uuid.UUID | None]

    @strawberry.field
    async def learner(
        self, info: Info[Any, None]
    ) -> Annotated[LearnerType, strawberry.lazy("graphql_api.learners.types")]:
        return await learner_of(info, self.learner_id)

    @strawberry.field
    async def organisation(self, info: Info[Any, None]) -> OrganisationType:
        return await organisation_of(info, self.organisation_id)

    @strawberry.field
    async def submitted_by(self, info: Info[Any, None]) -> UserType:
        return await load_user(info, self.submitted_by_id)

    @strawberry.field
    async def verified_by(self, info: Info[Any, None]) -> UserType | None:
        return await load_user(info, self.verified_by_id) if self.verified_by_id else None

    @classmethod
    def of(cls, m: PortfolioEntry) -> PortfolioEntryType:
        return cls(
            id=strawberry.ID(str(m.id)),
            category=EntryCategory(m.category),
            level=EntryLevel(m.level),
            title=m.title,
            description=m.description,
            result=m.result,
            event_date=m.event_date,
            status=EntryStatus(m.status),
            verification_comment=m.verification_comment,
            version=m.version,
            created_at=m.created_at,
            learner_id=m.learner_id,
            organisation_id=m.organisation_id,
            submitted_by_id=m.submitted_by_id,
            verified_by_id=m.verified_by_id,
        )


@strawberry.type
class PortfolioEntryEdge:
    cursor: str
    node: PortfolioEntryType


@strawberry.type
class PortfolioEntryConnection:
    edges: list[PortfolioEntryEdge]
    page_info: PageInfo
    total_count: int
