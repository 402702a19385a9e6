"""Achievements (PortfolioEntry) with verification status (A4) and optimistic concurrency."""

from __future__ import annotations

import uuid

from tortoise import fields
from tortoise.models import Model

from models.enums import EntryCategory, EntryLevel, EntryStatus


class PortfolioEntry(Model):
    id = fields.UUIDField(primary_key=True, default=uuid.uuid4)
    learner: fields.ForeignKeyRelation[Learner] = fields.ForeignKeyField(
        "models.Learner", related_name="entries", on_delete=fields.RESTRICT
    )
    category = fields.CharEnumField(EntryCategory, max_length=32)
    level = fields.CharEnumField(EntryLevel, max_length=16)
    title = fields.CharField(max_length=300)
    description = fields.TextField(null=True)
    result = fields.CharField(max_length=300, null=True)
    event_date = fields.DateField()
    status = fields.CharEnumField(EntryStatus, max_length=16)
    # T3: the organisation where the learner was enrolled when the entry was made.
    organisation: fields.ForeignKeyRelation[Organisation] = fields.ForeignKeyField(
        "models.Organisation", related_name="entries", on_delete=fields.RESTRICT
    )
    submitted_by: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="entries_submitted", on_delete=fields.RESTRICT
    )
    verified_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="entries_verified", null=True, on_delete=fields.RESTRICT
    )
    verification_comment = fields.CharField(max_length=1000, null=True)
    version = fields.IntField(default=1)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    learner_id: uuid.UUID
    organisation_id: uuid.UUID
    submitted_by_id: uuid.UUID
    verified_by_id: uuid.UUID | None

    class Meta:
        table = "portfolio_entry"
        indexes = (
            ("learner_id", "status"),
            ("learner_id", "event_date"),
            ("organisation_id", "status"),
        )


from models.learner import Learner  # noqa: E402
from models.organisation import Organisation, User  # noqa: E402
