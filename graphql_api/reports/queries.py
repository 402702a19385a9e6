"""coverageReport, coverageByGroup and developmentStatistics: one decision and one audit event
per request (reports carry no learner ids, so the event's learner is empty)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from authz.authorizer import TENANCY_CLAUSE, AccessDecision
from domain import reports
from domain.errors import Forbidden
from graphql_api.context import Context
from graphql_api.pagination import parse_id
from graphql_api.reports import types as t
from graphql_api.reports.inputs import DevelopmentStatisticsInput
from models import District, Organisation
from models.enums import AssessmentPeriod

COVERAGE = "coverage_report"
STATISTICS = "statistics"
DISTRICT_SCOPE = "district"
ORGANISATION_SCOPE = "my_organisation"
AGGREGATES_SCOPE = "district_aggregates"


@dataclass(frozen=True)
class AuthorizedCoverage:
    district: District
    coverage: reports.Coverage


def _district_wide(decision: AccessDecision, scope: str, district_id: uuid.UUID) -> bool:
    return any(g.scope == scope and district_id in g.district_ids for g in decision.grants)


def _refuse_as_missing(ctx: Context, decision: AccessDecision) -> None:
    """Outside the scope answers like missing (R1); the refusal is still logged (L2)."""
    ctx.record(decision, [None], allowed=False, clause=TENANCY_CLAUSE)


async def authorized_coverage(
    ctx: Context,
    *,
    action: str,
    district_id: uuid.UUID,
    academic_year: int,
    organisation_id: uuid.UUID | None = None,
) -> AuthorizedCoverage | None:
    """D1 for the query and the exports alike: FORBIDDEN when no role has a coverage row,
    None for a district (or organisation) outside the viewer's scope, else the rows the
    scope allows — the whole district, or an ORG_ADMIN's own organisation(s)."""
    ctx.require(action, COVERAGE)
    reports.check_academic_year(academic_year)
    decision = ctx.decide(action, COVERAGE, district_id=district_id)
    district = await District.get_or_none(id=district_id) if decision.allowed else None
    if district is None:
        _refuse_as_missing(ctx, decision)
        return None
    allowed: frozenset[uuid.UUID] | None = None
    if not _district_wide(decision, DISTRICT_SCOPE, district_id):
        allowed = decision.organisation_ids(ORGANISATION_SCOPE)
    if organisation_id is not None:
        if allowed is not None and organisation_id not in allowed:
            _refuse_as_missing(ctx, decision)
            return None
        allowed = frozenset({organisation_id})
    if allowed is not None and not allowed:
        _refuse_as_missing(ctx, decision)
        return None
    coverage = await reports.coverage_report(
        district_id=district_id, academic_year=academic_year, organisation_ids=allowed
    )
    if organisation_id is not None and not coverage.lines:
        # The organisation is not in this district.
        _refuse_as_missing(ctx, decision)
        return None
    ctx.record(decision, [None], district_id=district_id, organisation_id=organisation_id)
    return AuthorizedCoverage(district=district, coverage=coverage)


@strawberry.type
class ReportQueries:
    @strawberry.field(description="D1.")
    async def coverage_report(
        self,
        info: Info[Any, None],
        district_id: strawberry.ID,
        academic_year: int,
        organisation_id: Annotated[
            strawberry.ID | None, strawberry.argument(description="Only this organisation's row.")
        ] = None,
    ) -> t.CoverageReport | None:
        result = await authorized_coverage(
            info.context,
            action="read",
            district_id=parse_id(district_id, "districtId"),
            academic_year=academic_year,
            organisation_id=(
                parse_id(organisation_id, "organisationId") if organisation_id else None
            ),
        )
        return t.CoverageReport.of(result.district, result.coverage) if result else None

    @strawberry.field(description="D1 per group of one organisation (drill-down of a row).")
    async def coverage_by_group(
        self, info: Info[Any, None], organisation_id: strawberry.ID, academic_year: int
    ) -> t.GroupCoverageReport | None:
        ctx: Context = info.context
        ctx.require("read", COVERAGE)
        reports.check_academic_year(academic_year)
        org_id = parse_id(organisation_id, "organisationId")
        organisation = await Organisation.get_or_none(id=org_id)
        decision = ctx.decide(
            "read",
            COVERAGE,
            organisation_id=org_id,
            district_id=organisation.district_id if organisation else None,
        )
        if organisation is None or not (
            _district_wide(decision, DISTRICT_SCOPE, organisation.district_id)
            or org_id in decision.organisation_ids(ORGANISATION_SCOPE)
        ):
            _refuse_as_missing(ctx, decision)
            return None
        report = await reports.coverage_by_group(
            organisation=organisation, academic_year=academic_year
        )
        ctx.record(decision, [None], district_id=organisation.district_id, organisation_id=org_id)
        return t.GroupCoverageReport.of(report)

    @strawberry.field(description="D2, D3.")
    async def development_statistics(
        self, info: Info[Any, None], input: DevelopmentStatisticsInput
    ) -> t.DevelopmentStatistics | None:
        ctx: Context = info.context
        anywhere = ctx.require("read", STATISTICS)
        group_by = reports.check_group_by(input.group_by)
        reports.check_academic_year(input.academic_year, "input.academicYear")
        district_id = parse_id(input.district_id, "input.districtId")
        organisation_ids = (
            None
            if input.organisation_ids is None
            else [parse_id(i, "input.organisationIds") for i in input.organisation_ids]
        )
        area_ids = (
            None
            if input.area_ids is None
            else [parse_id(i, "input.areaIds") for i in input.area_ids]
        )
        try:
            framework = await reports.statistics_framework(input.framework_code)
        except Forbidden as refusal:
            ctx.record(anywhere, [None], allowed=False, clause=refusal.clause)
            raise
        decision = ctx.decide("read", STATISTICS, district_id=district_id)
        if not _district_wide(decision, AGGREGATES_SCOPE, district_id):
            _refuse_as_missing(ctx, decision)
            return None
        result = await reports.development_statistics(
            district_id=district_id,
            framework=framework,
            academic_year=input.academic_year,
            period=AssessmentPeriod(input.period),
            group_by=group_by,
            organisation_ids=organisation_ids,
            area_ids=area_ids,
        )
        ctx.record(decision, [None], district_id=district_id, section=framework.code)
        return t.DevelopmentStatistics.of(result)
