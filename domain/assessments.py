"""Recording diagnostics (A1, A2, C1, T3): a whole group's table in one all-or-nothing call."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from tortoise.expressions import Q

from authz.authorizer import AccessDecision
from authz.principal import Principal
from domain.errors import BadInput, ConsentRequired, Forbidden, NotFound
from models import (
    Assessment,
    AssessmentPeriodClosure,
    AssessmentRevision,
    Consent,
    DevelopmentArea,
    Enrollment,
    Framework,
    Group,
    Indicator,
    Learner,
)
from models.enums import AssessmentPeriod, ConsentPurpose, Role

ADULT_AGE = 18


@dataclass(frozen=True)
class AssessmentItem:
    learner_id: uuid.UUID
    indicator_id: uuid.UUID
    level: int
    comment: str | None


def age_on(birth_date: dt.date, day: dt.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


async def learners_without_processing_consent(
    learners: list[Learner], today: dt.date
) -> list[Learner]:
    """C1: minors need an active PROCESSING consent before any content is created."""
    minors = [row for row in learners if age_on(row.birth_date, today) < ADULT_AGE]
    consenting = set(
        await Consent.filter(
            learner_id__in=[m.id for m in minors],
            purpose=ConsentPurpose.PROCESSING,
            withdrawn_at=None,
        ).values_list("learner_id", flat=True)
    )
    return [m for m in minors if m.id not in consenting]


async def record_assessments(
    *,
    principal: Principal,
    ordinary: AccessDecision,
    sensitive: AccessDecision,
    closed_period_override: AccessDecision,
    academic_year: int,
    period: AssessmentPeriod,
    items: list[AssessmentItem],
    reason: str | None,
    now: dt.datetime,
) -> list[Assessment]:
    """Validate every item first, then write: one failing item leaves nothing written."""
    if not items:
        raise BadInput("items must not be empty", field="items")
    if len(items) > 2000:
        raise BadInput("at most 2,000 items per call", field="items")
    seen: set[tuple[uuid.UUID, uuid.UUID]] = set()
    for index, item in enumerate(items):
        key = (item.learner_id, item.indicator_id)
        if key in seen:
            raise BadInput(
                f"items[{index}]: the same learner and indicator twice", field=f"items[{index}]"
            )
        seen.add(key)

    indicators = {
        i.id: i for i in await Indicator.filter(id__in=list({i.indicator_id for i in items}))
    }
    areas = {
        a.id: a
        for a in await DevelopmentArea.filter(id__in=list({i.area_id for i in indicators.values()}))
    }
    frameworks = {
        f.id: f
        for f in await Framework.filter(id__in=list({a.framework_id for a in areas.values()}))
    }
    learners = {
        row.id: row for row in await Learner.filter(id__in=list({i.learner_id for i in items}))
    }

    # The writer's groups: open enrollments of this academic year in groups they may write for.
    enrollments = await Enrollment.filter(
        learner_id__in=list(learners), academic_year=academic_year, end_date=None
    )
    groups = {g.id: g for g in await Group.filter(id__in=list({e.group_id for e in enrollments}))}
    closed = {
        (c.group_id, c.period)
        for c in await AssessmentPeriodClosure.filter(
            group_id__in=list(groups), academic_year=academic_year
        )
    }
    educator_groups = principal.staffed_groups()
    psychologist_orgs = principal.organisations_with(Role.PSYCHOLOGIST)
    admin_orgs = principal.organisations_with(Role.ORG_ADMIN)

    plan: list[tuple[AssessmentItem, Indicator, Framework, Group]] = []
    for index, item in enumerate(items):
        where = f"items[{index}]"
        indicator = indicators.get(item.indicator_id)
        if indicator is None:
            raise BadInput(f"{where}.indicatorId: no such indicator", field=f"{where}.indicatorId")
        framework = frameworks[areas[indicator.area_id].framework_id]
        allowed_levels = [s["value"] for s in framework.scale]
        if item.level not in allowed_levels:
            raise BadInput(
                f"{where}.level: {item.level} is not on the scale of {framework.code}"
                f" ({', '.join(map(str, allowed_levels))})",
                field=f"{where}.level",
            )
        if item.comment is not None and len(item.comment) > 1000:
            raise BadInput(f"{where}.comment: at most 1,000 characters", field=f"{where}.comment")
        learner = learners.get(item.learner_id)
        own = [e for e in enrollments if e.learner_id == item.learner_id]
        group = None
        for enrollment in own:
            g = groups[enrollment.group_id]
            if framework.sensitive:
                if sensitive.allowed and g.organisation_id in psychologist_orgs:
                    group = g
            elif (ordinary.allowed and g.id in educator_groups) or (
                closed_period_override.allowed and g.organisation_id in admin_orgs
            ):
                group = g
        if learner is None or group is None:
            raise NotFound(
                f"{where}.learnerId: no learner with an open enrollment in {academic_year}"
                " in a group you record for",
                field=f"{where}.learnerId",
                clause="R7" if framework.sensitive else "R6",
            )
        if (group.id, period) in closed and group.organisation_id not in admin_orgs:
            raise Forbidden(
                f"{where}: period {period.value} of {academic_year} is closed for group"
                f" «{group.name}»; only an ORG_ADMIN changes it",
                clause="A2",
            )
        if (group.id, period) in closed and not (reason and reason.strip()):
            raise BadInput("reason: changing a closed period needs a reason (A2)", field="reason")
        plan.append((item, indicator, framework, group))

    missing = await learners_without_processing_consent(list(learners.values()), now.date())
    if missing:
        names = ", ".join(f"{m.last_name} {m.first_name}" for m in missing[:5])
        raise ConsentRequired(
            f"no active PROCESSING consent for {len(missing)} learner(s): {names}", clause="C1"
        )

    existing = {
        (a.learner_id, a.indicator_id): a
        for a in await Assessment.filter(
            Q(learner_id__in=list(learners)),
            indicator_id__in=list(indicators),
            academic_year=academic_year,
            period=period,
        )
    }
    created: list[Assessment] = []
    revisions: list[AssessmentRevision] = []
    result: list[Assessment] = []
    for item, indicator, framework, group in plan:
        current = existing.get((item.learner_id, item.indicator_id))
        if current is not None:
            if current.organisation_id != group.organisation_id:
                raise Forbidden(
                    "this assessment belongs to the organisation that recorded it (T3)",
                    clause="T3",
                )
            revisions.append(
                AssessmentRevision(
                    id=uuid.uuid4(),
                    assessment_id=current.id,
                    level=current.level,
                    comment=current.comment,
                    assessed_by_id=current.assessed_by_id,
                    assessed_at=current.assessed_at,
                    replaced_at=now,
                    reason=reason,
                )
            )
            current.level = item.level
            current.comment = item.comment
            current.assessed_by_id = principal.user_id
            current.assessed_at = now
            await current.save(update_fields=["level", "comment", "assessed_by_id", "assessed_at"])
            result.append(current)
        else:
            row = Assessment(
                id=uuid.uuid4(),
                learner_id=item.learner_id,
                indicator_id=indicator.id,
                area_id=indicator.area_id,
                framework_id=framework.id,
                academic_year=academic_year,
                period=period,
                level=item.level,
                comment=item.comment,
                organisation_id=group.organisation_id,
                assessed_by_id=principal.user_id,
                assessed_at=now,
            )
            created.append(row)
            result.append(row)
    if revisions:
        await AssessmentRevision.bulk_create(revisions)
    if created:
        await Assessment.bulk_create(created, batch_size=500)
    return result


async def close_period(
    *, group: Group, academic_year: int, period: AssessmentPeriod, closed_by: uuid.UUID
) -> Group:
    """A2: closing twice is harmless; the first closure is kept."""
    if academic_year != group.academic_year:
        raise BadInput(
            f"academicYear: group «{group.name}» belongs to {group.academic_year}",
            field="academicYear",
        )
    await AssessmentPeriodClosure.get_or_create(
        group_id=group.id,
        academic_year=academic_year,
        period=period,
        defaults={"closed_by_id": closed_by},
    )
    return group
