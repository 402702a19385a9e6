"""createUser, grantRole, revokeRole (R2, R5): decided by the policy's `grant.<ROLE>` rows."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types import Info

from domain import grants
from domain.errors import NotFound
from graphql_api.pagination import parse_id, parse_optional_id
from graphql_api.people.inputs import CreateUserInput, GrantRoleInput
from graphql_api.people.types import RoleGrantType, UserType
from graphql_api.transactions import in_mutation
from models import Organisation, RoleGrant
from models.enums import Role


@strawberry.type
class PeopleMutations:
    @strawberry.mutation
    async def create_user(self, info: Info[Any, None], input: CreateUserInput) -> UserType:
        ctx = info.context
        ctx.require("create", "user")

        async def work() -> UserType:
            return UserType.of(
                await grants.create_user(login=input.login, full_name=input.full_name)
            )

        return await in_mutation(ctx, work)

    @strawberry.mutation
    async def grant_role(self, info: Info[Any, None], input: GrantRoleInput) -> RoleGrantType:
        ctx = info.context
        role = Role(input.role)
        principal = ctx.require_principal()
        ctx.require("grant", f"grant.{role.value}")
        district, organisation = await grants.grant_place(
            role=role,
            district_id=parse_optional_id(input.district_id, "input.districtId"),
            organisation_id=parse_optional_id(input.organisation_id, "input.organisationId"),
        )
        ctx.require_target(
            "grant",
            f"grant.{role.value}",
            organisation_id=organisation.id if organisation else None,
            district_id=district.id
            if district
            else organisation.district_id
            if organisation
            else None,
            what="district" if district else "organisation",
        )

        async def work() -> RoleGrantType:
            row = await grants.grant_role(
                decision=ctx.decide("grant", f"grant.{role.value}"),
                granted_by=principal.user_id,
                user_id=parse_id(input.user_id, "input.userId"),
                role=role,
                district=district,
                organisation=organisation,
            )
            return RoleGrantType.of(row)

        return await in_mutation(ctx, work)

    @strawberry.mutation
    async def revoke_role(self, info: Info[Any, None], grant_id: strawberry.ID) -> RoleGrantType:
        ctx = info.context
        principal = ctx.require_principal()
        grant = await RoleGrant.get_or_none(id=parse_id(grant_id, "grantId"))
        if grant is None:
            raise NotFound("grant not found")
        role = Role(grant.role)
        district_id = grant.district_id
        if grant.organisation_id is not None:
            organisation = await Organisation.get(id=grant.organisation_id)
            district_id = organisation.district_id
        ctx.require_target(
            "revoke",
            f"grant.{role.value}",
            organisation_id=grant.organisation_id,
            district_id=district_id,
            what="grant",
        )

        async def work() -> RoleGrantType:
            return RoleGrantType.of(
                await grants.revoke_role(grant=grant, revoked_by=principal.user_id)
            )

        return await in_mutation(ctx, work)
