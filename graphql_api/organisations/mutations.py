"""createOrganisation (R2), createGroup and assignGroupStaff (R5)."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types import Info

from domain import organisations as workflows
from domain.errors import NotFound
from graphql_api.learners.related import GroupStaffType, GroupType
from graphql_api.organisations.inputs import (
    AssignGroupStaffInput,
    CreateGroupInput,
    CreateOrganisationInput,
)
from graphql_api.organisations.types import OrganisationType
from graphql_api.pagination import parse_id
from graphql_api.transactions import in_mutation
from models import District
from models.enums import EducationLevel, OrganisationKind


@strawberry.type
class OrganisationMutations:
    @strawberry.mutation
    async def create_organisation(
        self, info: Info[Any, None], input: CreateOrganisationInput
    ) -> OrganisationType:
        ctx = info.context
        district_id = parse_id(input.district_id, "input.districtId")
        ctx.require_target("create", "organisation", district_id=district_id, what="district")
        district = await District.get_or_none(id=district_id)
        if district is None:
            raise NotFound("district not found", field="districtId")

        async def work() -> OrganisationType:
            row = await workflows.create_organisation(
                district=district,
                name=input.name,
                short_name=input.short_name,
                kind=OrganisationKind(input.kind),
            )
            return OrganisationType.of(row)

        return await in_mutation(ctx, work)

    @strawberry.mutation
    async def create_group(self, info: Info[Any, None], input: CreateGroupInput) -> GroupType:
        ctx = info.context
        ctx.require("create", "group")
        organisation = await workflows.get_organisation(
            parse_id(input.organisation_id, "input.organisationId")
        )
        ctx.require_target(
            "create",
            "group",
            organisation_id=organisation.id,
            district_id=organisation.district_id,
            what="organisation",
        )

        async def work() -> GroupType:
            row = await workflows.create_group(
                organisation=organisation,
                name=input.name,
                academic_year=input.academic_year,
                level=EducationLevel(input.level),
                grade=input.grade,
            )
            return GroupType.of(row)

        return await in_mutation(ctx, work)

    @strawberry.mutation
    async def assign_group_staff(
        self, info: Info[Any, None], input: AssignGroupStaffInput
    ) -> GroupStaffType:
        ctx = info.context
        ctx.require("update", "group")
        group = await workflows.get_group(parse_id(input.group_id, "input.groupId"))
        ctx.require_target("update", "group", organisation_id=group.organisation_id, what="group")

        async def work() -> GroupStaffType:
            row = await workflows.assign_group_staff(
                group=group,
                user_id=parse_id(input.user_id, "input.userId"),
                supervisor=input.supervisor,
            )
            return GroupStaffType.of(row)

        return await in_mutation(ctx, work)
