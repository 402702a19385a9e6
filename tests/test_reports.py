"""District reporting: coverage (D1) and development statistics with small-cell suppression
(D2, D3), with exact numbers on a small district and the refusals of every other role."""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from dataclasses import dataclass, field
from typing import Any

import pytest

from domain.names import name_key, normalise_name_part
from domain.reports import suppress_small_cells
from models import (
    AuditEvent,
    Consent,
    DevelopmentArea,
    District,
    Enrollment,
    Framework,
    Group,
    Guardianship,
    Indicator,
    Learner,
    Organisation,
    PortfolioEntry,
    User,
)
from models.enums import (
    ConsentPurpose,
    EducationLevel,
    EntryCategory,
    EntryLevel,
    EntryStatus,
    OrganisationKind,
    Role,
)
from tests.helpers import client, codes, grant, make_district, make_organisation, make_user
from tests.sql_counter import count_statements

YEAR = 2026
SEPT_1 = dt.date(YEAR, 9, 1)
AT = dt.datetime(YEAR, 10, 1, 9, tzinfo=dt.UTC)


# --------------------------------------------------------------------------- builders


@dataclass
class World:
    district: District
    other_district: District
    orgs: dict[str, Organisation]
    groups: dict[str, Group]
    users: dict[str, User]
    learners: dict[str, Learner] = field(default_factory=dict)


async def _learner(
    world: World, key: str, org: Organisation, *, consent: str = "active"
) -> Learner:
    row = await Learner.create(
        district_id=org.district_id,
        created_by_organisation=org,
        last_name=key.title(),
        first_name="Имя",
        birth_date=dt.date(2019, 5, 1),
        name_key=name_key(key, "имя", None),
        last_name_key=normalise_name_part(key),
    )
    if consent != "none":
        await Consent.create(
            learner=row,
            purpose=ConsentPurpose.PROCESSING,
            recorded_by=world.users["staff"],
            given_at=dt.datetime(2024, 9, 1, tzinfo=dt.UTC),
            withdrawn_at=AT if consent == "withdrawn" else None,
        )
    world.learners[key] = row
    return row


async def _enrol(
    learner: Learner, group: Group, start: dt.date = SEPT_1, end: dt.date | None = None
) -> None:
    await Enrollment.create(
        learner=learner,
        group=group,
        organisation_id=group.organisation_id,
        academic_year=group.academic_year,
        start_date=start,
        end_date=end,
    )


async def _assess(
    world: World,
    learner: Learner,
    indicator: Indicator,
    org: Organisation,
    *,
    level: int = 2,
    year: int = YEAR,
    period: str = "START",
) -> None:
    from models import Assessment

    area = await DevelopmentArea.get(id=indicator.area_id)
    await Assessment.create(
        learner=learner,
        indicator=indicator,
        area_id=area.id,
        framework_id=area.framework_id,
        academic_year=year,
        period=period,
        level=level,
        organisation=org,
        assessed_by=world.users["staff"],
        assessed_at=AT,
    )


async def _entry(
    world: World, learner: Learner, org: Organisation, status: EntryStatus, day: dt.date
) -> None:
    await PortfolioEntry.create(
        learner=learner,
        category=EntryCategory.CONTEST,
        level=EntryLevel.MUNICIPAL,
        title="Конкурс чтецов",
        event_date=day,
        status=status,
        organisation=org,
        submitted_by=world.users["staff"],
    )


async def _first_indicators(code: str) -> list[Indicator]:
    """The first indicator of every area of a framework, in area order."""
    framework = await Framework.get(code=code)
    areas = await DevelopmentArea.filter(framework_id=framework.id).order_by("position")
    out = []
    for area in areas:
        indicator = await Indicator.filter(area_id=area.id).order_by("position").first()
        assert indicator is not None
        out.append(indicator)
    return out


