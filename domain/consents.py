"""Consents (C1–C3): each giving is a new row; a withdrawal stamps that row once, never deletes.

A guardian gives consent in person (given_by = recorded_by = the guardian). An ORG_ADMIN
records a signed paper form instead: the form number is the evidence, the signer may have no
account, so given_by stays null and recorded_by names the admin (R5).
"""

from __future__ import annotations

import datetime as dt
import uuid

from domain.errors import BadInput, Conflict
from models import Consent, Learner
from models.enums import ConsentPurpose

DOCUMENT_REF_MAX = 100


def clean_document_ref(document_ref: str | None) -> str | None:
    text = " ".join((document_ref or "").split())
    if len(text) > DOCUMENT_REF_MAX:
        raise BadInput(
            f"documentRef must be at most {DOCUMENT_REF_MAX} characters", field="documentRef"
        )
    return text or None


async def give_consent(
    *,
    learner: Learner,
    purpose: ConsentPurpose,
    recorded_by: uuid.UUID,
    given_by: uuid.UUID | None,
    document_ref: str | None,
) -> Consent:
    """C1, C3: one active consent per purpose; history rows stay as they were."""
    if given_by is None and document_ref is None:
        raise BadInput(
            "documentRef is required when an ORG_ADMIN records a signed paper form (C1)",
            field="documentRef",
        )
    await Learner.filter(id=learner.id).select_for_update().first()
    active = await Consent.filter(learner_id=learner.id, purpose=purpose, withdrawn_at=None).first()
    if active is not None:
        raise Conflict(
            f"an active {purpose.value} consent already exists (consent {active.id}, "
            f"given {active.given_at.date().isoformat()}): withdraw it before giving a new one",
            field="purpose",
        )
    return await Consent.create(
        learner_id=learner.id,
        purpose=purpose,
        given_by_id=given_by,
        recorded_by_id=recorded_by,
        document_ref=document_ref,
        given_at=dt.datetime.now(dt.UTC),
    )


async def withdraw_consent(*, consent: Consent, withdrawn_by: uuid.UUID) -> Consent:
    """C2: stamp the withdrawal once; PROCESSING withdrawal starts the 30 days to erasure."""
    if consent.withdrawn_at is not None:
        raise Conflict(
            f"consent {consent.id} was already withdrawn on "
            f"{consent.withdrawn_at.date().isoformat()}"
        )
    now = dt.datetime.now(dt.UTC)
    updated = await Consent.filter(id=consent.id, withdrawn_at=None).update(
        withdrawn_at=now, withdrawn_by_id=withdrawn_by
    )
    if not updated:
        raise Conflict(f"consent {consent.id} was withdrawn by another request")
    consent.withdrawn_at = now
    consent.withdrawn_by_id = withdrawn_by
    return consent
