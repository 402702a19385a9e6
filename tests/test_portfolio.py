"""Assessments and entries: A1, A2, A4, C1, T3, CONFLICT and all-or-nothing."""

from __future__ import annotations

import datetime as dt

from models import Assessment, AssessmentRevision, Consent, Indicator, PortfolioEntry
from tests.helpers import client, codes
from tests.test_access_matrix import build_world

RECORD = """mutation($y: Int!, $p: AssessmentPeriod!, $items: [AssessmentItemInput!]!, $r: String) {
  recordAssessments(input: {academicYear: $y, period: $p, items: $items, reason: $r}) {
    id level learner { lastName } indicator { code } organisation { name } } }"""


async def _indicators(code: str = "PRIMARY_META"):
    return await Indicator.filter(area__framework__code=code).order_by("area__position", "position")


def test_record_assessments_for_own_group_and_re_record_keeps_history(db):
    async def work():
        world = await build_world()
        learners = world["learners"]
        indicators = await _indicators()
        c = client()
        items = [
            {"learnerId": str(learners[k].id), "indicatorId": str(i.id), "level": 2}
            for k in ("mine", "moved_with_transfer")
            for i in indicators[:3]
        ]
        body = await c.query(RECORD, {"y": 2026, "p": "MIDDLE", "items": items}, login="teacher_a")
        rows = body["data"]["recordAssessments"]
        assert len(rows) == 6 and {r["organisation"]["name"] for r in rows} == {"СОШ № 2"}
        items[0]["level"] = 3
        again = await c.query(
            RECORD, {"y": 2026, "p": "MIDDLE", "items": items[:1]}, login="teacher_a"
        )
        assert again["data"]["recordAssessments"][0]["level"] == 3
        revision = await AssessmentRevision.get()
        assert revision.level == 2
        assert await Assessment.filter(academic_year=2026, period="MIDDLE").count() == 6

    db.run(work)


def test_one_bad_item_writes_nothing(db):
    async def work():
        world = await build_world()
        learners = world["learners"]
        indicators = await _indicators()
        c = client()
        good = {
            "learnerId": str(learners["mine"].id),
            "indicatorId": str(indicators[0].id),
            "level": 2,
        }
        other_group = {
            "learnerId": str(learners["other_group"].id),
            "indicatorId": str(indicators[0].id),
            "level": 2,
        }
        body = await c.query(
            RECORD, {"y": 2026, "p": "MIDDLE", "items": [good, other_group]}, login="teacher_a"
        )
        assert codes(body) == ["NOT_FOUND"] and "items[1]" in body["errors"][0]["message"]
        off_scale = dict(good, level=7)
        body = await c.query(
            RECORD, {"y": 2026, "p": "MIDDLE", "items": [good, off_scale]}, login="teacher_a"
        )
        assert codes(body) == ["BAD_USER_INPUT"]
        assert await Assessment.filter(period="MIDDLE").count() == 0

    db.run(work)


def test_consent_required_without_processing_consent(db):
    async def work():
        world = await build_world()
        await Consent.filter(learner_id=world["learners"]["mine"].id).update(
            withdrawn_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
        )
        indicators = await _indicators()
        body = await client().query(
            RECORD,
            {
                "y": 2026,
                "p": "MIDDLE",
                "items": [
                    {
                        "learnerId": str(world["learners"]["mine"].id),
                        "indicatorId": str(indicators[0].id),
                        "level": 2,
                    }
                ],
            },
            login="teacher_a",
        )
        assert codes(body) == ["CONSENT_REQUIRED"]

    db.run(work)


def test_closed_period_only_org_admin_with_reason(db):
    async def work():
        world = await build_world()
        learners = world["learners"]
        indicators = await _indicators()
        c = client()
        group_id = (await learners["mine"].enrollments.all())[0].group_id
        item = [
            {
                "learnerId": str(learners["mine"].id),
                "indicatorId": str(indicators[0].id),
                "level": 2,
            }
        ]
        closed = await c.query(
            """mutation($g: ID!) { closeAssessmentPeriod(input: {groupId: $g, academicYear: 2026,
            period: START}) { name } }""",
            {"g": str(group_id)},
            login="admin_s",
        )
        assert closed["data"]["closeAssessmentPeriod"]["name"] == "1А"
        teacher = await c.query(RECORD, {"y": 2026, "p": "START", "items": item}, login="teacher_a")
        assert codes(teacher) == ["FORBIDDEN"]
        assert teacher["errors"][0]["extensions"]["clause"] == "A2"
        no_reason = await c.query(RECORD, {"y": 2026, "p": "START", "items": item}, login="admin_s")
        assert codes(no_reason) == ["BAD_USER_INPUT"]
        with_reason = await c.query(
            RECORD,
            {"y": 2026, "p": "START", "items": item, "r": "исправление ошибки ввода"},
            login="admin_s",
        )
        assert with_reason["data"]["recordAssessments"][0]["level"] == 2
        refused = await c.query(
            """mutation($g: ID!) { closeAssessmentPeriod(input: {groupId: $g, academicYear: 2026,
            period: END}) { name } }""",
            {"g": str(group_id)},
            login="teacher_a",
        )
        assert codes(refused) == ["FORBIDDEN"]

    db.run(work)


ADD = """mutation($l: ID!, $t: String!) { addPortfolioEntry(input: {learnerId: $l,
  category: OLYMPIAD, level: MUNICIPAL, title: $t, eventDate: "2026-11-20"}) {
  id status version organisation { name } submittedBy { login } } }"""