async def _world_base() -> World:
    district = await make_district("Новооскольский городской округ")
    other = await make_district("Другой округ")
    orgs = {
        "kg": await make_organisation(district, "Детский сад № 1", OrganisationKind.PRESCHOOL),
        "school": await make_organisation(district, "СОШ № 2"),
        "ado": await make_organisation(
            district, "Дом детского творчества", OrganisationKind.ADDITIONAL_EDUCATION
        ),
        "empty": await make_organisation(district, "СОШ № 3"),
        "foreign": await make_organisation(other, "СОШ № 9"),
    }

    async def group(org: str, name: str, year: int, level: EducationLevel) -> Group:
        return await Group.create(
            organisation=orgs[org], name=name, academic_year=year, level=level
        )

    groups = {
        "kg": await group("kg", "Старшая", YEAR, EducationLevel.PRESCHOOL),
        "kg_old": await group("kg", "Средняя", YEAR - 1, EducationLevel.PRESCHOOL),
        "1a": await group("school", "1А", YEAR, EducationLevel.PRIMARY),
        "1b": await group("school", "1Б", YEAR, EducationLevel.PRIMARY),
        "ado": await group("ado", "Робототехника", YEAR, EducationLevel.PRIMARY),
        "foreign": await group("foreign", "1А", YEAR, EducationLevel.PRIMARY),
    }
    users = {
        login: await make_user(login)
        for login in (
            "staff",
            "operator",
            "official",
            "foreign_official",
            "auditor",
            "admin_s",
            "educator",
            "guardian",
        )
    }
    await grant(users["operator"], Role.DISTRICT_OPERATOR, district=district)
    await grant(users["official"], Role.DISTRICT_OFFICIAL, district=district)
    await grant(users["foreign_official"], Role.DISTRICT_OFFICIAL, district=other)
    await grant(users["auditor"], Role.AUDITOR, district=district)
    await grant(users["admin_s"], Role.ORG_ADMIN, organisation=orgs["school"])
    await grant(users["educator"], Role.EDUCATOR, organisation=orgs["school"])
    return World(district, other, orgs, groups, users)


async def build_coverage_world() -> World:
    """Every learner is named after what makes them count or not count (D1)."""
    w = await _world_base()
    kg, school = w.orgs["kg"], w.orgs["school"]
    fgos = await _first_indicators("FGOS_DO")
    assert len(fgos) == 5
    primary = (await _first_indicators("PRIMARY_META"))[0]
    psychological = (await _first_indicators("PSYCHOLOGICAL"))[0]

    # Preschool: formed only with an assessment in every one of the five FGOS_DO areas.
    k_full = await _learner(w, "k_full", kg)
    await _enrol(k_full, w.groups["kg"])
    k_four = await _learner(w, "k_four", kg)
    await _enrol(k_four, w.groups["kg"])
    k_no_consent = await _learner(w, "k_no_consent", kg, consent="withdrawn")
    await _enrol(k_no_consent, w.groups["kg"])
    for indicator in fgos:
        await _assess(w, k_full, indicator, kg)
        await _assess(w, k_no_consent, indicator, kg)
    for indicator in fgos[:4]:
        await _assess(w, k_four, indicator, kg, period="END")
    # Enrolled last year until 1 Sep: overlaps this year by one day.
    k_boundary = await _learner(w, "k_boundary", kg)
    await _enrol(k_boundary, w.groups["kg_old"], dt.date(YEAR - 1, 9, 1), SEPT_1)
    # Left before this year: not enrolled, even with a complete record of last year.
    k_left = await _learner(w, "k_left", kg)
    await _enrol(k_left, w.groups["kg_old"], dt.date(YEAR - 1, 9, 1), dt.date(YEAR, 5, 29))
    for indicator in fgos:
        await _assess(w, k_left, indicator, kg, year=YEAR - 1)

    # School: formed with one assessment or one VERIFIED entry of the year.
    s_verified = await _learner(w, "s_verified", school)
    await _enrol(s_verified, w.groups["1a"])
    await _enrol(s_verified, w.groups["ado"])
    await _entry(w, s_verified, school, EntryStatus.VERIFIED, dt.date(YEAR, 10, 1))
    s_submitted = await _learner(w, "s_submitted", school)
    await _enrol(s_submitted, w.groups["1a"])
    await _entry(w, s_submitted, school, EntryStatus.SUBMITTED, dt.date(YEAR, 10, 1))
    s_assessed = await _learner(w, "s_assessed", school)
    await _enrol(s_assessed, w.groups["1b"])
    await _assess(w, s_assessed, primary, school)
    s_old_entry = await _learner(w, "s_old_entry", school)
    await _enrol(s_old_entry, w.groups["1b"])
    await _entry(w, s_old_entry, school, EntryStatus.VERIFIED, dt.date(YEAR, 8, 31))
    s_psych = await _learner(w, "s_psych", school)
    await _enrol(s_psych, w.groups["1b"])
    await _assess(w, s_psych, psychological, school)
    s_moved = await _learner(w, "s_moved", school)
    await _enrol(s_moved, w.groups["1a"], SEPT_1, dt.date(YEAR, 10, 31))
    await _enrol(s_moved, w.groups["1b"], dt.date(YEAR, 11, 1))
    await _entry(w, s_moved, school, EntryStatus.VERIFIED, dt.date(YEAR, 11, 20))
    await Guardianship.create(learner=s_verified, user=w.users["guardian"])

    # Another district's learner never appears.
    f1 = await _learner(w, "f1", w.orgs["foreign"])
    await _enrol(f1, w.groups["foreign"])
    await _entry(w, f1, w.orgs["foreign"], EntryStatus.VERIFIED, dt.date(YEAR, 10, 1))
    return w


