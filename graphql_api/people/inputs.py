"""Input types of the people domain."""

from __future__ import annotations

import strawberry

from graphql_api.people.types import RoleEnum


@strawberry.input
class CreateUserInput:
    login: str
    full_name: str


@strawberry.input
class GrantRoleInput:
    user_id: strawberry.ID
    role: RoleEnum  # type: ignore[valid-type]
    district_id: strawberry.ID | None = None
    organisation_id: strawberry.ID | None = None
