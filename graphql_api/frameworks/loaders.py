"""Batch loaders of the reference catalogue."""

from __future__ import annotations

import uuid
from collections import defaultdict

from models import DevelopmentArea, Framework, Indicator


async def load_frameworks(ids: list[uuid.UUID]) -> list[Framework | None]:
    rows = {f.id: f for f in await Framework.filter(id__in=ids)}
    return [rows.get(i) for i in ids]


async def load_areas(ids: list[uuid.UUID]) -> list[DevelopmentArea | None]:
    rows = {a.id: a for a in await DevelopmentArea.filter(id__in=ids)}
    return [rows.get(i) for i in ids]


async def load_indicators(ids: list[uuid.UUID]) -> list[Indicator | None]:
    rows = {a.id: a for a in await Indicator.filter(id__in=ids)}
    return [rows.get(i) for i in ids]


async def load_areas_by_framework(ids: list[uuid.UUID]) -> list[list[DevelopmentArea]]:
    grouped: dict[uuid.UUID, list[DevelopmentArea]] = defaultdict(list)
    for area in await DevelopmentArea.filter(framework_id__in=ids).order_by("position"):
        grouped[area.framework_id].append(area)
    return [grouped[i] for i in ids]


async def load_indicators_by_area(ids: list[uuid.UUID]) -> list[list[Indicator]]:
    grouped: dict[uuid.UUID, list[Indicator]] = defaultdict(list)
    for indicator in await Indicator.filter(area_id__in=ids).order_by("position"):
        grouped[indicator.area_id].append(indicator)
    return [grouped[i] for i in ids]