# --------------------------------------------------------------------------- coverage

COVERAGE = """
query($d: ID!, $y: Int!, $o: ID) {
  coverageReport(districtId: $d, academicYear: $y, organisationId: $o) {
    district { name } academicYear
    rows { organisation { name kind } enrolled withConsent formed formedShare }
    total { organisation { name } enrolled withConsent formed formedShare }
  }
}"""

# name → (enrolled, withConsent, formed, formedShare), rows ordered by name.
EXPECTED_ROWS = [
    ("Детский сад № 1", 4, 3, 1, 0.25),
    ("Дом детского творчества", 1, 1, 1, 1.0),
    ("СОШ № 2", 6, 6, 3, 0.5),
    ("СОШ № 3", 0, 0, 0, 0.0),
]
# s_verified is in the school and the УДО: once in the total.
EXPECTED_TOTAL = (10, 9, 4, 0.4)


def _row(r: dict[str, Any]) -> tuple[Any, ...]:
    return (r["enrolled"], r["withConsent"], r["formed"], pytest.approx(r["formedShare"]))


async def coverage_as(login: str, world: World, **extra: Any) -> dict[str, Any]:
    variables = {"d": str(world.district.id), "y": YEAR, **extra}
    return await client().query(COVERAGE, variables, login=login)


@pytest.mark.parametrize("login", ["official", "operator"])
def test_coverage_counts_every_organisation_exactly(db, login):
    async def work():
        world = await build_coverage_world()
        body = await coverage_as(login, world)
        assert "errors" not in body
        report = body["data"]["coverageReport"]
        assert report["district"]["name"] == "Новооскольский городской округ"
        assert report["academicYear"] == YEAR
        rows = [(r["organisation"]["name"], *_row(r)) for r in report["rows"]]
        assert rows == [(name, e, c, f, pytest.approx(s)) for name, e, c, f, s in EXPECTED_ROWS]
        total = report["total"]
        assert total["organisation"] is None
        assert _row(total) == (*EXPECTED_TOTAL[:3], pytest.approx(EXPECTED_TOTAL[3]))
        # The total is over distinct learners, so it is less than the sum of the rows.
        assert total["enrolled"] == sum(r["enrolled"] for r in report["rows"]) - 1

    db.run(work)


