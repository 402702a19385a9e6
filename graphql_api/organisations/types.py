"""Districts and organisations (tenants)."""

from __future__ import annotations

import uuid
from typing import Any

import strawberry
from strawberry.types import Info

from graphql_api.people import loaders
from models import District, Organisation
from models.enums import OrganisationKind

OrganisationKindEnum = strawberry.enum(OrganisationKind, name="OrganisationKind")


@strawberry.type(name="District")
class DistrictType:
    id: strawberry.ID
    name: str

    @classmethod
    def of(cls, m: District) -> DistrictType:
        return cls(id=strawberry.ID(str(m.id)), name=m.name)


@strawberry.type(name="Organisation")
class OrganisationType:
    id: strawberry.ID
    name: str
    short_name: str | None
    kind: OrganisationKindEnum  # type: ignore[valid-type]
    district_id: strawberry.Private[uuid.UUID]

    @strawberry.field
    async def district(self, info: Info[Any, None]) -> DistrictType:
        row = await info.context.loader("district", loaders.load_districts).load(self.district_id)
        return DistrictType.of(row)

    @classmethod
    def of(cls, m: Organisation) -> OrganisationType:
        return cls(
            id=strawberry.ID(str(m.id)),
            name=m.name,
            short_name=m.short_name,
            kind=OrganisationKind(m.kind),
            district_id=m.district_id,
        )
