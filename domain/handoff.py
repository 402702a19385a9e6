"""The handoff between organisations: roster look-up (T0) and what the receiver reads (T1).

Every function here answers a batch (several organisations or learners) with a fixed number of
queries, so GraphQL fields that call it per row stay N+1-free.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass

from tortoise.expressions import Q, Subquery

from authz.authorizer import AccessDecision
from authz.scopes import assessment_filter, learner_filter
from domain.academic_year import academic_year_bounds
from domain.errors import BadInput
from domain.names import name_key, normalise_name_part
from models import Assessment, Consent, Enrollment, Learner, Organisation
from models.enums import AssessmentPeriod, ConsentPurpose, OrganisationKind

PERIOD_ORDER = {AssessmentPeriod.START: 1, AssessmentPeriod.MIDDLE: 2, AssessmentPeriod.END: 3}


def _main_track() -> Q:
    """Kindergarten and school enrollments; additional education (УДО) runs alongside them."""
    return ~Q(
        organisation_id__in=Subquery(
            Organisation.filter(kind=OrganisationKind.ADDITIONAL_EDUCATION).values("id")
        )
    )


# --------------------------------------------------------------------------- T0


@dataclass(frozen=True)
class RosterMatch:
    """What a look-up reveals: an id and the current organisation's name, nothing else (T0)."""

    learner_id: uuid.UUID | None
    district_id: uuid.UUID | None
    current_organisation_name: str | None
    ambiguous: bool


async def find_learner(
    *,
    district_ids: frozenset[uuid.UUID],
    last_name: str,
    first_name: str,
    middle_name: str | None,
    birth_date: dt.date,
    today: dt.date,
) -> RosterMatch:
    """T0: exact normalised full name and birth date within the viewer's districts.

    Two or more matches are reported as ambiguous without an id: the learner is then
    identified by documents, never by guessing.
    """
    if not normalise_name_part(last_name):
        raise BadInput("lastName must not be empty", field="lastName")
    if not normalise_name_part(first_name):
        raise BadInput("firstName must not be empty", field="firstName")
    key = name_key(last_name, first_name, middle_name)
    rows = (
        await Learner.filter(
            district_id__in=list(district_ids), name_key=key, birth_date=birth_date
        )
        .limit(2)
        .values_list("id", "district_id")
    )
    if len(rows) != 1:
        return RosterMatch(None, None, None, ambiguous=len(rows) > 1)
    learner_id, district_id = rows[0]
    current = (
        await Enrollment.filter(_main_track(), learner_id=learner_id, start_date__lte=today)
        .filter(Q(end_date=None) | Q(end_date__gte=today))
        .select_related("organisation")
        .order_by("-start_date")
        .first()
    )
    return RosterMatch(
        learner_id=learner_id,
        district_id=district_id,
        current_organisation_name=current.organisation.name if current else None,
        ambiguous=False,
    )


# --------------------------------------------------------------------------- T1: incoming


@dataclass(frozen=True)
class IncomingRow:
    learner: Learner
    from_organisation_id: uuid.UUID
    transfer_consent: bool


async def incoming_learners(
    *,
    decision: AccessDecision,
    organisation_ids: list[uuid.UUID],
    academic_year: int,
    today: dt.date,
) -> dict[uuid.UUID, list[IncomingRow]]:
    """Learners whose enrollment in each organisation started in the academic year and who
    were enrolled in another organisation before; only those the decision lets the viewer read.
    """
    out: dict[uuid.UUID, list[IncomingRow]] = {i: [] for i in organisation_ids}
    if not decision.allowed or not organisation_ids:
        return out
    first_day, last_day = academic_year_bounds(academic_year)
    visible = Subquery(Learner.filter(learner_filter(decision, today)).values("id"))
    arrivals = await Enrollment.filter(
        organisation_id__in=organisation_ids,
        start_date__gte=first_day,
        start_date__lte=last_day,
        learner_id__in=visible,
    ).order_by("start_date")
    # The first enrollment of the year per (organisation, learner) is the arrival.
    arrival: dict[tuple[uuid.UUID, uuid.UUID], dt.date] = {}
    for e in arrivals:
        arrival.setdefault((e.organisation_id, e.learner_id), e.start_date)
    learner_ids = list({learner_id for _, learner_id in arrival})
    if not learner_ids:
        return out
    history: dict[uuid.UUID, list[Enrollment]] = defaultdict(list)
    for e in await Enrollment.filter(_main_track(), learner_id__in=learner_ids).order_by(
        "start_date", "created_at"
    ):
        history[e.learner_id].append(e)
    consenting = set(
        await Consent.filter(
            learner_id__in=learner_ids, purpose=ConsentPurpose.TRANSFER, withdrawn_at=None
        ).values_list("learner_id", flat=True)
    )
    learners = {row.id: row for row in await Learner.filter(id__in=learner_ids)}
    for (organisation_id, learner_id), started in arrival.items():
        earlier = [
            e
            for e in history[learner_id]
            if e.organisation_id != organisation_id and e.start_date < started
        ]
        if not earlier:
            continue
        out[organisation_id].append(
            IncomingRow(
                learner=learners[learner_id],
                from_organisation_id=earlier[-1].organisation_id,
                transfer_consent=learner_id in consenting,
            )
        )
    for rows in out.values():
        rows.sort(key=lambda r: (r.learner.last_name_key, r.learner.first_name, str(r.learner.id)))
    return out


