"""The region generator at a small scale: sizes near the targets, rules kept, no second load."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

import pytest
from tortoise import Tortoise, connections
from tortoise.migrations.api import migrate

from domain.region import REGION_DISTRICT_NAME, RegionAlreadyLoaded, RegionSummary, load_region
from graphql_api.database import tortoise_config
from migrations._catalogue import catalogue_id
from models import Assessment, Consent, District, Group, GroupStaff, Learner, Organisation
from models.enums import ConsentPurpose, OrganisationKind
from tests.conftest import IS_POSTGRES

# Like the demo tests: an own SQLite file, since tortoise supports one backend per process.
pytestmark = pytest.mark.skipif(
    IS_POSTGRES, reason="the region test uses SQLite; one database backend per process"
)

T = TypeVar("T")
ORGANISATIONS = 10
LEARNERS = 1_500
ASSESSMENTS = 60_000


def migrated_database(path: Path) -> str:
    url = "sqlite://" + str(path)

    async def run() -> None:
        try:
            await migrate(config=tortoise_config(url, for_migrations=True))
        finally:
            await Tortoise.close_connections()

    asyncio.run(run())
    return url


def in_database(url: str, work: Callable[[], Awaitable[T]]) -> T:
    async def run() -> T:
        await Tortoise.init(config=tortoise_config(url))
        try:
            return await work()
        finally:
            await Tortoise.close_connections()

    return asyncio.run(run())


@pytest.fixture(scope="module")
def region(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, RegionSummary, list[str]]:
    url = migrated_database(tmp_path_factory.mktemp("region") / "region.sqlite3")
    lines: list[str] = []
    summary = in_database(
        url,
        lambda: load_region(
            organisations=ORGANISATIONS,
            learners=LEARNERS,
            assessments_target=ASSESSMENTS,
            organisations_per_chunk=5,
            progress=lines.append,
        ),
    )
    return url, summary, lines


def near(value: int, target: int) -> bool:
    return 0.85 * target <= value <= 1.15 * target


def test_sizes_are_near_the_targets(region: tuple[str, RegionSummary, list[str]]) -> None:
    url, summary, _ = region

    async def count() -> tuple[int, int, Counter[str]]:
        district = await District.get(name=REGION_DISTRICT_NAME)
        kinds = await Organisation.filter(district_id=district.id).values_list("kind", flat=True)
        learners = await Learner.filter(district_id=district.id).count()
        return learners, await Assessment.all().count(), Counter(str(k) for k in kinds)

    learners, assessments, kinds = in_database(url, count)
    assert near(learners, LEARNERS)
    assert near(assessments, ASSESSMENTS)
    assert kinds == {
        OrganisationKind.PRESCHOOL: 4,
        OrganisationKind.SCHOOL: 5,
        OrganisationKind.ADDITIONAL_EDUCATION: 1,
    }
    assert summary.counts["learner"] == learners
    assert summary.counts["assessment"] == assessments
    assert summary.counts["portfolio_entry"] > 0


def test_progress_line_per_chunk(region: tuple[str, RegionSummary, list[str]]) -> None:
    _, _, lines = region
    assert len(lines) == 2
    assert all("rows/s" in line for line in lines)


def test_every_organisation_has_groups_in_every_year(
    region: tuple[str, RegionSummary, list[str]],
) -> None:
    url, _, _ = region

    async def check() -> tuple[set[str], set[tuple[str, int]]]:
        orgs = {str(o) for o in await Organisation.all().values_list("id", flat=True)}
        groups = await Group.all().values_list("organisation_id", "academic_year")
        return orgs, {(str(o), y) for o, y in groups}

    orgs, groups = in_database(url, check)
    assert {(o, y) for o in orgs for y in (2024, 2025, 2026)} == groups


def test_every_group_has_one_supervisor(region: tuple[str, RegionSummary, list[str]]) -> None:
    url, _, _ = region

    async def check() -> tuple[set[str], Counter[str]]:
        groups = {str(g) for g in await Group.all().values_list("id", flat=True)}
        supervised = await GroupStaff.filter(supervisor=True).values_list("group_id", flat=True)
        return groups, Counter(str(g) for g in supervised)

    groups, supervised = in_database(url, check)
    assert set(supervised) == groups
    assert set(supervised.values()) == {1}


def test_about_92_percent_have_active_processing_consent(
    region: tuple[str, RegionSummary, list[str]],
) -> None:
    url, _, _ = region

    async def shares() -> tuple[int, int]:
        active = await Consent.filter(
            purpose=ConsentPurpose.PROCESSING, withdrawn_at__isnull=True
        ).values_list("learner_id", flat=True)
        return len(set(active)), await Learner.all().count()

    active, learners = in_database(url, shares)
    assert 0.88 <= active / learners <= 0.96


def test_assessments_are_unique_and_fit_the_organisation(
    region: tuple[str, RegionSummary, list[str]],
) -> None:
    url, _, _ = region

    async def check() -> tuple[list[dict[str, object]], set[tuple[str, str]]]:
        conn = connections.get("default")
        duplicates = await conn.execute_query_dict(
            "SELECT learner_id, indicator_id, academic_year, period, COUNT(*) AS n"
            " FROM assessment GROUP BY learner_id, indicator_id, academic_year, period"
            " HAVING COUNT(*) > 1"
        )
        pairs = await conn.execute_query_dict(
            "SELECT DISTINCT o.kind AS kind, a.framework_id AS framework_id"
            " FROM assessment a JOIN organisation o ON o.id = a.organisation_id"
        )
        return duplicates, {(str(p["kind"]), str(p["framework_id"])) for p in pairs}

    duplicates, pairs = in_database(url, check)
    assert duplicates == []
    assert pairs == {
        (OrganisationKind.PRESCHOOL.value, str(catalogue_id("FGOS_DO"))),
        (OrganisationKind.SCHOOL.value, str(catalogue_id("PRIMARY_META"))),
    }


def test_loading_twice_is_refused_and_writes_nothing(
    region: tuple[str, RegionSummary, list[str]],
) -> None:
    url, summary, _ = region

    async def again() -> int:
        with pytest.raises(RegionAlreadyLoaded):
            await load_region(organisations=2, learners=100, assessments_target=1_000)
        return await Learner.all().count()

    assert in_database(url, again) == summary.counts["learner"]


def test_no_content_without_processing_consent_at_that_time(
    region: tuple[str, RegionSummary, list[str]],
) -> None:
    url, _, _ = region

    async def check() -> tuple[int, int]:
        conn = connections.get("default")
        outside = (
            " NOT EXISTS (SELECT 1 FROM consent c WHERE c.learner_id = x.learner_id"
            " AND c.purpose = 'PROCESSING' AND c.given_at <= x.{at}"
            " AND (c.withdrawn_at IS NULL OR x.{at} < c.withdrawn_at))"
        )
        assessments = await conn.execute_query_dict(
            "SELECT COUNT(*) AS n FROM assessment x WHERE" + outside.format(at="assessed_at")
        )
        entries = await conn.execute_query_dict(
            "SELECT COUNT(*) AS n FROM portfolio_entry x WHERE" + outside.format(at="created_at")
        )
        return int(assessments[0]["n"]), int(entries[0]["n"])

    assert in_database(url, check) == (0, 0)