def test_coverage_follows_the_academic_year(db):
    async def work():
        world = await build_coverage_world()
        body = await client().query(
            COVERAGE, {"d": str(world.district.id), "y": YEAR - 1}, login="official"
        )
        rows = {r["organisation"]["name"]: _row(r) for r in body["data"]["coverageReport"]["rows"]}
        # Last year: k_left (complete record, formed) and k_boundary (nothing recorded).
        assert rows["Детский сад № 1"] == (2, 2, 1, pytest.approx(0.5))
        assert rows["СОШ № 2"] == (0, 0, 0, 0.0)

    db.run(work)


def test_org_admin_sees_only_own_row(db):
    async def work():
        world = await build_coverage_world()
        body = await coverage_as("admin_s", world)
        report = body["data"]["coverageReport"]
        assert [r["organisation"]["name"] for r in report["rows"]] == ["СОШ № 2"]
        assert _row(report["total"]) == (6, 6, 3, pytest.approx(0.5))
        # Asking for another organisation answers like a missing one.
        other = await coverage_as("admin_s", world, o=str(world.orgs["kg"].id))
        assert other["data"] == {"coverageReport": None} and "errors" not in other
        # The official may narrow to one organisation.
        one = await coverage_as("official", world, o=str(world.orgs["kg"].id))
        rows = one["data"]["coverageReport"]["rows"]
        assert [(r["organisation"]["name"], *_row(r)) for r in rows] == [
            ("Детский сад № 1", 4, 3, 1, pytest.approx(0.25))
        ]

    db.run(work)


@pytest.mark.parametrize("login", ["educator", "guardian", "auditor"])
def test_coverage_refused_to_roles_without_a_coverage_row(db, login):
    async def work():
        world = await build_coverage_world()
        body = await coverage_as(login, world)
        assert codes(body) == ["FORBIDDEN"]
        assert body["errors"][0]["extensions"]["clause"] == "R11"
        denied = await AuditEvent.filter(resource="coverage_report", decision="DENY").count()
        assert denied == 1

    db.run(work)


def test_coverage_of_another_district_answers_like_missing(db):
    async def work():
        world = await build_coverage_world()
        body = await coverage_as("foreign_official", world)
        assert body["data"] == {"coverageReport": None} and "errors" not in body
        missing = await client().query(
            COVERAGE, {"d": str(uuid.uuid4()), "y": YEAR}, login="official"
        )
        assert missing["data"] == {"coverageReport": None}
        events = await AuditEvent.filter(resource="coverage_report").order_by("at")
        assert [(e.decision, e.clause, e.learner_id) for e in events] == [
            ("DENY", "R1", None),
            ("DENY", "R1", None),
        ]

    db.run(work)


def test_coverage_is_audited_once_per_request_without_learners(db):
    async def work():
        world = await build_coverage_world()
        await coverage_as("official", world)
        events = await AuditEvent.filter(resource="coverage_report")
        assert len(events) == 1
        event = events[0]
        assert (event.action, event.decision, event.clause) == ("read", "ALLOW", "D1")
        assert event.learner_id is None and event.district_id == world.district.id
        assert event.role == "DISTRICT_OFFICIAL"

    db.run(work)


def test_coverage_rejects_bad_input(db):
    async def work():
        world = await build_coverage_world()
        c = client()
        year = await c.query(COVERAGE, {"d": str(world.district.id), "y": 1900}, login="official")
        assert codes(year) == ["BAD_USER_INPUT"]
        bad_id = await c.query(COVERAGE, {"d": "not-an-id", "y": YEAR}, login="official")
        assert codes(bad_id) == ["BAD_USER_INPUT"]
        anonymous = await c.query(COVERAGE, {"d": str(world.district.id), "y": YEAR})
        assert codes(anonymous) == ["UNAUTHENTICATED"]

    db.run(work)


BY_GROUP = """
query($o: ID!, $y: Int!) {
  coverageByGroup(organisationId: $o, academicYear: $y) {
    organisation { name } academicYear
    rows { group { name } enrolled withConsent formed formedShare }
    total { organisation { name } enrolled withConsent formed formedShare }
  }
}"""


