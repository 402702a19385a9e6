"""Input types of the organisations domain."""

from __future__ import annotations

import strawberry

from graphql_api.frameworks.types import EducationLevelEnum
from graphql_api.organisations.types import OrganisationKindEnum


@strawberry.input
class CreateOrganisationInput:
    district_id: strawberry.ID
    name: str
    short_name: str | None = None
    kind: OrganisationKindEnum  # type: ignore[valid-type]


@strawberry.input
class CreateGroupInput:
    organisation_id: strawberry.ID
    name: str
    academic_year: int
    level: EducationLevelEnum  # type: ignore[valid-type]
    grade: int | None = None


@strawberry.input
class AssignGroupStaffInput:
    group_id: strawberry.ID
    user_id: strawberry.ID
    supervisor: bool = False
