"""Portfolio entries (A4, C1, T3): who submits, who verifies, optimistic concurrency."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from tortoise.expressions import F, Q

from authz.principal import Principal
from domain.assessments import learners_without_processing_consent
from domain.errors import BadInput, Conflict, ConsentRequired, Forbidden, NotFound
from models import Enrollment, GroupStaff, Learner, PortfolioEntry
from models.enums import EntryCategory, EntryLevel, EntryStatus, Role


@dataclass(frozen=True)
class EntryFields:
    title: str | None = None
    description: str | None = None
    result: str | None = None
    event_date: dt.date | None = None


def _clean(fields: EntryFields, today: dt.date) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if fields.title is not None:
        title = " ".join(fields.title.split())
        if not title or len(title) > 300:
            raise BadInput("title: 1–300 characters", field="title")
        out["title"] = title
    if fields.description is not None:
        if len(fields.description) > 5000:
            raise BadInput("description: at most 5,000 characters", field="description")
        out["description"] = fields.description.strip() or None
    if fields.result is not None:
        if len(fields.result) > 300:
            raise BadInput("result: at most 300 characters", field="result")
        out["result"] = fields.result.strip() or None
    if fields.event_date is not None:
        if fields.event_date > today:
            raise BadInput("eventDate must not be in the future", field="eventDate")
        if fields.event_date < dt.date(2000, 1, 1):
            raise BadInput("eventDate is implausibly early", field="eventDate")
        out["event_date"] = fields.event_date
    return out


async def _current_enrollment(learner_id: uuid.UUID, today: dt.date) -> Enrollment | None:
    return (
        await Enrollment.filter(
            Q(end_date=None) | Q(end_date__gte=today), learner_id=learner_id, start_date__lte=today
        )
        .order_by("-start_date")
        .first()
    )


async def add_entry(
    *,
    principal: Principal,
    learner: Learner,
    category: EntryCategory,
    level: EntryLevel,
    fields: EntryFields,
    today: dt.date,
) -> PortfolioEntry:
    """A4: entries by a supervisor or ORG_ADMIN are VERIFIED at once, others SUBMITTED."""
    values = _clean(fields, today)
    if "title" not in values or "event_date" not in values:
        raise BadInput("title and eventDate are required", field="title")
    if await learners_without_processing_consent([learner], today):
        raise ConsentRequired(
            f"no active PROCESSING consent for {learner.last_name} {learner.first_name}",
            clause="C1",
        )
    enrollment = await _current_enrollment(learner.id, today)
    if enrollment is None:
        raise BadInput(
            "the learner is not enrolled anywhere now: the entry has no organisation",
            field="learnerId",
        )
    verifier = enrollment.organisation_id in principal.organisations_with(Role.ORG_ADMIN) or (
        enrollment.group_id in principal.staffed_groups(supervisor_only=True)
    )
    return await PortfolioEntry.create(
        learner_id=learner.id,
        category=category,
        level=level,
        status=EntryStatus.VERIFIED if verifier else EntryStatus.SUBMITTED,
        organisation_id=enrollment.organisation_id,
        submitted_by_id=principal.user_id,
        verified_by_id=principal.user_id if verifier else None,
        **values,
    )


async def may_change(principal: Principal, entry: PortfolioEntry, today: dt.date) -> bool:
    """T3: staff of the owning organisation, or the author while the entry awaits checking."""
    if entry.organisation_id in principal.organisations_with(Role.ORG_ADMIN):
        return True
    if entry.submitted_by_id == principal.user_id:
        if entry.status == EntryStatus.SUBMITTED:
            return True
        enrollment = await _current_enrollment(entry.learner_id, today)
        return (
            enrollment is not None
            and enrollment.organisation_id == entry.organisation_id
            and enrollment.group_id in principal.staffed_groups()
        )
    return False


async def update_entry(
    *,
    principal: Principal,
    entry_id: uuid.UUID,
    version: int,
    fields: EntryFields,
    today: dt.date,
    visible: bool,
) -> PortfolioEntry:
    entry = await PortfolioEntry.get_or_none(id=entry_id)
    if entry is None or not visible:
        raise NotFound("entry not found", field="id")
    if not await may_change(principal, entry, today):
        raise Forbidden(
            "only the owning organisation or the author of a submitted entry changes it (T3, A4)",
            clause="T3",
        )
    values = _clean(fields, today)
    if not values:
        raise BadInput("nothing to change: give title, description, result or eventDate")
    changed = await PortfolioEntry.filter(id=entry.id, version=version).update(
        version=F("version") + 1, **values
    )
    if not changed:
        raise Conflict(
            f"entry {entry.id} changed since you read it (your version {version},"
            f" current {entry.version}): reload and retry"
        )
    return await PortfolioEntry.get(id=entry.id)


async def verify_entry(
    *,
    principal: Principal,
    entry_id: uuid.UUID,
    approve: bool,
    comment: str | None,
    today: dt.date,
    visible: bool,
) -> PortfolioEntry:
    """A4: a SUPERVISOR of the learner's group or an ORG_ADMIN of the owning organisation."""
    entry = await PortfolioEntry.get_or_none(id=entry_id)
    if entry is None or not visible:
        raise NotFound("entry not found", field="id")
    admin = entry.organisation_id in principal.organisations_with(Role.ORG_ADMIN)
    supervised = await GroupStaff.filter(
        user_id=principal.user_id,
        supervisor=True,
        group_id__in=[
            e.group_id
            for e in await Enrollment.filter(
                Q(end_date=None) | Q(end_date__gte=today),
                learner_id=entry.learner_id,
                organisation_id=entry.organisation_id,
            )
        ],
    ).exists()
    if not (admin or (supervised and principal.staffed_groups(supervisor_only=True))):
        raise Forbidden(
            "only the group supervisor or the ORG_ADMIN of the owning organisation "
            "verifies entries (A4)",
            clause="A4",
        )
    if entry.status != EntryStatus.SUBMITTED:
        raise Conflict(f"entry is already {entry.status}")
    if not approve and not (comment and comment.strip()):
        raise BadInput("comment: say why the entry is rejected", field="comment")
    await PortfolioEntry.filter(id=entry.id, version=entry.version).update(
        status=EntryStatus.VERIFIED if approve else EntryStatus.REJECTED,
        verified_by_id=principal.user_id,
        verification_comment=(comment or "").strip() or None,
        version=F("version") + 1,
    )
    return await PortfolioEntry.get(id=entry.id)
