"""The catalogue is readable by every role (each role's template has a framework row)."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types import Info

from graphql_api.frameworks.types import EducationLevelEnum, FrameworkType
from models import Framework
from models.enums import EducationLevel


@strawberry.type
class FrameworkQueries:
    @strawberry.field
    async def frameworks(
        self,
        info: Info[Any, None],
        level: EducationLevelEnum | None = None,  # type: ignore[valid-type]
    ) -> list[FrameworkType]:
        info.context.require("read", "framework")
        query = Framework.all().order_by("code")
        if level is not None:
            query = query.filter(level=EducationLevel(level))
        return [FrameworkType.of(f) for f in await query]