# --------------------------------------------------------------------------- T1: summary


@dataclass(frozen=True)
class Transition:
    """What the previous organisation handed over, as far as the viewer may read it."""

    learner_id: uuid.UUID
    from_organisation_id: uuid.UUID
    academic_year: int
    assessments: list[Assessment]


def previous_organisation(
    enrollments: list[Enrollment],
) -> tuple[uuid.UUID, int] | None:
    """The organisation before the current one and the year of the last enrollment there.

    `enrollments` are the learner's kindergarten and school enrollments in start order; the
    current organisation is the one of the latest enrollment.
    """
    if not enrollments:
        return None
    current = enrollments[-1]
    earlier = [
        e
        for e in enrollments
        if e.organisation_id != current.organisation_id and e.start_date <= current.start_date
    ]
    if not earlier:
        return None
    previous = earlier[-1].organisation_id
    year = max(e.academic_year for e in enrollments if e.organisation_id == previous)
    return previous, year


async def transition_summaries(
    *,
    learner_ids: list[uuid.UUID],
    ordinary: AccessDecision,
    sensitive: AccessDecision,
    today: dt.date,
) -> dict[uuid.UUID, Transition | None]:
    """T1: the latest assessment per indicator of the previous organisation's last year.

    Records pass through the same `assessment_filter` as every other read, so without an
    active TRANSFER consent (C3) or PROCESSING consent (C2) nothing is handed over and the
    answer is None, exactly as when there is no history.
    """
    out: dict[uuid.UUID, Transition | None] = dict.fromkeys(learner_ids)
    if not (ordinary.allowed or sensitive.allowed) or not learner_ids:
        return out
    history: dict[uuid.UUID, list[Enrollment]] = defaultdict(list)
    for e in await Enrollment.filter(_main_track(), learner_id__in=learner_ids).order_by(
        "start_date", "created_at"
    ):
        history[e.learner_id].append(e)
    wanted: dict[uuid.UUID, tuple[uuid.UUID, int]] = {}
    for learner_id in learner_ids:
        found = previous_organisation(history[learner_id])
        if found is not None:
            wanted[learner_id] = found
    if not wanted:
        return out
    rows = (
        await Assessment.filter(
            learner_id__in=list(wanted),
            organisation_id__in=list({org for org, _ in wanted.values()}),
            academic_year__in=list({year for _, year in wanted.values()}),
        )
        .filter(assessment_filter(ordinary, sensitive, today))
        .select_related("indicator", "area")
    )
    latest: dict[uuid.UUID, dict[uuid.UUID, Assessment]] = defaultdict(dict)
    for row in rows:
        if wanted[row.learner_id] != (row.organisation_id, row.academic_year):
            continue
        per_indicator = latest[row.learner_id]
        held = per_indicator.get(row.indicator_id)
        if held is None or _recency(row) > _recency(held):
            per_indicator[row.indicator_id] = row
    for learner_id, per_indicator in latest.items():
        organisation_id, year = wanted[learner_id]
        ordered = sorted(
            per_indicator.values(),
            key=lambda a: (str(a.framework_id), a.area.position, a.indicator.position),
        )
        out[learner_id] = Transition(learner_id, organisation_id, year, ordered)
    return out


def _recency(assessment: Assessment) -> tuple[int, dt.datetime]:
    return PERIOD_ORDER[AssessmentPeriod(assessment.period)], assessment.assessed_at