def test_coverage_by_group_for_the_org_admin(db):
    async def work():
        world = await build_coverage_world()
        c = client()
        school = {"o": str(world.orgs["school"].id), "y": YEAR}
        kg_vars = {"o": str(world.orgs["kg"].id), "y": YEAR}
        body = await c.query(BY_GROUP, school, login="admin_s")
        report = body["data"]["coverageByGroup"]
        rows = [(r["group"]["name"], *_row(r)) for r in report["rows"]]
        # s_moved changed group: in both groups, once in the organisation's total.
        assert rows == [("1А", 3, 3, 2, pytest.approx(2 / 3)), ("1Б", 4, 4, 2, 0.5)]
        assert report["total"]["organisation"]["name"] == "СОШ № 2"
        assert _row(report["total"]) == (6, 6, 3, 0.5)
        kg = await c.query(BY_GROUP, kg_vars, login="admin_s")
        assert kg["data"] == {"coverageByGroup": None}
        official = await c.query(BY_GROUP, kg_vars, login="official")
        groups = [
            (r["group"]["name"], r["enrolled"]) for r in official["data"]["coverageByGroup"]["rows"]
        ]
        assert groups == [("Средняя", 1), ("Старшая", 3)]
        refused = await c.query(BY_GROUP, school, login="educator")
        assert codes(refused) == ["FORBIDDEN"]

    db.run(work)


# --------------------------------------------------------------------------- statistics

# The grid of learners per indicator (I1..I3 of one area) × level (1..3), period START.
# With only primary suppression, I1 × level 1 (2 learners) would follow from the I1 total
# (17, from groupBy [INDICATOR]) minus the visible 6 and 9.
GRID = {
    0: {1: 2, 2: 6, 3: 9},
    1: {1: 7, 2: 10, 3: 8},
    2: {1: 8, 2: 9, 3: 4},
}
# What the iteration ends with: every row and column has zero or at least two hidden cells.
EXPECTED_HIDDEN = {(0, 1), (0, 2), (1, 1), (1, 3), (2, 1), (2, 2), (2, 3)}

STATISTICS = """
query($input: DevelopmentStatisticsInput!) {
  developmentStatistics(input: $input) {
    minimumCellSize
    cells { organisation { name } area { code } indicator { code } level learners suppressed }
  }
}"""


async def build_statistics_world() -> tuple[World, list[Indicator]]:
    w = await _world_base()
    kg = w.orgs["kg"]
    fgos = await Framework.get(code="FGOS_DO")
    area = await DevelopmentArea.get(framework_id=fgos.id, code="SOCIAL")
    indicators = await Indicator.filter(area_id=area.id).order_by("position").limit(3)
    children = [await _learner(w, f"child_{n:02d}", kg) for n in range(25)]
    for learner in children:
        await _enrol(learner, w.groups["kg"])
    for i, indicator in enumerate(indicators):
        pool = iter(children)
        for level, count in GRID[i].items():
            for learner in itertools.islice(pool, count):
                await _assess(w, learner, indicator, kg, level=level)
    # Not counted: withdrawn consent, another period, another district.
    withdrawn = await _learner(w, "withdrawn", kg, consent="withdrawn")
    await _assess(w, withdrawn, indicators[0], kg, level=1)
    await _assess(w, children[0], indicators[0], kg, level=3, period="END")
    stranger = await _learner(w, "stranger", w.orgs["foreign"])
    await _assess(w, stranger, indicators[0], w.orgs["foreign"], level=1)
    return w, list(indicators)


def _input(world: World, group_by: list[str], **extra: Any) -> dict[str, Any]:
    return {
        "input": {
            "districtId": str(world.district.id),
            "frameworkCode": "FGOS_DO",
            "academicYear": YEAR,
            "period": "START",
            "groupBy": group_by,
            **extra,
        }
    }


