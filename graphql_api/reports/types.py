"""Report types: coverage rows (D1) and statistics cells (D2, D3); counts only, no learners."""

from __future__ import annotations

import strawberry

from domain import reports
from graphql_api.frameworks.types import AreaType, IndicatorType
from graphql_api.learners.related import GroupType
from graphql_api.organisations.types import DistrictType, OrganisationType
from models import District, Organisation

StatisticsDimensionEnum = strawberry.enum(reports.StatisticsDimension, name="StatisticsDimension")


@strawberry.type
class CoverageRow:
    organisation: OrganisationType | None
    enrolled: int
    with_consent: int
    formed: int
    formed_share: float = strawberry.field(description="formed / enrolled; 0 when nobody.")

    @classmethod
    def of(cls, organisation: Organisation | None, counts: reports.CoverageCounts) -> CoverageRow:
        return cls(
            organisation=OrganisationType.of(organisation) if organisation else None,
            enrolled=counts.enrolled,
            with_consent=counts.with_consent,
            formed=counts.formed,
            formed_share=counts.formed_share,
        )


@strawberry.type
class CoverageReport:
    district: DistrictType
    academic_year: int
    rows: list[CoverageRow]
    total: CoverageRow = strawberry.field(
        description="Over distinct learners: one enrolled in two organisations counts once."
    )

    @classmethod
    def of(cls, district: District, coverage: reports.Coverage) -> CoverageReport:
        return cls(
            district=DistrictType.of(district),
            academic_year=coverage.academic_year,
            rows=[CoverageRow.of(line.organisation, line.counts) for line in coverage.lines],
            total=CoverageRow.of(None, coverage.total),
        )


@strawberry.type
class GroupCoverage:
    group: GroupType
    enrolled: int
    with_consent: int
    formed: int
    formed_share: float

    @classmethod
    def of(cls, line: reports.GroupCoverageLine) -> GroupCoverage:
        return cls(
            group=GroupType.of(line.group),
            enrolled=line.counts.enrolled,
            with_consent=line.counts.with_consent,
            formed=line.counts.formed,
            formed_share=line.counts.formed_share,
        )


@strawberry.type
class GroupCoverageReport:
    organisation: OrganisationType
    academic_year: int
    rows: list[GroupCoverage]
    total: CoverageRow = strawberry.field(
        description="The organisation's row: a learner who changed group counts once."
    )

    @classmethod
    def of(cls, report: reports.GroupCoverage) -> GroupCoverageReport:
        return cls(
            organisation=OrganisationType.of(report.organisation),
            academic_year=report.academic_year,
            rows=[GroupCoverage.of(line) for line in report.lines],
            total=CoverageRow.of(report.organisation, report.total),
        )


@strawberry.type
class StatisticsCell:
    organisation: OrganisationType | None
    area: AreaType | None
    indicator: IndicatorType | None
    level: int | None
    learners: int | None = strawberry.field(description="Null when suppressed (D3).")
    suppressed: bool

    @classmethod
    def of(cls, cell: reports.StatisticsCell) -> StatisticsCell:
        return cls(
            organisation=OrganisationType.of(cell.organisation) if cell.organisation else None,
            area=AreaType.of(cell.area) if cell.area else None,
            indicator=IndicatorType.of(cell.indicator) if cell.indicator else None,
            level=cell.level,
            learners=cell.learners,
            suppressed=cell.suppressed,
        )


@strawberry.type
class DevelopmentStatistics:
    minimum_cell_size: int
    cells: list[StatisticsCell] = strawberry.field(
        description="Sorted by dimension values in groupBy order, never by count (A3)."
    )

    @classmethod
    def of(cls, result: reports.DevelopmentStatistics) -> DevelopmentStatistics:
        return cls(
            minimum_cell_size=result.minimum_cell_size,
            cells=[StatisticsCell.of(c) for c in result.cells],
        )
