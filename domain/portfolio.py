"""D1: whether a learner's portfolio is formed for an academic year, for a batch of learners."""

from __future__ import annotations

import uuid
from collections import defaultdict
from typing import Any

from tortoise.expressions import Q

from domain.academic_year import academic_year_bounds
from models import (
    Assessment,
    Consent,
    DevelopmentArea,
    Enrollment,
    Framework,
    Organisation,
    PortfolioEntry,
)
from models.enums import ConsentPurpose, EntryStatus, OrganisationKind

PRESCHOOL_FRAMEWORK = "FGOS_DO"


async def formed_portfolios(learner_ids: list[uuid.UUID], academic_year: int) -> set[uuid.UUID]:
    """Preschool: every ФГОС ДО area assessed that year; school: an assessment outside the
    sensitive section or a verified entry that year (the same rule as `domain.reports`).
    Always with an active PROCESSING consent. A fixed number of queries."""
    start, end = academic_year_bounds(academic_year)
    consenting = set(
        await Consent.filter(
            learner_id__in=learner_ids, purpose=ConsentPurpose.PROCESSING, withdrawn_at=None
        ).values_list("learner_id", flat=True)
    )
    if not consenting:
        return set()
    enrollments = await Enrollment.filter(
        Q(end_date=None) | Q(end_date__gte=start),
        learner_id__in=list(consenting),
        start_date__lte=end,
    ).values_list("learner_id", "organisation_id")
    kinds = dict(
        await Organisation.filter(id__in=list({o for _, o in enrollments})).values_list(
            "id", "kind"
        )
    )
    preschool = {lid for lid, org in enrollments if kinds.get(org) == OrganisationKind.PRESCHOOL}
    school = {lid for lid, org in enrollments if kinds.get(org) != OrganisationKind.PRESCHOOL}
    formed: set[uuid.UUID] = set()
    if preschool:
        framework = await Framework.get(code=PRESCHOOL_FRAMEWORK)
        area_count = await DevelopmentArea.filter(framework_id=framework.id).count()
        areas: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
        for lid, area in (
            await Assessment.filter(
                learner_id__in=list(preschool),
                framework_id=framework.id,
                academic_year=academic_year,
            )
            .distinct()
            .values_list("learner_id", "area_id")
        ):
            areas[lid].add(area)
        formed |= {lid for lid, found in areas.items() if len(found) == area_count}
    if school:
        assessed: list[Any] = (
            await Assessment.filter(
                learner_id__in=list(school),
                academic_year=academic_year,
                framework__sensitive=False,  # as the coverage report: no psychological section
            )
            .distinct()
            .values_list("learner_id", flat=True)
        )
        formed |= set(assessed)
        verified: list[Any] = (
            await PortfolioEntry.filter(
                learner_id__in=list(school),
                status=EntryStatus.VERIFIED,
                event_date__gte=start,
                event_date__lte=end,
            )
            .distinct()
            .values_list("learner_id", flat=True)
        )
        formed |= set(verified)
    return formed
