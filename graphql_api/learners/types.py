"""The learner's record as the viewer may see it."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import strawberry
from strawberry.types import Info

from graphql_api.learners.loaders import health_visibility
from models import Learner


@strawberry.type(name="Learner")
class LearnerType:
    id: strawberry.ID
    last_name: str
    first_name: str
    middle_name: str | None
    birth_date: dt.date
    district_id: strawberry.Private[uuid.UUID]
    raw_health_group: strawberry.Private[int | None]
    raw_special_needs: strawberry.Private[str | None]

    async def _health_visible(self, info: Info[Any, None]) -> bool:
        ctx = info.context
        decision = ctx.decide("read", "learner.health")
        loader = ctx.loader("health_visible", health_visibility(decision, ctx.today))
        visible: bool = await loader.load(uuid.UUID(self.id))
        return visible

    @strawberry.field(
        description="R10: null unless the viewer is a guardian, ORG_ADMIN, "
        "PSYCHOLOGIST or group supervisor."
    )
    async def health_group(self, info: Info[Any, None]) -> int | None:
        return self.raw_health_group if await self._health_visible(info) else None

    @strawberry.field(description="R10: as healthGroup.")
    async def special_needs(self, info: Info[Any, None]) -> str | None:
        return self.raw_special_needs if await self._health_visible(info) else None

    @classmethod
    def of(cls, m: Learner) -> LearnerType:
        return cls(
            id=strawberry.ID(str(m.id)),
            last_name=m.last_name,
            first_name=m.first_name,
            middle_name=m.middle_name,
            birth_date=m.birth_date,
            district_id=m.district_id,
            raw_health_group=m.health_group,
            raw_special_needs=m.special_needs,
        )