def test_statistics_suppress_small_and_complementary_cells(db):
    async def work():
        world, indicators = await build_statistics_world()
        c = client()
        body = await c.query(STATISTICS, _input(world, ["INDICATOR", "LEVEL"]), login="official")
        assert "errors" not in body
        stats = body["data"]["developmentStatistics"]
        assert stats["minimumCellSize"] == 5
        codes_ = [i.code for i in indicators]
        cells = {
            (codes_.index(cell["indicator"]["code"]), cell["level"]): cell
            for cell in stats["cells"]
        }
        assert set(cells) == {(i, lvl) for i in GRID for lvl in GRID[i]}
        # Sorted by dimension values (A3), whatever the counts.
        assert list(cells) == sorted(cells)
        hidden = {key for key, cell in cells.items() if cell["suppressed"]}
        assert hidden == EXPECTED_HIDDEN
        for key, cell in cells.items():
            i, level = key
            if cell["suppressed"]:
                assert cell["learners"] is None
            else:
                assert cell["learners"] == GRID[i][level]
            if 0 < GRID[i][level] < 5:
                assert cell["suppressed"], "every small cell is suppressed"
        # No row (an indicator) and no column (a level) has exactly one hidden cell.
        for i in GRID:
            assert sum((i, lvl) in hidden for lvl in GRID[i]) != 1
        for level in (1, 2, 3):
            assert sum((i, level) in hidden for i in GRID) != 1

        # Try to recover hidden cells from the row totals of a coarser query.
        totals_body = await c.query(STATISTICS, _input(world, ["INDICATOR"]), login="official")
        totals = {
            codes_.index(cell["indicator"]["code"]): cell["learners"]
            for cell in totals_body["data"]["developmentStatistics"]["cells"]
        }
        assert totals == {i: sum(GRID[i].values()) for i in GRID}
        for i in GRID:
            unknown = [lvl for lvl in GRID[i] if (i, lvl) in hidden]
            visible = sum(cells[(i, lvl)]["learners"] for lvl in GRID[i] if (i, lvl) not in hidden)
            remainder = totals[i] - visible
            # The remainder is shared by at least two unknown cells: more than one split fits.
            assert len(unknown) >= 2
            splits = [
                parts
                for parts in itertools.product(range(remainder + 1), repeat=len(unknown))
                if sum(parts) == remainder
            ]
            assert len(splits) > 1

    db.run(work)


def test_statistics_count_distinct_learners_by_organisation_and_level(db):
    async def work():
        world, indicators = await build_statistics_world()
        area = await DevelopmentArea.get(id=indicators[0].area_id)
        body = await client().query(
            STATISTICS,
            _input(world, ["ORGANISATION", "LEVEL"], areaIds=[str(area.id)]),
            login="official",
        )
        cells = body["data"]["developmentStatistics"]["cells"]
        # A child counts once per level, whichever indicators put them there.
        expected: dict[int, set[int]] = {}
        for levels in GRID.values():
            child = 0
            for level, count in levels.items():
                expected.setdefault(level, set()).update(range(child, child + count))
                child += count
        assert [(c["organisation"]["name"], c["level"], c["learners"]) for c in cells] == [
            ("Детский сад № 1", level, len(expected[level])) for level in (1, 2, 3)
        ]
        assert all(c["area"] is None and c["indicator"] is None for c in cells)
        narrowed = await client().query(
            STATISTICS,
            _input(world, ["ORGANISATION"], organisationIds=[str(world.orgs["school"].id)]),
            login="official",
        )
        assert narrowed["data"]["developmentStatistics"]["cells"] == []

    db.run(work)


@pytest.mark.parametrize("login", ["operator", "admin_s", "educator", "auditor", "guardian"])
def test_statistics_only_for_district_officials(db, login):
    async def work():
        world, _ = await build_statistics_world()
        if login == "guardian":
            await Guardianship.create(learner=world.learners["child_00"], user=world.users[login])
        body = await client().query(STATISTICS, _input(world, ["LEVEL"]), login=login)
        assert codes(body) == ["FORBIDDEN"]

    db.run(work)


