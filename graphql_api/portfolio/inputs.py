"""Input types of the portfolio domain."""

from __future__ import annotations

import datetime as dt

import strawberry

from graphql_api.learners.related import AssessmentPeriodEnum
from graphql_api.portfolio.types import EntryCategoryEnum, EntryLevelEnum


@strawberry.input
class AssessmentItemInput:
    learner_id: strawberry.ID
    indicator_id: strawberry.ID
    level: int
    comment: str | None = None


@strawberry.input
class RecordAssessmentsInput:
    academic_year: int
    period: AssessmentPeriodEnum  # type: ignore[valid-type]
    items: list[AssessmentItemInput]
    reason: str | None = strawberry.field(
        default=None, description="A2: why a closed period is changed (ORG_ADMIN only)."
    )


@strawberry.input
class CloseAssessmentPeriodInput:
    group_id: strawberry.ID
    academic_year: int
    period: AssessmentPeriodEnum  # type: ignore[valid-type]


@strawberry.input
class AddPortfolioEntryInput:
    learner_id: strawberry.ID
    category: EntryCategoryEnum  # type: ignore[valid-type]
    level: EntryLevelEnum  # type: ignore[valid-type]
    title: str
    description: str | None = None
    result: str | None = None
    event_date: dt.date


@strawberry.input
class UpdatePortfolioEntryInput:
    id: strawberry.ID
    version: int = strawberry.field(
        description="The version the client last read; a stale version gives CONFLICT."
    )
    title: str | None = None
    description: str | None = None
    result: str | None = None
    event_date: dt.date | None = None


@strawberry.input
class VerifyPortfolioEntryInput:
    id: strawberry.ID
    approve: bool
    comment: str | None = None
