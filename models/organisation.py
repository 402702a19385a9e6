"""Tenants and people: districts, organisations, user accounts, role grants, groups."""

from __future__ import annotations

import uuid

from tortoise import fields
from tortoise.migrations.constraints import CheckConstraint
from tortoise.models import Model

from models.enums import EducationLevel, OrganisationKind, Role


class District(Model):
    id = fields.UUIDField(primary_key=True, default=uuid.uuid4)
    name = fields.CharField(max_length=200, unique=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "district"


class Organisation(Model):
    id = fields.UUIDField(primary_key=True, default=uuid.uuid4)
    district: fields.ForeignKeyRelation[District] = fields.ForeignKeyField(
        "models.District", related_name="organisations", on_delete=fields.RESTRICT
    )
    name = fields.CharField(max_length=300)
    short_name = fields.CharField(max_length=100, null=True)
    kind = fields.CharEnumField(OrganisationKind, max_length=32)
    created_at = fields.DatetimeField(auto_now_add=True)

    district_id: uuid.UUID

    class Meta:
        table = "organisation"
        unique_together = (("district", "name"),)
        indexes = (("district_id", "kind"),)


class User(Model):
    """A global account: one person may work in several organisations and be a guardian."""

    id = fields.UUIDField(primary_key=True, default=uuid.uuid4)
    login = fields.CharField(max_length=150, unique=True)
    full_name = fields.CharField(max_length=300)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "app_user"


class RoleGrant(Model):
    """A role in a district or an organisation: revocation is recorded, never deleted."""

    id = fields.UUIDField(primary_key=True, default=uuid.uuid4)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="grants", on_delete=fields.RESTRICT
    )
    role = fields.CharEnumField(Role, max_length=32)
    district: fields.ForeignKeyNullableRelation[District] = fields.ForeignKeyField(
        "models.District", related_name="grants", null=True, on_delete=fields.RESTRICT
    )
    organisation: fields.ForeignKeyNullableRelation[Organisation] = fields.ForeignKeyField(
        "models.Organisation", related_name="grants", null=True, on_delete=fields.RESTRICT
    )
    granted_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="granted", null=True, on_delete=fields.RESTRICT
    )
    granted_at = fields.DatetimeField(auto_now_add=True)
    revoked_at = fields.DatetimeField(null=True)
    revoked_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="revoked", null=True, on_delete=fields.RESTRICT
    )

    user_id: uuid.UUID
    district_id: uuid.UUID | None
    organisation_id: uuid.UUID | None

    class Meta:
        table = "role_grant"
        indexes = (("user_id", "revoked_at"), ("organisation_id", "role"), ("district_id", "role"))
        constraints = (
            CheckConstraint(
                check=(
                    "(role IN ('DISTRICT_OPERATOR','DISTRICT_OFFICIAL','AUDITOR')"
                    " AND district_id IS NOT NULL AND organisation_id IS NULL)"
                    " OR (role IN ('ORG_ADMIN','EDUCATOR','PSYCHOLOGIST')"
                    " AND organisation_id IS NOT NULL AND district_id IS NULL)"
                ),
                name="role_grant_place_matches_role",
            ),
        )


class Group(Model):
    """Learners of one organisation in one academic year (группа / класс)."""

    id = fields.UUIDField(primary_key=True, default=uuid.uuid4)
    organisation: fields.ForeignKeyRelation[Organisation] = fields.ForeignKeyField(
        "models.Organisation", related_name="groups", on_delete=fields.RESTRICT
    )
    name = fields.CharField(max_length=100)
    academic_year = fields.IntField()
    level = fields.CharEnumField(EducationLevel, max_length=16)
    grade = fields.IntField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    organisation_id: uuid.UUID

    class Meta:
        table = "learner_group"
        unique_together = (("organisation", "academic_year", "name"),)
        constraints = (
            CheckConstraint(
                check="academic_year BETWEEN 2000 AND 2100", name="group_academic_year_range"
            ),
            CheckConstraint(
                check="grade IS NULL OR grade BETWEEN 0 AND 11", name="group_grade_range"
            ),
        )


class GroupStaff(Model):
    """An educator assigned to a group, optionally as its supervisor (классный руководитель)."""

    id = fields.UUIDField(primary_key=True, default=uuid.uuid4)
    group: fields.ForeignKeyRelation[Group] = fields.ForeignKeyField(
        "models.Group", related_name="staff", on_delete=fields.RESTRICT
    )
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="group_assignments", on_delete=fields.RESTRICT
    )
    supervisor = fields.BooleanField(default=False)
    assigned_at = fields.DatetimeField(auto_now_add=True)

    group_id: uuid.UUID
    user_id: uuid.UUID

    class Meta:
        table = "group_staff"
        unique_together = (("group", "user"),)
        indexes = (("user_id",),)
