"""Diagnostics results (A1, A2): one value per learner × indicator × year × period, with history."""

from __future__ import annotations

import uuid

from tortoise import fields
from tortoise.migrations.constraints import CheckConstraint
from tortoise.models import Model

from models.enums import AssessmentPeriod


class Assessment(Model):
    id = fields.UUIDField(primary_key=True, default=uuid.uuid4)
    learner: fields.ForeignKeyRelation[Learner] = fields.ForeignKeyField(
        "models.Learner", related_name="assessments", on_delete=fields.RESTRICT
    )
    indicator: fields.ForeignKeyRelation[Indicator] = fields.ForeignKeyField(
        "models.Indicator", related_name="assessments", on_delete=fields.RESTRICT
    )
    # Denormalised from the indicator: the sensitive-section filter and statistics need no join.
    area: fields.ForeignKeyRelation[DevelopmentArea] = fields.ForeignKeyField(
        "models.DevelopmentArea", related_name="assessments", on_delete=fields.RESTRICT
    )
    framework: fields.ForeignKeyRelation[Framework] = fields.ForeignKeyField(
        "models.Framework", related_name="assessments", on_delete=fields.RESTRICT
    )
    academic_year = fields.IntField()
    period = fields.CharEnumField(AssessmentPeriod, max_length=8)
    level = fields.SmallIntField()
    comment = fields.CharField(max_length=1000, null=True)
    # T3: the organisation where the learner was enrolled when it was recorded owns it.
    organisation: fields.ForeignKeyRelation[Organisation] = fields.ForeignKeyField(
        "models.Organisation", related_name="assessments", on_delete=fields.RESTRICT
    )
    assessed_by: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="assessments", on_delete=fields.RESTRICT
    )
    assessed_at = fields.DatetimeField()

    learner_id: uuid.UUID
    indicator_id: uuid.UUID
    area_id: uuid.UUID
    framework_id: uuid.UUID
    organisation_id: uuid.UUID
    assessed_by_id: uuid.UUID

    class Meta:
        table = "assessment"
        unique_together = (("learner", "indicator", "academic_year", "period"),)
        indexes = (
            ("learner_id", "academic_year", "period"),
            ("organisation_id", "framework_id", "academic_year", "period"),
            ("framework_id", "academic_year", "period", "area_id", "level"),
            # D1 coverage: the year's (learner, framework, area) triples, read from the index.
            ("academic_year", "learner_id", "framework_id", "area_id"),
        )
        constraints = (
            CheckConstraint(check="level BETWEEN 1 AND 10", name="assessment_level_range"),
        )


class AssessmentRevision(Model):
    """A1: the earlier value of an assessment, kept when it is re-recorded."""

    id = fields.UUIDField(primary_key=True, default=uuid.uuid4)
    assessment: fields.ForeignKeyRelation[Assessment] = fields.ForeignKeyField(
        "models.Assessment", related_name="revisions", on_delete=fields.RESTRICT
    )
    level = fields.SmallIntField()
    comment = fields.CharField(max_length=1000, null=True)
    assessed_by: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="assessment_revisions", on_delete=fields.RESTRICT
    )
    assessed_at = fields.DatetimeField()
    replaced_at = fields.DatetimeField()
    reason = fields.CharField(max_length=500, null=True)

    assessment_id: uuid.UUID

    class Meta:
        table = "assessment_revision"
        indexes = (("assessment_id", "replaced_at"),)


class AssessmentPeriodClosure(Model):
    """A2: a period closed for a group, after which only an ORG_ADMIN changes it."""

    id = fields.UUIDField(primary_key=True, default=uuid.uuid4)
    group: fields.ForeignKeyRelation[Group] = fields.ForeignKeyField(
        "models.Group", related_name="closed_periods", on_delete=fields.RESTRICT
    )
    academic_year = fields.IntField()
    period = fields.CharEnumField(AssessmentPeriod, max_length=8)
    closed_by: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="closed_periods", on_delete=fields.RESTRICT
    )
    closed_at = fields.DatetimeField(auto_now_add=True)

    group_id: uuid.UUID

    class Meta:
        table = "assessment_period_closure"
        unique_together = (("group", "academic_year", "period"),)


from models.framework import DevelopmentArea, Framework, Indicator  # noqa: E402
from models.learner import Learner  # noqa: E402
from models.organisation import Group, Organisation, User  # noqa: E402
