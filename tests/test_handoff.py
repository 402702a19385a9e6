"""The handoff from kindergarten to school (T0–T3, C2, C3), told as one story through the API.

Dates are relative to the real today (the server's principal acts on `date.today()`), so the
90-day window of T2 is set in the data, never by waiting.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from authz.authorizer import Authorizer
from authz.principal import load_principal
from authz.scopes import content_filter
from domain.academic_year import academic_year_bounds, academic_year_of
from domain.erasure import erase_due
from models import (
    Assessment,
    AuditEvent,
    Consent,
    DestructionRecord,
    Enrollment,
    Framework,
    Group,
    GroupStaff,
    Indicator,
    Learner,
    PortfolioEntry,
    User,
)
from models.enums import (
    AssessmentPeriod,
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
from tests.test_learner_mutations import make_learner

TODAY = dt.date.today()

FIND = """query($last: String!, $first: String!, $middle: String, $born: Date!) {
  findLearner(lastName: $last, firstName: $first, middleName: $middle, birthDate: $born) {
    learnerId currentOrganisationName ambiguous
  }
}"""
READ = """query($id: ID!) {
  learner(id: $id) {
    lastName
    assessments { academicYear period level organisation { name } indicator { code } }
    transitionSummary {
      fromOrganisation { name } academicYear
      assessments { academicYear period level indicator { code } organisation { name } }
    }
  }
}"""
INCOMING = """query($org: ID!, $year: Int!) {
  organisation(id: $org) {
    incomingLearners(academicYear: $year) {
      learner { id lastName } fromOrganisation { name } transferConsent
    }
  }
}"""


def data(body: dict[str, Any]) -> dict[str, Any]:
    assert "errors" not in body, body["errors"]
    return body["data"]  # type: ignore[no-any-return]


async def gql(query: str, variables: dict[str, Any], login: str) -> dict[str, Any]:
    return data(await client().query(query, variables, login=login))


async def record_assessments(
    learner_id: str, org_id: Any, year: int, by: User, levels: dict[AssessmentPeriod, int]
) -> int:
    """Kindergarten diagnostics for one year: every indicator of two areas, per period."""
    fgos = await Framework.get(code="FGOS_DO")
    indicators = await Indicator.filter(area__framework_id=fgos.id).order_by("code").limit(3)
    for period, level in levels.items():
        for indicator in indicators:
            await Assessment.create(
                learner_id=learner_id,
                indicator=indicator,
                area_id=indicator.area_id,
                framework=fgos,
                academic_year=year,
                period=period,
                level=level,
                organisation_id=org_id,
                assessed_by=by,
                assessed_at=dt.datetime(year, 10 if period == "START" else 4, 1, tzinfo=dt.UTC),
            )
    return len(indicators)


def test_kindergarten_to_school_handoff_story(db):
    async def work():
        district = await make_district("Новооскольский городской округ")
        kg = await make_organisation(
            district, "МБДОУ «Детский сад № 3»", OrganisationKind.PRESCHOOL
        )
        school = await make_organisation(district, "МБОУ «СОШ № 1»")
        users = {
            login: await make_user(login)
            for login in (
                "kg_admin",
                "kg_teacher",
                "school_admin",
                "teacher_1a",
                "parent",
                "auditor",
            )
        }
        await grant(users["kg_admin"], Role.ORG_ADMIN, organisation=kg)
        await grant(users["kg_teacher"], Role.EDUCATOR, organisation=kg)
        await grant(users["school_admin"], Role.ORG_ADMIN, organisation=school)
        await grant(users["teacher_1a"], Role.EDUCATOR, organisation=school)
        await grant(users["auditor"], Role.AUDITOR, district=district)

        # Two years in the kindergarten; the last enrollment ends 89 days before today.
        kg_end = TODAY - dt.timedelta(days=89)
        last_year = academic_year_of(kg_end)
        first_year = last_year - 1
        groups = {}
        for year, name in ((first_year, "Старшая группа"), (last_year, "Подготовительная")):
            groups[year] = await Group.create(
                organisation=kg, name=name, academic_year=year, level=EducationLevel.PRESCHOOL
            )
        await GroupStaff.create(group=groups[last_year], user=users["kg_teacher"], supervisor=True)
        created = await gql(
            """mutation($input: CreateLearnerInput!) { createLearner(input: $input) { id } }""",
            {
                "input": {
                    "organisationId": str(kg.id),
                    "lastName": "Соловьёва",
                    "firstName": "Алёна",
                    "middleName": "Игоревна",
                    "birthDate": dt.date(TODAY.year - 7, 2, 14).isoformat(),
                    "healthGroup": 1,
                }
            },
            "kg_admin",
        )
        child = created["createLearner"]["id"]
        enrol = "mutation($input: EnrolInput!) { enrol(input: $input) { id } }"
        end = "mutation($input: EndEnrollmentInput!) { endEnrollment(input: $input) { endDate } }"
        first_enrollment = await gql(
            enrol,
            {
                "input": {
                    "learnerId": child,
                    "groupId": str(groups[first_year].id),
                    "startDate": academic_year_bounds(first_year)[0].isoformat(),
                }
            },
            "kg_admin",
        )
        await gql(
            end,
            {
                "input": {
                    "enrollmentId": first_enrollment["enrol"]["id"],
                    "endDate": academic_year_bounds(first_year)[1].isoformat(),
                }
            },
            "kg_admin",
        )
        last_start = min(academic_year_bounds(last_year)[0], kg_end)
        last_enrollment = await gql(
            enrol,
            {
                "input": {
                    "learnerId": child,
                    "groupId": str(groups[last_year].id),
                    "startDate": last_start.isoformat(),
                }
            },
            "kg_admin",
        )
        await gql(
            "mutation($input: LinkGuardianInput!) { linkGuardian(input: $input) { id } }",
            {"input": {"learnerId": child, "userId": str(users["parent"].id)}},
            "kg_admin",
        )
        give = """mutation($input: GiveConsentInput!) {
          giveConsent(input: $input) { id givenBy { login } }
        }"""
        processing = await gql(
            give, {"input": {"learnerId": child, "purpose": "PROCESSING"}}, "parent"
        )
        per_year = await record_assessments(
            child,
            kg.id,
            first_year,
            users["kg_teacher"],
            {AssessmentPeriod.START: 1, AssessmentPeriod.END: 2},
        )
        await record_assessments(
            child,
            kg.id,
            last_year,
            users["kg_teacher"],
            {AssessmentPeriod.START: 2, AssessmentPeriod.END: 3},
        )
        await gql(
            end,
            {
                "input": {
                    "enrollmentId": last_enrollment["enrol"]["id"],
                    "endDate": kg_end.isoformat(),
                }
            },
            "kg_admin",
        )

        # The guardian gives the TRANSFER consent in person (C3).
        transfer = await gql(give, {"input": {"learnerId": child, "purpose": "TRANSFER"}}, "parent")
        assert transfer["giveConsent"]["givenBy"] == {"login": "parent"}

        # The school finds the child (T0) and enrols it into 1st grade: same record, no copy.
        found = await gql(
            FIND,
            {
                "last": "СОЛОВЬЕВА ",
                "first": " алёна",
                "middle": "игоревна",
                "born": dt.date(TODAY.year - 7, 2, 14).isoformat(),
            },
            "school_admin",
        )
        assert found["findLearner"] == {
            "learnerId": child,
            "currentOrganisationName": None,
            "ambiguous": False,
        }
        school_start = kg_end + dt.timedelta(days=1)
        school_year = academic_year_of(school_start)
        first_grade = await Group.create(
            organisation=school,
            name="1А",
            academic_year=school_year,
            level=EducationLevel.PRIMARY,
            grade=1,
        )
        await GroupStaff.create(group=first_grade, user=users["teacher_1a"], supervisor=True)
        await gql(
            enrol,
            {
                "input": {
                    "learnerId": child,
                    "groupId": str(first_grade.id),
                    "startDate": school_start.isoformat(),
                }
            },
            "school_admin",
        )
        assert await Learner.all().count() == 1
        found = await gql(
            FIND,
            {
                "last": "Соловьева",
                "first": "Алена",
                "middle": "Игоревна",
                "born": dt.date(TODAY.year - 7, 2, 14).isoformat(),
            },
            "school_admin",
        )
        assert found["findLearner"]["currentOrganisationName"] == "МБОУ «СОШ № 1»"

        incoming = await gql(INCOMING, {"org": str(school.id), "year": school_year}, "school_admin")
        assert incoming["organisation"]["incomingLearners"] == [
            {
                "learner": {"id": child, "lastName": "Соловьёва"},
                "fromOrganisation": {"name": "МБДОУ «Детский сад № 3»"},
                "transferConsent": True,
            }
        ]

        # The 1st-grade teacher reads the preschool record and the transition summary (T1).
        seen = (await gql(READ, {"id": child}, "teacher_1a"))["learner"]
        assert len(seen["assessments"]) == 4 * per_year
        assert {a["organisation"]["name"] for a in seen["assessments"]} == {
            "МБДОУ «Детский сад № 3»"
        }
        summary = seen["transitionSummary"]
        assert summary["fromOrganisation"]["name"] == "МБДОУ «Детский сад № 3»"
        assert summary["academicYear"] == last_year
        assert len(summary["assessments"]) == per_year
        assert {(a["academicYear"], a["period"], a["level"]) for a in summary["assessments"]} == {
            (last_year, "END", 3)
        }
        t1_events = await AuditEvent.filter(
            learner_id=child, actor_id=users["teacher_1a"].id, decision="ALLOW"
        )
        assert any("transition" in (e.section or "") for e in t1_events)
        assert any("T1" in (e.clause or "").split(",") for e in t1_events)

        # ...read-only: the kindergarten's records are outside every writable scope of the school.
        authorizer = Authorizer()
        for login in ("teacher_1a", "school_admin"):
            principal = await load_principal(users[login])
            for action in ("create", "update"):
                decision = authorizer.decide(principal, action, "assessment")
                writable = Assessment.filter(learner_id=child, organisation_id=kg.id).filter(
                    content_filter(decision, TODAY)
                )
                assert await writable.count() == 0, (login, action)
        c = client()
        # A direct attempt to re-record the kindergarten's diagnostics of its last year fails
        # and changes nothing (T3): the records stay the kindergarten's.
        kg_rows = await Assessment.filter(learner_id=child, organisation_id=kg.id).order_by("id")
        attempt = await c.query(
            """mutation($input: RecordAssessmentsInput!) {
              recordAssessments(input: $input) { id } }""",
            {
                "input": {
                    "academicYear": last_year,
                    "period": "END",
                    "items": [
                        {
                            "learnerId": child,
                            "indicatorId": str(kg_rows[-1].indicator_id),
                            "level": 1,
                        }
                    ],
                }
            },
            login="teacher_1a",
        )
        assert attempt.get("errors"), attempt
        after = await Assessment.filter(learner_id=child, organisation_id=kg.id).order_by("id")
        assert [(a.id, a.level) for a in after] == [(a.id, a.level) for a in kg_rows]
        kg_enrollment = last_enrollment["enrol"]["id"]
        refused = await c.query(
            end,
            {"input": {"enrollmentId": kg_enrollment, "endDate": kg_end.isoformat()}},
            login="school_admin",
        )
        assert codes(refused) == ["FORBIDDEN"]
        assert refused["errors"][0]["extensions"]["clause"] == "T3"
        refused = await c.query(
            end,
            {"input": {"enrollmentId": kg_enrollment, "endDate": kg_end.isoformat()}},
            login="teacher_1a",
        )
        assert codes(refused) == ["FORBIDDEN"]

        # T2: the kindergarten still reads its own records on day 89 ...
        kg_view = (await gql(READ, {"id": child}, "kg_admin"))["learner"]
        assert len(kg_view["assessments"]) == 4 * per_year
        # ... and paper consents for a child who left are refused with T2 (read-only).
        refused = await c.query(
            give,
            {"input": {"learnerId": child, "purpose": "TRANSFER", "documentRef": "Б-9"}},
            login="kg_admin",
        )
        assert codes(refused) == ["FORBIDDEN"]
        assert refused["errors"][0]["extensions"]["clause"] == "T2"
        # ... and not on day 91.
        day_91 = TODAY - dt.timedelta(days=91)
        for row in await Enrollment.filter(learner_id=child, organisation_id=kg.id):
            assert row.end_date is not None
            await Enrollment.filter(id=row.id).update(
                start_date=min(row.start_date, day_91), end_date=min(row.end_date, day_91)
            )
        gone = await c.query(READ, {"id": child}, login="kg_admin")
        assert gone["data"] == {"learner": None}

        # C2: the guardian withdraws PROCESSING: the school keeps the roster only.
        withdraw = "mutation($id: ID!) { withdrawConsent(consentId: $id) { active withdrawnAt } }"
        withdrawn = await gql(withdraw, {"id": processing["giveConsent"]["id"]}, "parent")
        assert withdrawn["withdrawConsent"]["active"] is False
        for login in ("teacher_1a", "school_admin"):
            roster = (await gql(READ, {"id": child}, login))["learner"]
            assert roster["lastName"] == "Соловьёва"
            assert roster["assessments"] == [] and roster["transitionSummary"] is None
        parent_view = (await gql(READ, {"id": child}, "parent"))["learner"]
        assert len(parent_view["assessments"]) == 4 * per_year
        assert parent_view["transitionSummary"]["academicYear"] == last_year

        # 31 days after the withdrawal the content is erased, leaving a destruction record.
        consent = await Consent.get(id=processing["giveConsent"]["id"])
        assert consent.withdrawn_at is not None
        too_early = await erase_due(
            today=consent.withdrawn_at.date() + dt.timedelta(days=30), pseudonym_key="k"
        )
        assert too_early.learners == 0
        summary = await erase_due(
            today=consent.withdrawn_at.date() + dt.timedelta(days=31), pseudonym_key="k"
        )
        assert summary.learners == 1 and summary.counts["assessments"] == 4 * per_year
        assert await Assessment.filter(learner_id=child).count() == 0
        record = await DestructionRecord.get(district_id=district.id)
        assert record.counts["assessments"] == 4 * per_year
        assert "C2" in record.reason and child not in record.learner_ref
        parent_view = (await gql(READ, {"id": child}, "parent"))["learner"]
        assert parent_view["assessments"] == [] and parent_view["lastName"] == "Соловьёва"
        chain = await gql(
            "query($d: ID!) { verifyAuditLog(districtId: $d) { valid events } }",
            {"d": str(district.id)},
            "auditor",
        )
        assert chain["verifyAuditLog"]["valid"] is True and chain["verifyAuditLog"]["events"] > 10

    db.run(work)


# --------------------------------------------------------------------------- T0 look-ups


async def roster_world() -> dict[str, Any]:
    district = await make_district("Округ")
    other = await make_district("Соседний округ")
    kg = await make_organisation(district, "Детский сад № 5", OrganisationKind.PRESCHOOL)
    school = await make_organisation(district, "СОШ № 4")
    foreign = await make_organisation(other, "СОШ № 1")
    group = await Group.create(
        organisation=kg,
        name="Старшая",
        academic_year=academic_year_of(TODAY),
        level=EducationLevel.PRESCHOOL,
    )
    users = {
        login: await make_user(login)
        for login in ("school_admin", "operator", "educator", "foreign_admin", "official")
    }
    await grant(users["school_admin"], Role.ORG_ADMIN, organisation=school)
    await grant(users["operator"], Role.DISTRICT_OPERATOR, district=district)
    await grant(users["educator"], Role.EDUCATOR, organisation=school)
    await grant(users["foreign_admin"], Role.ORG_ADMIN, organisation=foreign)
    await grant(users["official"], Role.DISTRICT_OFFICIAL, district=district)
    born = dt.date(TODAY.year - 6, 8, 30)
    fedor = await make_learner(kg, "Фёдоров", born=born, group=group)
    await Learner.filter(id=fedor.id).update(
        first_name="Фёдор", middle_name="Семёнович", name_key="федоров|федор|семенович"
    )
    return {
        "district": district,
        "kg": kg,
        "group": group,
        "users": users,
        "born": born,
        "fedor": fedor,
    }


def test_find_learner_normalises_misses_and_reports_ambiguity(db):
    async def work():
        w = await roster_world()
        c = client()
        born = w["born"].isoformat()
        variables = {"last": "  ФЕДОРОВ", "first": "фёдор ", "middle": "Семенович", "born": born}
        for login in ("school_admin", "operator"):
            hit = await gql(FIND, variables, login)
            assert hit["findLearner"] == {
                "learnerId": str(w["fedor"].id),
                "currentOrganisationName": "Детский сад № 5",
                "ambiguous": False,
            }
        misses = [
            {**variables, "born": (w["born"] + dt.timedelta(days=1)).isoformat()},
            {**variables, "middle": None},
            {**variables, "first": "Федя"},
        ]
        for miss in misses:
            answer = await gql(FIND, miss, "school_admin")
            assert answer["findLearner"] == {
                "learnerId": None,
                "currentOrganisationName": None,
                "ambiguous": False,
            }
        # Another district's admin finds nothing: the look-up stays in one's own district.
        other = await gql(FIND, variables, "foreign_admin")
        assert other["findLearner"]["learnerId"] is None

        twin = await make_learner(w["kg"], "Федоров", born=w["born"])
        await Learner.filter(id=twin.id).update(
            first_name="Федор", middle_name="Семенович", name_key="федоров|федор|семенович"
        )
        both = await gql(FIND, variables, "school_admin")
        assert both["findLearner"] == {
            "learnerId": None,
            "currentOrganisationName": None,
            "ambiguous": True,
        }
        empty = await c.query(FIND, {**variables, "last": "  "}, login="school_admin")
        assert codes(empty) == ["BAD_USER_INPUT"]

        for login in ("educator", "official"):
            refused = await c.query(FIND, variables, login=login)
            assert codes(refused) == ["FORBIDDEN"] and refused["data"] == {"findLearner": None}

        events = await AuditEvent.filter(action="find").order_by("seq")
        admin_id = w["users"]["school_admin"].id
        admin_events = [e for e in events if e.actor_id == admin_id]
        # One event per look-up request: hits name the learner, misses and ambiguity do not.
        assert [e.learner_id for e in admin_events] == [w["fedor"].id, None, None, None, None]
        assert {(e.decision, e.clause) for e in admin_events} == {("ALLOW", "T0")}
        assert {(e.decision, e.clause) for e in events if e.actor_id != admin_id} >= {
            ("ALLOW", "T0"),
            ("DENY", "R11"),
        }

    db.run(work)


# --------------------------------------------------------------------------- T1 refusals


def test_without_transfer_consent_nothing_is_handed_over(db):
    async def work():
        w = await roster_world()
        school = await make_organisation(w["district"], "СОШ № 7")
        admin = await make_user("admin7")
        teacher = await make_user("teacher7")
        await grant(admin, Role.ORG_ADMIN, organisation=school)
        await grant(teacher, Role.EDUCATOR, organisation=school)
        kid = w["fedor"]
        kg_row = await Enrollment.get(learner_id=kid.id)
        end = TODAY - dt.timedelta(days=5)
        start = min(kg_row.start_date, end)
        await Enrollment.filter(id=kg_row.id).update(start_date=start, end_date=end)
        year = academic_year_of(TODAY)
        grade = await Group.create(
            organisation=school,
            name="1В",
            academic_year=year,
            level=EducationLevel.PRIMARY,
            grade=1,
        )
        await GroupStaff.create(group=grade, user=teacher)
        await Enrollment.create(
            learner=kid,
            group=grade,
            organisation_id=school.id,
            academic_year=year,
            start_date=TODAY - dt.timedelta(days=4),
        )
        await Consent.create(
            learner=kid,
            purpose=ConsentPurpose.PROCESSING,
            recorded_by=admin,
            document_ref="Б-1",
            given_at=dt.datetime(TODAY.year - 1, 1, 1, tzinfo=dt.UTC),
        )
        educator = await make_user("kg_educator")
        await record_assessments(
            str(kid.id), w["kg"].id, kg_row.academic_year, educator, {AssessmentPeriod.END: 2}
        )
        await PortfolioEntry.create(
            learner=kid,
            category=EntryCategory.CREATIVE,
            level=EntryLevel.ORGANISATION,
            title="Выставка рисунков",
            event_date=start,
            status=EntryStatus.VERIFIED,
            organisation_id=w["kg"].id,
            submitted_by=educator,
        )
        for login in ("admin7", "teacher7"):
            seen = (await gql(READ, {"id": str(kid.id)}, login))["learner"]
            assert seen["lastName"] == "Фёдоров"
            assert seen["assessments"] == [] and seen["transitionSummary"] is None
        incoming = await gql(INCOMING, {"org": str(school.id), "year": year}, "admin7")
        assert incoming["organisation"]["incomingLearners"] == [
            {
                "learner": {"id": str(kid.id), "lastName": "Фёдоров"},
                "fromOrganisation": {"name": "Детский сад № 5"},
                "transferConsent": False,
            }
        ]
        # With the consent, the same viewers read the kindergarten's diagnostics.
        await Consent.create(
            learner=kid,
            purpose=ConsentPurpose.TRANSFER,
            recorded_by=admin,
            document_ref="Б-2",
            given_at=dt.datetime(TODAY.year - 1, 1, 1, tzinfo=dt.UTC),
        )
        seen = (await gql(READ, {"id": str(kid.id)}, "teacher7"))["learner"]
        assert len(seen["assessments"]) == 3
        assert seen["transitionSummary"]["academicYear"] == kg_row.academic_year
        # The operator reads the organisation (R2) but no learners: nobody is listed (R1).
        other = await gql(INCOMING, {"org": str(school.id), "year": year}, "operator")
        assert other["organisation"] == {"incomingLearners": []}

    db.run(work)


def test_incoming_learners_and_summaries_do_not_grow_queries_with_rows(db):
    """One query set per batch: the SQL count is the same for one learner and for five."""

    async def count_queries(query: str, variables: dict[str, Any], login: str) -> int:
        with count_statements() as statements:
            await gql(query, variables, login)
        return len(statements)

    async def work():
        w = await roster_world()
        admin = await make_user("admin8")
        school = await make_organisation(w["district"], "СОШ № 8")
        await grant(admin, Role.ORG_ADMIN, organisation=school)
        year = academic_year_of(TODAY)
        grade = await Group.create(
            organisation=school,
            name="1А",
            academic_year=year,
            level=EducationLevel.PRIMARY,
            grade=1,
        )
        educator = await make_user("kg_educator")
        query = """query($org: ID!, $year: Int!) { organisation(id: $org) {
            incomingLearners(academicYear: $year) { learner { id transitionSummary {
              academicYear assessments { level } } } fromOrganisation { name } transferConsent }
        } }"""
        counts = []
        for n in (1, 5):
            for i in range(n if not counts else n - 1):
                kid = await make_learner(w["kg"], f"Ребёнок{n}{i}", group=w["group"])
                kg_row = await Enrollment.get(learner_id=kid.id)
                end = TODAY - dt.timedelta(days=3)
                await Enrollment.filter(id=kg_row.id).update(
                    start_date=min(kg_row.start_date, end), end_date=end
                )
                await Enrollment.create(
                    learner=kid,
                    group=grade,
                    organisation_id=school.id,
                    academic_year=year,
                    start_date=TODAY - dt.timedelta(days=2),
                )
                for purpose in ConsentPurpose:
                    await Consent.create(
                        learner=kid,
                        purpose=purpose,
                        recorded_by=admin,
                        document_ref="Б",
                        given_at=dt.datetime(TODAY.year - 1, 1, 1, tzinfo=dt.UTC),
                    )
                await record_assessments(
                    str(kid.id),
                    w["kg"].id,
                    kg_row.academic_year,
                    educator,
                    {AssessmentPeriod.END: 2},
                )
            counts.append(
                await count_queries(query, {"org": str(school.id), "year": year}, "admin8")
            )
        body = await gql(query, {"org": str(school.id), "year": year}, "admin8")
        rows = body["organisation"]["incomingLearners"]
        assert len(rows) == 5 and all(r["learner"]["transitionSummary"] for r in rows)
        assert counts[0] == counts[1], counts

    db.run(work)
