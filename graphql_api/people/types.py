"""User accounts, role grants and the viewer's own view (`me`)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry.types import Info

from graphql_api.people import loaders
from models import RoleGrant, User
from models.enums import Role

if TYPE_CHECKING:
    from graphql_api.learners.types import LearnerType
    from graphql_api.organisations.types import DistrictType, OrganisationType

RoleEnum = strawberry.enum(Role, name="Role")


@strawberry.type(name="User")
class UserType:
    id: strawberry.ID
    login: str
    full_name: str

    @classmethod
    def of(cls, m: User) -> UserType:
        return cls(id=strawberry.ID(str(m.id)), login=m.login, full_name=m.full_name)


async def load_user(info: Info[Any, None], user_id: uuid.UUID) -> UserType:
    user = await info.context.loader("user", loaders.load_users).load(user_id)
    return UserType.of(user)


@strawberry.type(name="RoleGrant")
class RoleGrantType:
    id: strawberry.ID
    role: RoleEnum  # type: ignore[valid-type]
    granted_at: dt.datetime
    revoked_at: dt.datetime | None
    user_id: strawberry.Private[uuid.UUID]
    district_id: strawberry.Private[uuid.UUID | None]
    organisation_id: strawberry.Private[uuid.UUID | None]

    @strawberry.field
    async def user(self, info: Info[Any, None]) -> UserType:
        return await load_user(info, self.user_id)

    @strawberry.field
    async def district(
        self, info: Info[Any, None]
    ) -> Annotated[DistrictType, strawberry.lazy("graphql_api.organisations.types")] | None:
        from graphql_api.organisations.types import DistrictType

        if self.district_id is None:
            return None
        row = await info.context.loader("district", loaders.load_districts).load(self.district_id)
        return DistrictType.of(row) if row else None

    @strawberry.field
    async def organisation(
        self, info: Info[Any, None]
    ) -> Annotated[OrganisationType, strawberry.lazy("graphql_api.organisations.types")] | None:
        from graphql_api.organisations.types import OrganisationType

        if self.organisation_id is None:
            return None
        row = await info.context.loader("organisation", loaders.load_organisations).load(
            self.organisation_id
        )
        return OrganisationType.of(row) if row else None

    @classmethod
    def of(cls, m: RoleGrant) -> RoleGrantType:
        return cls(
            id=strawberry.ID(str(m.id)),
            role=Role(m.role),
            granted_at=m.granted_at,
            revoked_at=m.revoked_at,
            user_id=m.user_id,
            district_id=m.district_id,
            organisation_id=m.organisation_id,
        )


@strawberry.type
class Me:
    user: UserType
    grants: list[RoleGrantType]
    children: list[Annotated[LearnerType, strawberry.lazy("graphql_api.learners.types")]]
    learner: Annotated[LearnerType, strawberry.lazy("graphql_api.learners.types")] | None
