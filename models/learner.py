"""The child's lifelong record and its relations: guardians, enrollments, consents."""

from __future__ import annotations

import uuid

from tortoise import fields
from tortoise.migrations.constraints import CheckConstraint
from tortoise.models import Model

from models.enums import ConsentPurpose


class Learner(Model):
    """One record for life, across organisations, never copied on transfer."""

    id = fields.UUIDField(primary_key=True, default=uuid.uuid4)
    district: fields.ForeignKeyRelation[District] = fields.ForeignKeyField(
        "models.District", related_name="learners", on_delete=fields.RESTRICT
    )
    created_by_organisation: fields.ForeignKeyRelation[Organisation] = fields.ForeignKeyField(
        "models.Organisation", related_name="created_learners", on_delete=fields.RESTRICT
    )
    last_name = fields.CharField(max_length=100)
    first_name = fields.CharField(max_length=100)
    middle_name = fields.CharField(max_length=100, null=True)
    birth_date = fields.DateField()
    health_group = fields.SmallIntField(null=True)
    special_needs = fields.CharField(max_length=500, null=True)
    # Normalised "last|first|middle" (lower case, ё→е) for the exact roster look-up (T0).
    name_key = fields.CharField(max_length=310)
    # Normalised last name for case-insensitive prefix search.
    last_name_key = fields.CharField(max_length=100)
    account: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="learner_records", null=True, on_delete=fields.RESTRICT
    )
    created_at = fields.DatetimeField(auto_now_add=True)
    content_erased_at = fields.DatetimeField(null=True)

    district_id: uuid.UUID
    created_by_organisation_id: uuid.UUID
    account_id: uuid.UUID | None

    class Meta:
        table = "learner"
        indexes = (
            ("district_id", "name_key", "birth_date"),
            ("district_id", "last_name_key"),
            ("created_by_organisation_id",),
            ("account_id",),
        )
        constraints = (
            CheckConstraint(
                check="health_group IS NULL OR health_group BETWEEN 1 AND 5",
                name="learner_health_group_range",
            ),
        )


class Guardianship(Model):
    """A guardian (законный представитель) linked to a learner."""

    id = fields.UUIDField(primary_key=True, default=uuid.uuid4)
    learner: fields.ForeignKeyRelation[Learner] = fields.ForeignKeyField(
        "models.Learner", related_name="guardianships", on_delete=fields.RESTRICT
    )
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="guardianships", on_delete=fields.RESTRICT
    )
    created_at = fields.DatetimeField(auto_now_add=True)

    learner_id: uuid.UUID
    user_id: uuid.UUID

    class Meta:
        table = "guardianship"
        unique_together = (("learner", "user"),)
        indexes = (("user_id",),)


class Enrollment(Model):
    """A learner in a group from start_date to end_date (open while end_date is null)."""

    id = fields.UUIDField(primary_key=True, default=uuid.uuid4)
    learner: fields.ForeignKeyRelation[Learner] = fields.ForeignKeyField(
        "models.Learner", related_name="enrollments", on_delete=fields.RESTRICT
    )
    group: fields.ForeignKeyRelation[Group] = fields.ForeignKeyField(
        "models.Group", related_name="enrollments", on_delete=fields.RESTRICT
    )
    # Denormalised from the group so that scope filters need no join.
    organisation: fields.ForeignKeyRelation[Organisation] = fields.ForeignKeyField(
        "models.Organisation", related_name="enrollments", on_delete=fields.RESTRICT
    )
    academic_year = fields.IntField()
    start_date = fields.DateField()
    end_date = fields.DateField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    learner_id: uuid.UUID
    group_id: uuid.UUID
    organisation_id: uuid.UUID

    class Meta:
        table = "enrollment"
        indexes = (
            ("learner_id", "start_date"),
            ("group_id", "end_date"),
            ("organisation_id", "academic_year"),
            ("organisation_id", "end_date"),
        )
        constraints = (
            CheckConstraint(
                check="end_date IS NULL OR end_date >= start_date",
                name="enrollment_end_not_before_start",
            ),
        )


class Consent(Model):
    """A consent of a guardian: each giving is a new row, a withdrawal only stamps it once."""

    id = fields.UUIDField(primary_key=True, default=uuid.uuid4)
    learner: fields.ForeignKeyRelation[Learner] = fields.ForeignKeyField(
        "models.Learner", related_name="consents", on_delete=fields.RESTRICT
    )
    purpose = fields.CharEnumField(ConsentPurpose, max_length=16)
    given_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="consents_given", null=True, on_delete=fields.RESTRICT
    )
    recorded_by: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="consents_recorded", on_delete=fields.RESTRICT
    )
    document_ref = fields.CharField(max_length=100, null=True)
    given_at = fields.DatetimeField()
    withdrawn_at = fields.DatetimeField(null=True)
    withdrawn_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="consents_withdrawn", null=True, on_delete=fields.RESTRICT
    )

    learner_id: uuid.UUID
    given_by_id: uuid.UUID | None
    recorded_by_id: uuid.UUID
    withdrawn_by_id: uuid.UUID | None

    class Meta:
        table = "consent"
        indexes = (("learner_id", "purpose", "withdrawn_at"),)
        constraints = (
            CheckConstraint(
                check="withdrawn_at IS NULL OR withdrawn_at >= given_at",
                name="consent_withdrawn_after_given",
            ),
        )


from models.organisation import District, Group, Organisation, User  # noqa: E402