def test_statistics_of_another_district_answer_like_missing(db):
    async def work():
        world, _ = await build_statistics_world()
        body = await client().query(STATISTICS, _input(world, ["LEVEL"]), login="foreign_official")
        assert body["data"] == {"developmentStatistics": None} and "errors" not in body

    db.run(work)


def test_statistics_refuse_the_sensitive_framework(db):
    async def work():
        world, _ = await build_statistics_world()
        variables = _input(world, ["LEVEL"])
        variables["input"]["frameworkCode"] = "PSYCHOLOGICAL"
        body = await client().query(STATISTICS, variables, login="official")
        assert codes(body) == ["FORBIDDEN"]
        assert body["errors"][0]["extensions"]["clause"] == "R7"
        event = await AuditEvent.get(resource="statistics")
        assert (event.decision, event.clause) == ("DENY", "R7")

    db.run(work)


@pytest.mark.parametrize(
    ("group_by", "code"),
    [
        ([], None),
        (["ORGANISATION", "AREA", "INDICATOR", "LEVEL"], None),
        (["LEVEL", "LEVEL"], None),
        (["LEVEL"], "NO_SUCH_FRAMEWORK"),
    ],
)
def test_statistics_reject_bad_input(db, group_by, code):
    async def work():
        world, _ = await build_statistics_world()
        variables = _input(world, group_by)
        if code:
            variables["input"]["frameworkCode"] = code
        body = await client().query(STATISTICS, variables, login="official")
        assert codes(body) == ["BAD_USER_INPUT"]

    db.run(work)


def test_statistics_are_audited_once_without_learners(db):
    async def work():
        world, _ = await build_statistics_world()
        await client().query(STATISTICS, _input(world, ["INDICATOR", "LEVEL"]), login="official")
        events = await AuditEvent.filter(resource="statistics")
        assert [(e.decision, e.clause, e.learner_id) for e in events] == [("ALLOW", "D2", None)]

    db.run(work)


def test_reports_take_the_same_statements_whatever_the_rows(db):
    async def work():
        world, indicators = await build_statistics_world()
        c = client()
        stats = _input(world, ["ORGANISATION", "INDICATOR", "LEVEL"])
        coverage = {"d": str(world.district.id), "y": YEAR}
        with count_statements() as small_coverage:
            await c.query(COVERAGE, coverage, login="official")
        with count_statements() as small_stats:
            await c.query(STATISTICS, stats, login="official")
        for n in range(3):
            org = await make_organisation(world.district, f"Детский сад № {n + 10}")
            group = await Group.create(
                organisation=org, name="Старшая", academic_year=YEAR, level="PRESCHOOL"
            )
            for k in range(6):
                learner = await _learner(world, f"more_{n}_{k}", org)
                await _enrol(learner, group)
                for level, indicator in enumerate(indicators, 1):
                    await _assess(world, learner, indicator, org, level=level)
        with count_statements() as large_coverage:
            body = await c.query(COVERAGE, coverage, login="official")
        assert len(body["data"]["coverageReport"]["rows"]) == 7
        with count_statements() as large_stats:
            body = await c.query(STATISTICS, stats, login="official")
        assert len(body["data"]["developmentStatistics"]["cells"]) == 9 + 9
        assert len(large_coverage) == len(small_coverage)
        assert len(large_stats) == len(small_stats)

    db.run(work)


# --------------------------------------------------------------------------- suppression unit


def test_suppression_with_one_dimension_hides_a_second_cell():
    # The three cells' total comes from the coverage-like row total: hide two, not one.
    assert suppress_small_cells([(1,), (2,), (3,)], [3, 12, 10]) == [True, False, True]


def test_suppression_leaves_large_and_empty_cells():
    assert suppress_small_cells([(1,), (2,)], [0, 7]) == [False, False]
    assert suppress_small_cells([], []) == []


def test_suppression_cannot_complement_a_lone_cell():
    # A row with one non-zero cell: its total is the cell itself, itself below 5 (hidden).
    assert suppress_small_cells([(1, 1), (1, 2)], [3, 0]) == [True, False]
