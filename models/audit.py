"""The access log (L1–L3): append-only, hash-chained per district."""

from __future__ import annotations

import uuid

from tortoise import fields
from tortoise.models import Model

from models.enums import Decision


class AuditEvent(Model):
    id = fields.UUIDField(primary_key=True, default=uuid.uuid4)
    # Position in the district's chain; (district, seq) is unique so the chain cannot fork.
    district_id = fields.UUIDField(null=True)
    seq = fields.BigIntField()
    at = fields.DatetimeField()
    actor_id = fields.UUIDField(null=True)
    role = fields.CharField(max_length=32, null=True)
    organisation_id = fields.UUIDField(null=True)
    action = fields.CharField(max_length=32)
    resource = fields.CharField(max_length=32)
    section = fields.CharField(max_length=64, null=True)
    # Plain ids, not foreign keys: the log outlives erasure of the content it describes.
    learner_id = fields.UUIDField(null=True)
    decision = fields.CharEnumField(Decision, max_length=8)
    clause = fields.CharField(max_length=16, null=True)
    request_id = fields.CharField(max_length=64, null=True)
    prev_hash = fields.CharField(max_length=64)
    hash = fields.CharField(max_length=64)

    class Meta:
        table = "audit_event"
        unique_together = (("district_id", "seq"),)
        indexes = (("learner_id", "at"), ("actor_id", "at"), ("district_id", "at"))


class DestructionRecord(Model):
    """C2: what was erased for a learner, kept after the erasure."""

    id = fields.UUIDField(primary_key=True, default=uuid.uuid4)
    district_id = fields.UUIDField()
    learner_ref = fields.CharField(max_length=64)
    categories = fields.CharField(max_length=200)
    reason = fields.CharField(max_length=300)
    erased_at = fields.DatetimeField()
    counts: dict[str, int] = fields.JSONField(default=dict)

    class Meta:
        table = "destruction_record"
        indexes = (("district_id", "erased_at"),)


class AuditChainHead(Model):
    """The last link of a district's chain: locked while a batch is appended."""

    chain = fields.CharField(max_length=36, primary_key=True)
    seq = fields.BigIntField()
    hash = fields.CharField(max_length=64)

    class Meta:
        table = "audit_chain_head"
