"""Input types of the reports domain."""

from __future__ import annotations

import strawberry

from graphql_api.learners.related import AssessmentPeriodEnum
from graphql_api.reports.types import StatisticsDimensionEnum


@strawberry.input
class DevelopmentStatisticsInput:
    district_id: strawberry.ID
    framework_code: str
    academic_year: int
    period: AssessmentPeriodEnum  # type: ignore[valid-type]
    group_by: list[StatisticsDimensionEnum]  # type: ignore[valid-type]
    organisation_ids: list[strawberry.ID] | None = None
    area_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Only these areas of the framework."
    )
