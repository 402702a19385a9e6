"""district, organisation, group: outside the viewer's scope they answer like missing ones."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types import Info

from authz.scopes import group_filter, organisation_filter
from graphql_api.learners.related import GroupType
from graphql_api.organisations.types import DistrictType, OrganisationType
from graphql_api.pagination import parse_id
from models import District, Group, Organisation


@strawberry.type
class OrganisationQueries:
    @strawberry.field
    async def district(self, info: Info[Any, None], id: strawberry.ID) -> DistrictType | None:
        ctx = info.context
        district_id = parse_id(id, "id")
        ctx.require("read", "district")
        decision = ctx.decide("read", "district", district_id=district_id)
        if not decision.allowed:
            return None
        row = await District.get_or_none(id=district_id)
        return DistrictType.of(row) if row else None

    @strawberry.field
    async def organisation(
        self, info: Info[Any, None], id: strawberry.ID
    ) -> OrganisationType | None:
        ctx = info.context
        decision = ctx.require("read", "organisation")
        row = (
            await Organisation.filter(id=parse_id(id, "id"))
            .filter(organisation_filter(decision))
            .first()
        )
        return OrganisationType.of(row) if row else None

    @strawberry.field
    async def group(self, info: Info[Any, None], id: strawberry.ID) -> GroupType | None:
        ctx = info.context
        decision = ctx.require("read", "group")
        row = await Group.filter(id=parse_id(id, "id")).filter(group_filter(decision)).first()
        return GroupType.of(row) if row else None
