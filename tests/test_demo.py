"""The demo district: realistic enough to try every rule, consistent with the rules, repeatable."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

import pytest
from tortoise import Tortoise
from tortoise.migrations.api import migrate

from domain.demo import DEMO_TODAY, DemoAlreadyLoaded, DemoSummary, load_demo
from graphql_api.database import tortoise_config
from migrations._catalogue import catalogue_id
from models import (
    Assessment,
    Consent,
    Enrollment,
    Group,
    GroupStaff,
    Guardianship,
    Learner,
    Organisation,
    PortfolioEntry,
    User,
)
from models.enums import ConsentPurpose, OrganisationKind
from tests.conftest import IS_POSTGRES

# These tests load into their own SQLite files; tortoise supports one backend per process.
pytestmark = pytest.mark.skipif(
    IS_POSTGRES, reason="the demo tests use SQLite; one database backend per process"
)

T = TypeVar("T")
CURRENT_YEAR = 2026


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
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, DemoSummary]:
    url = migrated_database(tmp_path_factory.mktemp("demo") / "demo.sqlite3")
    lines: list[str] = []
    summary = in_database(url, lambda: load_demo(progress=lines.append))
    assert any(line.startswith("assessment ") for line in lines)
    return url, summary


def test_organisations_of_three_kinds(demo: tuple[str, DemoSummary]) -> None:
    url, summary = demo

    async def kinds() -> Counter[str]:
        rows = await Organisation.filter(district_id=summary.district_id).values_list(
            "kind", flat=True
        )
        return Counter(str(kind) for kind in rows)

    assert in_database(url, kinds) == {
        OrganisationKind.PRESCHOOL: 12,
        OrganisationKind.SCHOOL: 9,
        OrganisationKind.ADDITIONAL_EDUCATION: 1,
    }


def test_learner_count_is_district_sized(demo: tuple[str, DemoSummary]) -> None:
    url, summary = demo
    count = in_database(url, lambda: Learner.filter(district_id=summary.district_id).count())
    assert 4_000 <= count <= 5_000
    assert summary.counts["learner"] == count


def test_every_current_group_has_exactly_one_supervisor(demo: tuple[str, DemoSummary]) -> None:
    url, _ = demo

    async def check() -> tuple[set[uuid.UUID], Counter[uuid.UUID]]:
        groups = await Group.filter(academic_year=CURRENT_YEAR).values_list("id", flat=True)
        supervisors = await GroupStaff.filter(
            supervisor=True, group__academic_year=CURRENT_YEAR
        ).values_list("group_id", flat=True)
        return {uuid.UUID(str(g)) for g in groups}, Counter(uuid.UUID(str(s)) for s in supervisors)

    groups, supervisors = in_database(url, check)
    assert groups
    assert set(supervisors) == groups
    assert set(supervisors.values()) == {1}


def test_movers_from_kindergarten_with_and_without_transfer_consent(
    demo: tuple[str, DemoSummary],
) -> None:
    url, _ = demo

    async def check() -> tuple[set[str], set[str], set[str]]:
        first_grade = await Enrollment.filter(
            academic_year=CURRENT_YEAR, group__grade=1
        ).values_list("learner_id", flat=True)
        from_kindergarten = await Enrollment.filter(
            academic_year=CURRENT_YEAR - 1,
            organisation__kind=OrganisationKind.PRESCHOOL,
            end_date=dt.date(2026, 5, 29),
        ).values_list("learner_id", flat=True)
        transfer = await Consent.filter(purpose=ConsentPurpose.TRANSFER).values_list(
            "learner_id", flat=True
        )
        return (
            {str(i) for i in first_grade},
            {str(i) for i in from_kindergarten},
            {str(i) for i in transfer},
        )

    first_grade, from_kindergarten, transfer = in_database(url, check)
    movers = first_grade & from_kindergarten
    # 1st grades consist of children from the district's kindergartens, plus a few others.
    assert len(movers) >= 0.9 * len(first_grade)
    with_transfer = movers & transfer
    assert with_transfer and movers - transfer
    assert 0.5 <= len(with_transfer) / len(movers) <= 0.85


def test_parent_has_a_first_grader_with_kindergarten_assessments(
    demo: tuple[str, DemoSummary],
) -> None:
    url, _ = demo

    async def check() -> None:
        parent = await User.get(login="parent")
        links = await Guardianship.filter(user_id=parent.id).values_list("learner_id", flat=True)
        assert len(links) == 1
        child = await Learner.get(id=links[0])
        first_learner = await Learner.all().order_by("created_at").first()
        assert first_learner is not None and first_learner.id == child.id

        current = await Enrollment.get(learner_id=child.id, academic_year=CURRENT_YEAR)
        group = await Group.get(id=current.group_id)
        school = await Organisation.get(id=current.organisation_id)
        assert (group.grade, school.kind, current.end_date) == (1, OrganisationKind.SCHOOL, None)
        assert current.start_date == dt.date(2026, 9, 1)

        earlier = await Assessment.filter(
            learner_id=child.id,
            academic_year__lt=CURRENT_YEAR,
            framework_id=catalogue_id("FGOS_DO"),
            organisation__kind=OrganisationKind.PRESCHOOL,
        ).count()
        assert earlier >= 2 * 23
        assert await Consent.filter(
            learner_id=child.id,
            purpose=ConsentPurpose.TRANSFER,
            given_by_id=parent.id,
            withdrawn_at__isnull=True,
        ).exists()

    in_database(url, check)


def test_no_content_without_processing_consent_at_that_time(
    demo: tuple[str, DemoSummary],
) -> None:
    url, _ = demo

    async def check() -> None:
        consents: dict[str, list[tuple[dt.datetime, dt.datetime | None]]] = {}
        for learner_id, given_at, withdrawn_at in await Consent.filter(
            purpose=ConsentPurpose.PROCESSING
        ).values_list("learner_id", "given_at", "withdrawn_at"):
            consents.setdefault(str(learner_id), []).append((given_at, withdrawn_at))

        def active(learner_id: str, moment: dt.datetime) -> bool:
            return any(
                given <= moment and (withdrawn is None or moment < withdrawn)
                for given, withdrawn in consents.get(learner_id, [])
            )

        assessments = await Assessment.all().values_list("learner_id", "assessed_at")
        assert assessments
        assert not [a for a in assessments if not active(str(a[0]), a[1])]
        entries = await PortfolioEntry.all().values_list("learner_id", "created_at")
        assert entries
        assert not [e for e in entries if not active(str(e[0]), e[1])]

        # Some learners have no consent at all, and some withdrew it lately.
        learners = await Learner.all().count()
        assert len(consents) < learners
        withdrawn = await Consent.filter(withdrawn_at__isnull=False).values_list(
            "withdrawn_at", flat=True
        )
        assert withdrawn
        assert all(isinstance(w, dt.datetime) and w.date() < DEMO_TODAY for w in withdrawn)

    in_database(url, check)


def test_enrollments_are_denormalised_from_their_group(demo: tuple[str, DemoSummary]) -> None:
    url, _ = demo

    async def check() -> None:
        groups = {
            str(g[0]): (str(g[1]), g[2])
            for g in await Group.all().values_list("id", "organisation_id", "academic_year")
        }
        rows = await Enrollment.all().values_list("group_id", "organisation_id", "academic_year")
        assert all(groups[str(r[0])] == (str(r[1]), r[2]) for r in rows)

    in_database(url, check)


def test_loading_twice_is_refused_and_writes_nothing(demo: tuple[str, DemoSummary]) -> None:
    url, summary = demo

    async def again() -> int:
        with pytest.raises(DemoAlreadyLoaded):
            await load_demo()
        return await Learner.all().count()

    assert in_database(url, again) == summary.counts["learner"]


def test_same_seed_gives_the_same_ids(demo: tuple[str, DemoSummary], tmp_path: Path) -> None:
    url, summary = demo
    other_url = migrated_database(tmp_path / "again.sqlite3")
    other = in_database(other_url, load_demo)

    async def learner_ids() -> set[str]:
        return {str(i) for i in await Learner.all().values_list("id", flat=True)}

    assert other.district_id == summary.district_id
    assert other.counts == summary.counts
    assert in_database(other_url, learner_ids) == in_database(url, learner_ids)