def test_entries_status_by_author_verification_and_conflict(db):
    async def work():
        world = await build_world()
        mine = str(world["learners"]["mine"].id)
        c = client()
        by_guardian = (
            await c.query(ADD, {"l": mine, "t": "Олимпиада по математике"}, login="guardian_mine")
        )["data"]["addPortfolioEntry"]
        assert by_guardian["status"] == "SUBMITTED"
        by_supervisor = (await c.query(ADD, {"l": mine, "t": "Конкурс чтецов"}, login="teacher_a"))[
            "data"
        ]["addPortfolioEntry"]
        assert by_supervisor["status"] == "VERIFIED"
        other = await c.query(
            ADD, {"l": str(world["learners"]["other_org"].id), "t": "X"}, login="guardian_mine"
        )
        assert codes(other) == ["NOT_FOUND"]
        update = """mutation($id: ID!, $v: Int!) { updatePortfolioEntry(input: {id: $id,
            version: $v, result: "призёр"}) { version result } }"""
        first = await c.query(update, {"id": by_guardian["id"], "v": 1}, login="guardian_mine")
        assert first["data"]["updatePortfolioEntry"] == {"version": 2, "result": "призёр"}
        stale = await c.query(update, {"id": by_guardian["id"], "v": 1}, login="guardian_mine")
        assert codes(stale) == ["CONFLICT"]
        assert (await PortfolioEntry.get(id=by_guardian["id"])).version == 2
        verify = """mutation($id: ID!, $a: Boolean!, $c: String) { verifyPortfolioEntry(
            input: {id: $id, approve: $a, comment: $c}) { status verifiedBy { login } } }"""
        refused = await c.query(verify, {"id": by_guardian["id"], "a": True}, login="guardian_mine")
        assert codes(refused) == ["FORBIDDEN"]
        verified = await c.query(verify, {"id": by_guardian["id"], "a": True}, login="teacher_a")
        assert verified["data"]["verifyPortfolioEntry"]["status"] == "VERIFIED"
        again = await c.query(
            verify, {"id": by_guardian["id"], "a": False, "c": "нет"}, login="admin_s"
        )
        assert codes(again) == ["CONFLICT"]
        listing = await c.query(
            """query($id: ID!) { learner(id: $id) { entries(first: 1) { totalCount
            edges { cursor node { title } } pageInfo { hasNextPage endCursor } } } }""",
            {"id": mine},
            login="guardian_mine",
        )
        entries = listing["data"]["learner"]["entries"]
        assert entries["totalCount"] == 2 and entries["pageInfo"]["hasNextPage"] is True
        page2 = await c.query(
            """query($id: ID!, $a: String) { learner(id: $id) { entries(first: 1, after: $a) {
            edges { node { title } } pageInfo { hasNextPage } } } }""",
            {"id": mine, "a": entries["pageInfo"]["endCursor"]},
            login="guardian_mine",
        )
        titles = {
            entries["edges"][0]["node"]["title"],
            page2["data"]["learner"]["entries"]["edges"][0]["node"]["title"],
        }
        assert titles == {"Олимпиада по математике", "Конкурс чтецов"}
        too_many = await c.query(
            "query($id: ID!) { learner(id: $id) { entries(first: 101) { totalCount } } }",
            {"id": mine},
            login="guardian_mine",
        )
        assert codes(too_many) == ["BAD_USER_INPUT"]

    db.run(work)


def test_portfolio_formed_for_school_needs_assessment_or_verified_entry(db):
    async def work():
        world = await build_world()
        c = client()
        query = """query($id: ID!) { learner(id: $id) { portfolioFormed(academicYear: 2026) } }"""
        other = str(world["learners"]["other_group"].id)
        assert (await c.query(query, {"id": other}, login="admin_s"))["data"]["learner"][
            "portfolioFormed"
        ] is True  # assessed at START 2026 in the world
        await Assessment.filter(learner_id=other).delete()
        assert (await c.query(query, {"id": other}, login="admin_s"))["data"]["learner"][
            "portfolioFormed"
        ] is False

    db.run(work)


def test_portfolio_formed_agrees_with_the_coverage_report(db):
    """D1 is computed per learner (portfolioFormed) and per organisation (coverage): same rule."""

    async def work():
        import datetime as dt

        from domain.reports import coverage_report
        from models import Framework

        world = await build_world()
        school = world["school"]
        psych = await Framework.get(code="PSYCHOLOGICAL")
        indicator = await Indicator.filter(area__framework_id=psych.id).first()
        # Only a psychological assessment this year: not formed under either computation.
        other = world["learners"]["other_group"]
        await Assessment.filter(learner_id=other.id).delete()
        await Assessment.create(
            learner=other,
            indicator=indicator,
            area_id=indicator.area_id,
            framework=psych,
            academic_year=2026,
            period="START",
            level=2,
            organisation=school,
            assessed_by=world["users"]["psy_s"],
            assessed_at=dt.datetime(2026, 10, 1, tzinfo=dt.UTC),
        )
        report = await coverage_report(
            district_id=school.district_id,
            academic_year=2026,
            organisation_ids=frozenset({school.id}),
        )
        c = client()
        formed = 0
        page = await c.query(
            "{ learners(first: 100) { edges { node { id"
            " portfolioFormed(academicYear: 2026) enrollments { organisation"
            " { name } endDate } } } } }",
            login="admin_s",
        )
        for edge in page["data"]["learners"]["edges"]:
            node = edge["node"]
            enrolled_here = any(e["organisation"]["name"] == "СОШ № 2" for e in node["enrollments"])
            if enrolled_here and node["portfolioFormed"]:
                formed += 1
        assert formed == report.lines[0].counts.formed

    db.run(work)
