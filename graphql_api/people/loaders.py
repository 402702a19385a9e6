"""Batch loaders of user accounts, districts and organisations."""

from __future__ import annotations

import uuid

from models import District, Organisation, User


async def load_users(ids: list[uuid.UUID]) -> list[User | None]:
    rows = {u.id: u for u in await User.filter(id__in=ids)}
    return [rows.get(i) for i in ids]


async def load_districts(ids: list[uuid.UUID]) -> list[District | None]:
    rows = {d.id: d for d in await District.filter(id__in=ids)}
    return [rows.get(i) for i in ids]


async def load_organisations(ids: list[uuid.UUID]) -> list[Organisation | None]:
    rows = {o.id: o for o in await Organisation.filter(id__in=ids)}
    return [rows.get(i) for i in ids]
