"""C2 erasure: 30 days after a PROCESSING consent is withdrawn, the learner's content goes.

Content is the diagnostics (assessments with their revisions) and the portfolio entries; the
roster record, enrollments, consents and the access log stay. Each erased learner leaves a
destruction record (under a pseudonym) and one audit event, written in the same transaction
as the deletion, so the log's chain shows the erasure and stays verifiable.

Idempotent: a learner counts as due only while content_erased_at is older than the latest
withdrawal, so a second run (or a concurrent one) finds nothing left to do, while a learner
who consents again and withdraws again is erased again.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import Q, Subquery
from tortoise.transactions import in_transaction

from authz.audit import PendingEvent, append_events, pseudonym
from models import (
    Assessment,
    AssessmentRevision,
    Consent,
    DestructionRecord,
    Learner,
    PortfolioEntry,
)
from models.enums import ConsentPurpose, Decision

RETENTION_DAYS = 30
DEFAULT_BATCH = 200
REASON = "отзыв согласия на обработку персональных данных (C2)"
CATEGORIES = ("assessments", "assessment_revisions", "portfolio_entries")


@dataclass
class ErasureSummary:
    today: dt.date
    cutoff: dt.datetime
    learners: int = 0
    batches: int = 0
    counts: Counter[str] = field(default_factory=Counter)

    def as_dict(self) -> dict[str, object]:
        return {
            "today": self.today.isoformat(),
            "withdrawnBefore": self.cutoff.isoformat(),
            "learners": self.learners,
            "batches": self.batches,
            "erased": {c: self.counts[c] for c in CATEGORIES},
        }


def cutoff_for(today: dt.date) -> dt.datetime:
    """Withdrawals before this instant are more than 30 days old on `today`."""
    day = today - dt.timedelta(days=RETENTION_DAYS)
    return dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC)


async def _due(learner_ids: list[uuid.UUID] | None, cutoff: dt.datetime) -> list[uuid.UUID]:
    """Learners whose latest PROCESSING withdrawal is older than the cutoff, with no active
    PROCESSING consent, and whose content was not erased since that withdrawal."""
    blocking = Subquery(
        Consent.filter(purpose=ConsentPurpose.PROCESSING)
        .filter(Q(withdrawn_at=None) | Q(withdrawn_at__gte=cutoff))
        .values("learner_id")
    )
    query = Consent.filter(purpose=ConsentPurpose.PROCESSING, withdrawn_at__lt=cutoff).exclude(
        learner_id__in=blocking
    )
    if learner_ids is not None:
        query = query.filter(learner_id__in=learner_ids)
    latest: dict[uuid.UUID, dt.datetime] = {}
    for learner_id, withdrawn_at in await query.values_list("learner_id", "withdrawn_at"):
        if learner_id not in latest or withdrawn_at > latest[learner_id]:
            latest[learner_id] = withdrawn_at
    if not latest:
        return []
    erased = dict(await Learner.filter(id__in=list(latest)).values_list("id", "content_erased_at"))
    due = [
        learner_id
        for learner_id, last in latest.items()
        if learner_id in erased and (erased[learner_id] is None or erased[learner_id] < last)
    ]
    return sorted(due, key=str)


async def erase_due(
    *,
    today: dt.date,
    pseudonym_key: str,
    batch_size: int = DEFAULT_BATCH,
    progress: Callable[[str], None] | None = None,
) -> ErasureSummary:
    """Erase the content of every learner due on `today`, one transaction per batch."""
    summary = ErasureSummary(today=today, cutoff=cutoff_for(today))
    candidates = await _due(None, summary.cutoff)
    total = len(candidates)
    for start in range(0, total, batch_size):
        batch = candidates[start : start + batch_size]
        async with in_transaction() as connection:
            # Lock the batch and check again: a consent given meanwhile, or a concurrent run
            # that got here first, takes the learner out of it.
            await Learner.filter(id__in=batch).select_for_update().values_list("id", flat=True)
            batch = await _due(batch, summary.cutoff)
            if batch:
                counts = await _erase(batch, pseudonym_key, connection, today)
                summary.counts.update(counts)
                summary.learners += len(batch)
        summary.batches += 1
        if progress is not None:
            done = min(start + batch_size, total)
            progress(f"erase-due: {done}/{total} learners checked, {summary.learners} erased")
    return summary


async def _erase(
    learner_ids: list[uuid.UUID], pseudonym_key: str, connection: BaseDBAsyncClient, today: dt.date
) -> Counter[str]:
    now = dt.datetime.now(dt.UTC)
    per_learner: dict[uuid.UUID, Counter[str]] = {i: Counter() for i in learner_ids}
    assessment_ids = Subquery(Assessment.filter(learner_id__in=learner_ids).values("id"))
    for learner_id in await AssessmentRevision.filter(assessment_id__in=assessment_ids).values_list(
        "assessment__learner_id", flat=True
    ):
        per_learner[learner_id]["assessment_revisions"] += 1  # type: ignore[index]
    for learner_id in await Assessment.filter(learner_id__in=learner_ids).values_list(
        "learner_id", flat=True
    ):
        per_learner[learner_id]["assessments"] += 1  # type: ignore[index]
    for learner_id in await PortfolioEntry.filter(learner_id__in=learner_ids).values_list(
        "learner_id", flat=True
    ):
        per_learner[learner_id]["portfolio_entries"] += 1  # type: ignore[index]
    await AssessmentRevision.filter(
        assessment_id__in=Subquery(Assessment.filter(learner_id__in=learner_ids).values("id"))
    ).delete()
    await Assessment.filter(learner_id__in=learner_ids).delete()
    await PortfolioEntry.filter(learner_id__in=learner_ids).delete()
    await Learner.filter(id__in=learner_ids).update(content_erased_at=now)
    districts = dict(await Learner.filter(id__in=learner_ids).values_list("id", "district_id"))
    await DestructionRecord.bulk_create(
        [
            DestructionRecord(
                id=uuid.uuid4(),
                district_id=districts[learner_id],
                learner_ref=pseudonym(pseudonym_key, learner_id),
                categories=",".join(CATEGORIES),
                reason=REASON,
                erased_at=now,
                counts={c: per_learner[learner_id][c] for c in CATEGORIES},
            )
            for learner_id in learner_ids
        ]
    )
    await append_events(
        [
            PendingEvent(
                district_id=districts[learner_id],
                actor_id=None,
                role=None,
                organisation_id=None,
                action="erase",
                resource="learner",
                section="content",
                learner_id=learner_id,
                decision=Decision.ALLOW,
                clause="C2",
            )
            for learner_id in learner_ids
        ],
        request_id=f"erase-due:{today.isoformat()}",
        connection=connection,
    )
    total: Counter[str] = Counter()
    for counts in per_learner.values():
        total.update(counts)
    return total
