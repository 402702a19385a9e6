"""The access log (L1–L4): events collected per request, appended in one batch, hash-chained.

Each district has its own chain; an event's hash covers its content and the previous hash,
so a changed, removed or reordered event breaks verification from that point on.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from models import AuditChainHead, AuditEvent
from models.enums import Decision

GENESIS_HASH = "0" * 64
NO_DISTRICT = "global"


@dataclass(frozen=True)
class PendingEvent:
    district_id: uuid.UUID | None
    actor_id: uuid.UUID | None
    role: str | None
    organisation_id: uuid.UUID | None
    action: str
    resource: str
    section: str | None
    learner_id: uuid.UUID | None
    decision: Decision
    clause: str | None


def event_hash(prev_hash: str, event: AuditEvent) -> str:
    payload = json.dumps(
        [
            str(event.id),
            str(event.district_id) if event.district_id else None,
            event.seq,
            event.at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
            str(event.actor_id) if event.actor_id else None,
            event.role,
            str(event.organisation_id) if event.organisation_id else None,
            event.action,
            event.resource,
            event.section,
            str(event.learner_id) if event.learner_id else None,
            str(event.decision),
            event.clause,
            event.request_id,
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256((prev_hash + payload).encode()).hexdigest()


def pseudonym(key: str, learner_id: uuid.UUID) -> str:
    """L4/R4: auditors see a keyed hash, stable per learner, not reversible without the key."""
    return hmac.new(key.encode(), str(learner_id).encode(), hashlib.sha256).hexdigest()[:20]


@dataclass
class AuditRecorder:
    """Collects the events of one request: one per learner, action and decision (L1).

    Several sections read for the same learner in one request become one event whose
    `section` lists them, so a screen of 30 learners writes 30 events, not one per field.
    """

    request_id: str
    pending: dict[tuple[object, ...], PendingEvent] = field(default_factory=dict)
    sections: dict[tuple[object, ...], set[str]] = field(default_factory=dict)
    clauses: dict[tuple[object, ...], list[str]] = field(default_factory=dict)

    def record(self, event: PendingEvent) -> None:
        key: tuple[object, ...] = (event.learner_id, event.action, event.decision)
        if event.learner_id is None:
            key = (*key, event.resource, event.clause)
        self.pending.setdefault(key, event)
        if event.clause:
            seen = self.clauses.setdefault(key, [])
            if event.clause not in seen:
                seen.append(event.clause)
        if event.section:
            self.sections.setdefault(key, set()).add(event.section)

    def record_many(self, events: Iterable[PendingEvent]) -> None:
        for event in events:
            self.record(event)

    def take(self, *, refusals_only: bool = False) -> list[PendingEvent]:
        taken: list[PendingEvent] = []
        for key, event in self.pending.items():
            if refusals_only and event.decision != Decision.DENY:
                continue
            sections = self.sections.get(key)
            if sections:
                event = replace(event, section=",".join(sorted(sections))[:64])
            clauses = self.clauses.get(key)
            if clauses and len(clauses) > 1:
                # Every clause that let this request read the learner, e.g. "R6,T1".
                event = replace(event, clause=",".join(clauses)[:16])
            taken.append(event)
        self.pending.clear()
        self.sections.clear()
        self.clauses.clear()
        return taken

    async def flush(self, connection: BaseDBAsyncClient | None = None) -> int:
        events = self.take()
        if not events:
            return 0
        if connection is not None:
            await append_events(events, request_id=self.request_id, connection=connection)
        else:
            async with in_transaction() as conn:
                await append_events(events, request_id=self.request_id, connection=conn)
        return len(events)


async def append_events(
    events: list[PendingEvent], *, request_id: str | None, connection: BaseDBAsyncClient
) -> list[AuditEvent]:
    """Append a batch: one head read and one write per district, one multi-row insert."""
    now = dt.datetime.now(dt.UTC)
    by_chain: dict[str, list[PendingEvent]] = {}
    for event in events:
        chain = str(event.district_id) if event.district_id else NO_DISTRICT
        by_chain.setdefault(chain, []).append(event)
    rows: list[AuditEvent] = []
    for chain, chain_events in sorted(by_chain.items()):
        head = (
            await AuditChainHead.filter(chain=chain)
            .using_db(connection)
            .select_for_update()
            .first()
        )
        seq, prev = (head.seq, head.hash) if head else (0, GENESIS_HASH)
        for pending in chain_events:
            seq += 1
            row = AuditEvent(
                id=uuid.uuid4(),
                district_id=pending.district_id,
                seq=seq,
                at=now,
                actor_id=pending.actor_id,
                role=pending.role,
                organisation_id=pending.organisation_id,
                action=pending.action,
                resource=pending.resource,
                section=pending.section,
                learner_id=pending.learner_id,
                decision=pending.decision,
                clause=pending.clause,
                request_id=request_id,
                prev_hash=prev,
            )
            row.hash = event_hash(prev, row)
            prev = row.hash
            rows.append(row)
        if head:
            await AuditChainHead.filter(chain=chain).using_db(connection).update(seq=seq, hash=prev)
        else:
            await AuditChainHead.create(chain=chain, seq=seq, hash=prev, using_db=connection)
    await AuditEvent.bulk_create(rows, using_db=connection)
    return rows


@dataclass(frozen=True)
class ChainStatus:
    valid: bool
    events: int
    first_invalid_event_id: uuid.UUID | None


async def verify_chain(district_id: uuid.UUID | None, *, batch: int = 5000) -> ChainStatus:
    """L3: recompute every hash of the district's chain in order, in batches."""
    prev = GENESIS_HASH
    expected_seq = 1
    count = 0
    while True:
        query = AuditEvent.filter(district_id=district_id, seq__gte=expected_seq)
        rows = await query.order_by("seq").limit(batch)
        if not rows:
            break
        for row in rows:
            if (
                row.seq != expected_seq
                or row.prev_hash != prev
                or event_hash(prev, row) != row.hash
            ):
                return ChainStatus(False, count, row.id)
            prev = row.hash
            expected_seq += 1
            count += 1
    chain = str(district_id) if district_id else NO_DISTRICT
    head = await AuditChainHead.filter(chain=chain).first()
    if head is not None and (head.seq != count or head.hash != prev):
        # Events at the end of the chain were removed.
        return ChainStatus(False, count, None)
    return ChainStatus(True, count, None)
