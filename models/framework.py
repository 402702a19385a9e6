"""The reference catalogue: frameworks of indicators with their level scales."""

from __future__ import annotations

import uuid
from typing import Any

from tortoise import fields
from tortoise.models import Model

from models.enums import EducationLevel


class Framework(Model):
    """A system of indicators (e.g. ФГОС ДО pedagogical diagnostics) with its level scale."""

    id = fields.UUIDField(primary_key=True, default=uuid.uuid4)
    code = fields.CharField(max_length=64, unique=True)
    name = fields.CharField(max_length=300)
    level = fields.CharEnumField(EducationLevel, max_length=16)
    sensitive = fields.BooleanField(default=False)
    # [{"value": 1, "label": "не сформирован"}, ...]
    scale: Any = fields.JSONField()

    class Meta:
        table = "framework"


class DevelopmentArea(Model):
    id = fields.UUIDField(primary_key=True, default=uuid.uuid4)
    framework: fields.ForeignKeyRelation[Framework] = fields.ForeignKeyField(
        "models.Framework", related_name="areas", on_delete=fields.RESTRICT
    )
    code = fields.CharField(max_length=64)
    name = fields.CharField(max_length=300)
    position = fields.SmallIntField()

    framework_id: uuid.UUID

    class Meta:
        table = "development_area"
        unique_together = (("framework", "code"),)


class Indicator(Model):
    id = fields.UUIDField(primary_key=True, default=uuid.uuid4)
    area: fields.ForeignKeyRelation[DevelopmentArea] = fields.ForeignKeyField(
        "models.DevelopmentArea", related_name="indicators", on_delete=fields.RESTRICT
    )
    code = fields.CharField(max_length=64)
    name = fields.CharField(max_length=500)
    position = fields.SmallIntField()

    area_id: uuid.UUID

    class Meta:
        table = "indicator"
        unique_together = (("area", "code"),)
