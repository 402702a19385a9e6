"""Accounts and role grants (R2, R5): who may grant which role where is in the policy rows."""

from __future__ import annotations

import datetime as dt
import re
import uuid

from tortoise.exceptions import IntegrityError

from authz.authorizer import AccessDecision
from domain.errors import BadInput, Conflict, Forbidden, NotFound
from models import District, Organisation, RoleGrant, User
from models.enums import DISTRICT_ROLES, Role

LOGIN_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{1,149}$")


async def create_user(*, login: str, full_name: str) -> User:
    login = login.strip()
    full_name = " ".join(full_name.split())
    if not LOGIN_PATTERN.match(login):
        raise BadInput(
            "login: 2–150 characters, Latin letters, digits and . _ @ - only", field="login"
        )
    if not full_name:
        raise BadInput("fullName must not be empty", field="fullName")
    if await User.filter(login=login).exists():
        raise Conflict(f"login {login!r} is taken", field="login")
    try:
        return await User.create(login=login, full_name=full_name)
    except IntegrityError:
        raise Conflict(f"login {login!r} is taken", field="login") from None


async def grant_place(
    *, role: Role, district_id: uuid.UUID | None, organisation_id: uuid.UUID | None
) -> tuple[District | None, Organisation | None]:
    """Check the grant points to a district or an organisation as the role requires."""
    if role in DISTRICT_ROLES:
        if district_id is None or organisation_id is not None:
            raise BadInput(
                f"{role.value} is granted in a district: give districtId only", field="districtId"
            )
        district = await District.get_or_none(id=district_id)
        if district is None:
            raise NotFound("district not found", field="districtId")
        return district, None
    if organisation_id is None or district_id is not None:
        raise BadInput(
            f"{role.value} is granted in an organisation: give organisationId only",
            field="organisationId",
        )
    organisation = await Organisation.get_or_none(id=organisation_id)
    if organisation is None:
        raise NotFound("organisation not found", field="organisationId")
    return None, organisation


async def grant_role(
    *,
    decision: AccessDecision,
    granted_by: uuid.UUID,
    user_id: uuid.UUID,
    role: Role,
    district: District | None,
    organisation: Organisation | None,
) -> RoleGrant:
    if user_id == granted_by:
        raise Forbidden("nobody grants roles to themselves", clause="R2" if district else "R5")
    if not await User.filter(id=user_id).exists():
        raise NotFound("user not found", field="userId")
    existing = await RoleGrant.filter(
        user_id=user_id,
        role=role,
        revoked_at=None,
        district_id=district.id if district else None,
        organisation_id=organisation.id if organisation else None,
    ).first()
    if existing is not None:
        raise Conflict(f"the user already holds {role.value} there (grant {existing.id})")
    return await RoleGrant.create(
        user_id=user_id,
        role=role,
        district_id=district.id if district else None,
        organisation_id=organisation.id if organisation else None,
        granted_by_id=granted_by,
    )


async def revoke_role(*, grant: RoleGrant, revoked_by: uuid.UUID) -> RoleGrant:
    if grant.user_id == revoked_by:
        raise Forbidden("nobody revokes their own roles", clause="R2")
    if grant.revoked_at is not None:
        raise Conflict(f"grant {grant.id} was already revoked at {grant.revoked_at.isoformat()}")
    grant.revoked_at = dt.datetime.now(dt.UTC)
    grant.revoked_by_id = revoked_by
    await grant.save(update_fields=["revoked_at", "revoked_by_id"])
    return grant
