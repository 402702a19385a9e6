"""Enrollments (R5): a learner in a group of one academic year, from startDate to endDate.

Kindergartens and schools enrol a child one at a time: a second open enrollment in the same
academic year would leave two organisations reading the record (and T2's 90 days would never
start). Additional education (УДО) runs alongside school, so its enrollments are checked only
against the same group.
"""

from __future__ import annotations

import datetime as dt
import uuid

from tortoise.expressions import Q, Subquery

from domain.academic_year import academic_year_bounds
from domain.errors import BadInput, Conflict, NotFound
from models import Enrollment, Group, Learner, Organisation
from models.enums import OrganisationKind


def _additional_education() -> Subquery:
    return Subquery(Organisation.filter(kind=OrganisationKind.ADDITIONAL_EDUCATION).values("id"))


def _describe(enrollment: Enrollment) -> str:
    return (
        f"enrollment {enrollment.id} in {enrollment.group.name} of "
        f"«{enrollment.organisation.name}» from {enrollment.start_date.isoformat()}"
    )


async def enrol(
    *, learner: Learner, group: Group, organisation: Organisation, start_date: dt.date
) -> Enrollment:
    """R5: enrol a learner of the district in a group; the record is reused, never copied."""
    first_day, last_day = academic_year_bounds(group.academic_year)
    if not first_day <= start_date <= last_day:
        raise BadInput(
            f"startDate {start_date.isoformat()} is outside the group's academic year "
            f"{group.academic_year}/{(group.academic_year + 1) % 100:02d} "
            f"({first_day.isoformat()} – {last_day.isoformat()})",
            field="startDate",
        )
    # Serialise enrolments of one learner so two admins cannot both pass the checks below.
    await Learner.filter(id=learner.id).select_for_update().first()
    mine = Enrollment.filter(learner_id=learner.id)
    if organisation.kind == OrganisationKind.ADDITIONAL_EDUCATION:
        mine = mine.filter(group_id=group.id)
    else:
        mine = mine.filter(~Q(organisation_id__in=_additional_education()))
    open_same_year = (
        await mine.filter(end_date=None, academic_year=group.academic_year)
        .select_related("group", "organisation")
        .order_by("start_date")
        .first()
    )
    if open_same_year is not None:
        raise Conflict(
            f"the learner has an open {_describe(open_same_year)} in the same academic year:"
            " end it before enrolling again",
            field="learnerId",
        )
    previous = (
        await mine.filter(start_date__lte=start_date, end_date__gt=start_date)
        .select_related("group", "organisation")
        .order_by("-end_date")
        .first()
    )
    if previous is not None:
        assert previous.end_date is not None
        raise BadInput(
            f"startDate {start_date.isoformat()} is before the end "
            f"({previous.end_date.isoformat()}) of the previous {_describe(previous)}",
            field="startDate",
        )
    return await Enrollment.create(
        learner_id=learner.id,
        group_id=group.id,
        organisation_id=group.organisation_id,
        academic_year=group.academic_year,
        start_date=start_date,
    )


async def end_enrollment(*, enrollment: Enrollment, end_date: dt.date) -> Enrollment:
    """R5: the end date starts T2's 90 days; it is set once, within the group's academic year."""
    if end_date < enrollment.start_date:
        raise BadInput(
            f"endDate {end_date.isoformat()} is before the startDate "
            f"{enrollment.start_date.isoformat()}",
            field="endDate",
        )
    _, last_day = academic_year_bounds(enrollment.academic_year)
    if end_date > last_day:
        raise BadInput(
            f"endDate {end_date.isoformat()} is after the end of the group's academic year "
            f"({last_day.isoformat()})",
            field="endDate",
        )
    if enrollment.end_date is not None:
        raise Conflict(
            f"enrollment {enrollment.id} already ended on {enrollment.end_date.isoformat()}"
        )
    # Conditional update: of two concurrent requests only one ends the enrollment.
    updated = await Enrollment.filter(id=enrollment.id, end_date=None).update(end_date=end_date)
    if not updated:
        raise Conflict(f"enrollment {enrollment.id} was ended by another request")
    enrollment.end_date = end_date
    return enrollment


async def get_enrollment(enrollment_id: uuid.UUID) -> Enrollment:
    enrollment = await Enrollment.filter(id=enrollment_id).select_related("organisation").first()
    if enrollment is None:
        raise NotFound("enrollment not found", field="enrollmentId")
    return enrollment
