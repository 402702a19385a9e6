"""Frameworks of indicators with their level scales (the reference catalogue)."""

from __future__ import annotations

import uuid
from typing import Any

import strawberry
from strawberry.types import Info

from graphql_api.frameworks import loaders
from models import DevelopmentArea, Framework, Indicator
from models.enums import EducationLevel

EducationLevelEnum = strawberry.enum(EducationLevel, name="EducationLevel")


@strawberry.type
class ScaleLevel:
    value: int
    label: str


@strawberry.type(name="Framework")
class FrameworkType:
    id: strawberry.ID
    code: str
    name: str
    level: EducationLevelEnum  # type: ignore[valid-type]
    sensitive: bool
    scale: list[ScaleLevel]

    @strawberry.field
    async def areas(self, info: Info[Any, None]) -> list[AreaType]:
        loader = info.context.loader("areas_by_framework", loaders.load_areas_by_framework)
        return [AreaType.of(a) for a in await loader.load(uuid.UUID(self.id))]

    @classmethod
    def of(cls, m: Framework) -> FrameworkType:
        return cls(
            id=strawberry.ID(str(m.id)),
            code=m.code,
            name=m.name,
            level=EducationLevel(m.level),
            sensitive=m.sensitive,
            scale=[ScaleLevel(value=s["value"], label=s["label"]) for s in m.scale],
        )


@strawberry.type(name="DevelopmentArea")
class AreaType:
    id: strawberry.ID
    code: str
    name: str
    framework_id: strawberry.Private[uuid.UUID]

    @strawberry.field
    async def framework(self, info: Info[Any, None]) -> FrameworkType:
        loader = info.context.loader("framework", loaders.load_frameworks)
        return FrameworkType.of(await loader.load(self.framework_id))

    @strawberry.field
    async def indicators(self, info: Info[Any, None]) -> list[IndicatorType]:
        loader = info.context.loader("indicators_by_area", loaders.load_indicators_by_area)
        return [IndicatorType.of(i) for i in await loader.load(uuid.UUID(self.id))]

    @classmethod
    def of(cls, m: DevelopmentArea) -> AreaType:
        return cls(
            id=strawberry.ID(str(m.id)), code=m.code, name=m.name, framework_id=m.framework_id
        )


@strawberry.type(name="Indicator")
class IndicatorType:
    id: strawberry.ID
    code: str
    name: str
    area_id: strawberry.Private[uuid.UUID]

    @strawberry.field
    async def area(self, info: Info[Any, None]) -> AreaType:
        loader = info.context.loader("area", loaders.load_areas)
        return AreaType.of(await loader.load(self.area_id))

    @classmethod
    def of(cls, m: Indicator) -> IndicatorType:
        return cls(id=strawberry.ID(str(m.id)), code=m.code, name=m.name, area_id=m.area_id)
