"""Organisations, groups and group staff (R2, R5)."""

from __future__ import annotations

import uuid

from tortoise.exceptions import IntegrityError

from domain.errors import BadInput, Conflict, NotFound
from models import District, Group, GroupStaff, Organisation, RoleGrant, User
from models.enums import EducationLevel, OrganisationKind, Role

GRADES = {
    EducationLevel.PRESCHOOL: range(0, 1),
    EducationLevel.PRIMARY: range(1, 5),
    EducationLevel.BASIC: range(5, 10),
    EducationLevel.SECONDARY: range(10, 12),
}


async def create_organisation(
    *, district: District, name: str, short_name: str | None, kind: OrganisationKind
) -> Organisation:
    name = " ".join(name.split())
    short = " ".join((short_name or "").split()) or None
    if not name:
        raise BadInput("name must not be empty", field="name")
    if await Organisation.filter(district_id=district.id, name=name).exists():
        raise Conflict(f"the district already has an organisation named {name!r}", field="name")
    try:
        return await Organisation.create(
            district_id=district.id, name=name, short_name=short, kind=kind
        )
    except IntegrityError:
        raise Conflict(f"the district already has an organisation named {name!r}") from None


async def create_group(
    *,
    organisation: Organisation,
    name: str,
    academic_year: int,
    level: EducationLevel,
    grade: int | None,
) -> Group:
    name = " ".join(name.split())
    if not name:
        raise BadInput("name must not be empty", field="name")
    if not 2000 <= academic_year <= 2100:
        raise BadInput(
            "academicYear must be the starting year, e.g. 2026 for 2026/27", field="academicYear"
        )
    if grade is not None and grade not in GRADES[level]:
        raise BadInput(f"grade {grade} does not fit level {level.value}", field="grade")
    if level == EducationLevel.PRESCHOOL and organisation.kind == OrganisationKind.SCHOOL:
        raise BadInput("a school has no preschool groups", field="level")
    if await Group.filter(
        organisation_id=organisation.id, academic_year=academic_year, name=name
    ).exists():
        raise Conflict(f"group {name!r} already exists in {academic_year}", field="name")
    return await Group.create(
        organisation_id=organisation.id,
        name=name,
        academic_year=academic_year,
        level=level,
        grade=grade,
    )


async def assign_group_staff(*, group: Group, user_id: uuid.UUID, supervisor: bool) -> GroupStaff:
    """R6 needs both the EDUCATOR grant in the organisation and the group assignment."""
    user = await User.get_or_none(id=user_id)
    if user is None:
        raise NotFound("user not found", field="userId")
    if not await RoleGrant.filter(
        user_id=user_id, role=Role.EDUCATOR, revoked_at=None, organisation_id=group.organisation_id
    ).exists():
        raise BadInput(
            f"{user.login} holds no EDUCATOR role in this organisation: grant it first",
            field="userId",
        )
    if supervisor:
        current = (
            await GroupStaff.filter(group_id=group.id, supervisor=True)
            .exclude(user_id=user_id)
            .select_related("user")
            .first()
        )
        if current is not None:
            raise Conflict(f"the group already has a supervisor: {current.user.login}")
    existing = await GroupStaff.filter(group_id=group.id, user_id=user_id).first()
    if existing is not None:
        if existing.supervisor != supervisor:
            existing.supervisor = supervisor
            await existing.save(update_fields=["supervisor"])
        return existing
    return await GroupStaff.create(group_id=group.id, user_id=user_id, supervisor=supervisor)


async def get_group(group_id: uuid.UUID) -> Group:
    group = await Group.get_or_none(id=group_id)
    if group is None:
        raise NotFound("group not found", field="groupId")
    return group


async def get_organisation(organisation_id: uuid.UUID) -> Organisation:
    organisation = await Organisation.get_or_none(id=organisation_id)
    if organisation is None:
        raise NotFound("organisation not found", field="organisationId")
    return organisation
