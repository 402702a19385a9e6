"""The first district, its operator account and the DISTRICT_OPERATOR grant (idempotent)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from tortoise.transactions import in_transaction

from domain.errors import BadInput, Conflict
from models import District, RoleGrant, User
from models.enums import Role


@dataclass(frozen=True)
class BootstrapResult:
    district_id: uuid.UUID
    user_id: uuid.UUID
    created: bool


async def bootstrap_district(
    *, district_name: str, operator_login: str, operator_name: str | None = None
) -> BootstrapResult:
    district_name = " ".join(district_name.split())
    operator_login = operator_login.strip()
    if not district_name:
        raise BadInput("--district must not be empty", field="district")
    if not operator_login or any(c.isspace() for c in operator_login):
        raise BadInput("--operator must be a non-empty login without spaces", field="operator")
    full_name = " ".join((operator_name or operator_login).split())
    async with in_transaction():
        district, district_created = await District.get_or_create(name=district_name)
        user = await User.filter(login=operator_login).first()
        user_created = user is None
        if user is None:
            user = await User.create(login=operator_login, full_name=full_name)
        grant = await RoleGrant.filter(
            user_id=user.id,
            role=Role.DISTRICT_OPERATOR,
            district_id=district.id,
            revoked_at=None,
        ).first()
        if grant is None:
            if (
                not (district_created or user_created)
                and await RoleGrant.filter(
                    role=Role.DISTRICT_OPERATOR, district_id=district.id, revoked_at=None
                ).exists()
            ):
                raise Conflict(
                    f"district {district_name!r} already has an operator; "
                    "grant further roles through the API"
                )
            await RoleGrant.create(
                user_id=user.id, role=Role.DISTRICT_OPERATOR, district_id=district.id
            )
    return BootstrapResult(
        district_id=district.id, user_id=user.id, created=district_created or user_created
    )
