"""Districts and organisations (tenants)."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry.types import Info

from graphql_api.organisations.loaders import groups_by_organisation
from graphql_api.pagination import PageInfo, check_first, decode_cursor, encode_cursor
from graphql_api.people import loaders
from models import District, Organisation
from models.enums import OrganisationKind

if TYPE_CHECKING:
    from graphql_api.handoff.types import IncomingLearner
    from graphql_api.learners.related import GroupType

OrganisationKindEnum = strawberry.enum(OrganisationKind, name="OrganisationKind")
GroupRef = Annotated["GroupType", strawberry.lazy("graphql_api.learners.related")]


@strawberry.type(name="District")
class DistrictType:
    id: strawberry.ID
    name: str

    @strawberry.field
    async def organisations(
        self,
        info: Info[Any, None],
        kind: OrganisationKindEnum | None = None,  # type: ignore[valid-type]
        first: int | None = 50,
        after: str | None = None,
    ) -> OrganisationConnection:
        from authz.scopes import organisation_filter
        from models import Organisation as OrganisationModel

        ctx = info.context
        first = check_first(first)
        decision = ctx.decide("read", "organisation", district_id=uuid.UUID(self.id))
        query = OrganisationModel.filter(district_id=uuid.UUID(self.id)).filter(
            organisation_filter(decision)
        )
        if kind is not None:
            query = query.filter(kind=OrganisationKind(kind))
        total = await query.count()
        cursor = decode_cursor(after, 2)
        if cursor is not None:
            from tortoise.expressions import Q

            query = query.filter(Q(name__gt=cursor[0]) | Q(name=cursor[0], id__gt=cursor[1]))
        rows = await query.order_by("name", "id").limit(first + 1)
        edges = [
            OrganisationEdge(cursor=encode_cursor(r.name, r.id), node=OrganisationType.of(r))
            for r in rows[:first]
        ]
        return OrganisationConnection(
            edges=edges,
            page_info=PageInfo(
                has_next_page=len(rows) > first, end_cursor=edges[-1].cursor if edges else None
            ),
            total_count=total,
        )

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

    @strawberry.field
    async def groups(
        self, info: Info[Any, None], academic_year: int | None = None
    ) -> list[GroupRef]:
        from graphql_api.learners.related import GroupType

        ctx = info.context
        decision = ctx.decide(
            "read", "group", organisation_id=uuid.UUID(self.id), district_id=self.district_id
        )
        loader = ctx.loader(
            f"groups_by_organisation:{academic_year}",
            groups_by_organisation(decision, academic_year),
        )
        return [GroupType.of(g) for g in await loader.load(uuid.UUID(self.id))]

    @strawberry.field(
        description="T1: learners whose enrollment here started in the academic "
        "year and who came from another organisation."
    )
    async def incoming_learners(
        self, info: Info[Any, None], academic_year: int
    ) -> list[Annotated[IncomingLearner, strawberry.lazy("graphql_api.handoff.types")]]:
        from graphql_api.handoff.types import incoming_learners

        return await incoming_learners(info, uuid.UUID(self.id), academic_year)

    @classmethod
    def of(cls, m: Organisation) -> OrganisationType:
        return cls(
            id=strawberry.ID(str(m.id)),
            name=m.name,
            short_name=m.short_name,
            kind=OrganisationKind(m.kind),
            district_id=m.district_id,
        )


@strawberry.type
class OrganisationEdge:
    cursor: str
    node: OrganisationType


@strawberry.type
class OrganisationConnection:
    edges: list[OrganisationEdge]
    page_info: PageInfo
    total_count: int
