"""Representative operations send a fixed number of SQL statements, whatever the row count."""

from __future__ import annotations

import datetime as dt

from domain.names import name_key, normalise_name_part
from models import (
    Assessment,
    Consent,
    Enrollment,
    Framework,
    Group,
    Guardianship,
    Indicator,
    Learner,
    PortfolioEntry,
)
from tests.helpers import client
from tests.sql_counter import count_statements
from tests.test_access_matrix import build_world

GROUP_VIEW = """query($g: ID!) { group(id: $g) { name staff { user { login } supervisor }
  learners { id lastName firstName healthGroup
    currentEnrollment { startDate group { name } organisation { name } }
    consents { purpose active }
    assessments(academicYear: 2026) { level period indicator { code area { code } } }
    entries(first: 10) { totalCount edges { node { title status } } } } } }"""

PAGE = """query($a: String) { learners(first: 100, after: $a) { totalCount
  pageInfo { hasNextPage endCursor } edges { cursor node { id lastName birthDate
  currentEnrollment { group { name } } } } } }"""

PORTFOLIO = """query($id: ID!) { learner(id: $id) { lastName healthGroup specialNeeds
  enrollments { startDate endDate group { name academicYear } organisation { name } }
  guardians { login } consents { purpose active givenAt givenBy { login } }
  assessments { academicYear period level indicator { name area { name framework { code } } } }
  entries(first: 50) { totalCount edges { node { title status organisation { name } } } }
  portfolioFormed(academicYear: 2026) } }"""


async def _grow_group(world, size: int) -> str:
    """Add learners with consents, assessments and entries to group 1А of the school."""
    group = await Group.get(name="1А", organisation_id=world["school"].id)
    fgos = await Framework.get(code="PRIMARY_META")
    indicators = await Indicator.filter(area__framework_id=fgos.id)
    for n in range(size):
        learner = await Learner.create(
            district_id=world["school"].district_id,
            created_by_organisation=world["school"],
            last_name=f"Ученик{n:03d}",
            first_name="Имя",
            birth_date=dt.date(2019, 3, 1),
            name_key=name_key(f"ученик{n:03d}", "имя", None),
            last_name_key=normalise_name_part(f"ученик{n:03d}"),
        )
        await Enrollment.create(
            learner=learner,
            group=group,
            organisation_id=group.organisation_id,
            academic_year=2026,
            start_date=dt.date(2026, 9, 1),
        )
        await Consent.create(
            learner=learner,
            purpose="PROCESSING",
            recorded_by=world["users"]["admin_s"],
            given_at=dt.datetime(2026, 9, 1, tzinfo=dt.UTC),
        )
        await Guardianship.create(learner=learner, user=world["users"]["guardian_mine"])
        await Assessment.bulk_create(
            [
                Assessment(
                    learner=learner,
                    indicator=i,
                    area_id=i.area_id,
                    framework=fgos,
                    academic_year=2026,
                    period="START",
                    level=2,
                    organisation_id=group.organisation_id,
                    assessed_by=world["users"]["teacher_a"],
                    assessed_at=dt.datetime(2026, 10, 1, tzinfo=dt.UTC),
                )
                for i in indicators
            ]
        )
        await PortfolioEntry.create(
            learner=learner,
            category="SPORT",
            level="MUNICIPAL",
            title="Эстафета",
            event_date=dt.date(2026, 10, 5),
            status="VERIFIED",
            organisation_id=group.organisation_id,
            submitted_by=world["users"]["teacher_a"],
        )
    return str(group.id)


async def _statements(query: str, variables: dict, login: str) -> tuple[int, dict]:
    c = client()
    await c.query("{ me { user { login } } }", login=login)  # warm the app
    with count_statements() as statements:
        body = await c.query(query, variables, login=login)
    assert "errors" not in body, body.get("errors")
    return len(statements), body


def _measure(db, query: str, login: str, sizes=(3, 30), variables_of=None):
    counts = {}
    for size in sizes:

        async def work(size=size):
            world = await build_world()
            group_id = await _grow_group(world, size)
            variables = variables_of(world, group_id) if variables_of else {}
            return await _statements(query, variables, login)

        counts[size] = db.run(work)
    return counts


def test_teacher_group_view_does_not_grow_with_learners(db):
    counts = _measure(db, GROUP_VIEW, "teacher_a", variables_of=lambda w, g: {"g": g})
    small, large = counts[3][0], counts[30][0]
    learners = counts[30][1]["data"]["group"]["learners"]
    assert len(learners) == 30 + 3  # the world's own 1А learners are there too
    assert all(len(r["assessments"]) >= 9 for r in learners if r["lastName"].startswith("Ученик"))
    assert small == large, (small, large)
    print(f"group view: {large} statements for 33 learners")


def test_page_of_learners_does_not_grow(db):
    counts = _measure(db, PAGE, "admin_s", sizes=(5, 100))
    assert counts[100][1]["data"]["learners"]["totalCount"] == 105
    assert counts[5][0] == counts[100][0]


def test_full_portfolio_statements_are_fixed(db):
    async def work():
        world = await build_world()
        await _grow_group(world, 2)
        return await _statements(
            PORTFOLIO, {"id": str(world["learners"]["mine"].id)}, "guardian_mine"
        )

    count, body = db.run(work)
    assert body["data"]["learner"]["lastName"] == "Mine"
    assert count <= 30, count


def test_authorization_costs_one_query_per_request(db):
    """Authentication reads the user; the principal (grants and relations) is one more query."""

    async def work():
        await build_world()
        c = client()
        await c.query("{ frameworks { code } }", login="teacher_a")
        with count_statements() as statements:
            body = await c.query("{ frameworks { code } }", login="teacher_a")
        assert len(body["data"]["frameworks"]) == 4
        return statements

    statements = db.run(work)
    assert len(statements) == 3, statements  # user, principal, the frameworks themselves
