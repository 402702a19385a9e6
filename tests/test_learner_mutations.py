"""Roster mutations through GraphQL: allowed use, refusals (FORBIDDEN / NOT_FOUND / T2 / T3),
validation, conflicts, audit events and all-or-nothing writes."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from domain.academic_year import academic_year_bounds, academic_year_of
from domain.names import name_key, normalise_name_part
from models import (
    AuditEvent,
    Consent,
    Enrollment,
    Group,
    GroupStaff,
    Guardianship,
    Learner,
    Organisation,
)
from models.enums import ConsentPurpose, EducationLevel, OrganisationKind, Role
from tests.helpers import client, codes, grant, make_district, make_organisation, make_user

TODAY = dt.date.today()
YEAR = academic_year_of(TODAY)
YEAR_START, YEAR_END = academic_year_bounds(YEAR)

CREATE = """mutation($input: CreateLearnerInput!) {
  createLearner(input: $input) { id lastName firstName middleName birthDate healthGroup }
}"""
ENROL = """mutation($input: EnrolInput!) {
  enrol(input: $input) { id startDate endDate group { name } organisation { name } }
}"""
END = """mutation($input: EndEnrollmentInput!) { endEnrollment(input: $input) { id endDate } }"""
LINK_GUARDIAN = """mutation($input: LinkGuardianInput!) {
  linkGuardian(input: $input) { id guardians { login } }
}"""
GIVE = """mutation($input: GiveConsentInput!) {
  giveConsent(input: $input) {
    id purpose documentRef active givenBy { login } recordedBy { login } withdrawnAt
  }
}"""
WITHDRAW = """mutation($id: ID!) {
  withdrawConsent(consentId: $id) { id active withdrawnAt givenAt givenBy { login } }
}"""
LINK_ACCOUNT = """mutation($input: LinkLearnerAccountInput!) {
  linkLearnerAccount(input: $input) { id firstName }
}"""


def error(body: dict[str, Any]) -> dict[str, Any]:
    assert body.get("errors"), body
    return body["errors"][0]  # type: ignore[no-any-return]


async def build() -> dict[str, Any]:
    """Two organisations of one district, one of another; admins, staff, guardians."""
    district = await make_district("Округ")
    other = await make_district("Другой округ")
    kg = await make_organisation(district, "Детский сад № 1", OrganisationKind.PRESCHOOL)
    school = await make_organisation(district, "СОШ № 2")
    school2 = await make_organisation(district, "СОШ № 3")
    foreign = await make_organisation(other, "СОШ № 9")
    groups = {
        "kg": await Group.create(
            organisation=kg, name="Старшая", academic_year=YEAR, level=EducationLevel.PRESCHOOL
        ),
        "kg_last": await Group.create(
            organisation=kg,
            name="Средняя",
            academic_year=YEAR - 1,
            level=EducationLevel.PRESCHOOL,
        ),
        "1a": await Group.create(
            organisation=school,
            name="1А",
            academic_year=YEAR,
            level=EducationLevel.PRIMARY,
            grade=1,
        ),
        "1b": await Group.create(
            organisation=school,
            name="1Б",
            academic_year=YEAR,
            level=EducationLevel.PRIMARY,
            grade=1,
        ),
        "s2": await Group.create(
            organisation=school2,
            name="1А",
            academic_year=YEAR,
            level=EducationLevel.PRIMARY,
            grade=1,
        ),
        "foreign": await Group.create(
            organisation=foreign,
            name="1А",
            academic_year=YEAR,
            level=EducationLevel.PRIMARY,
            grade=1,
        ),
    }
    users = {
        login: await make_user(login)
        for login in (
            "admin_kg",
            "admin_s",
            "admin_s2",
            "foreign_admin",
            "teacher",
            "operator",
            "guardian",
            "guardian2",
            "someone",
            "teen",
        )
    }
    await grant(users["admin_kg"], Role.ORG_ADMIN, organisation=kg)
    await grant(users["admin_s"], Role.ORG_ADMIN, organisation=school)
    await grant(users["admin_s2"], Role.ORG_ADMIN, organisation=school2)
    await grant(users["foreign_admin"], Role.ORG_ADMIN, organisation=foreign)
    await grant(users["teacher"], Role.EDUCATOR, organisation=school)
    await grant(users["operator"], Role.DISTRICT_OPERATOR, district=district)
    await GroupStaff.create(group=groups["1a"], user=users["teacher"], supervisor=True)
    return {
        "district": district,
        "kg": kg,
        "school": school,
        "school2": school2,
        "foreign": foreign,
        "groups": groups,
        "users": users,
    }


async def make_learner(
    org: Organisation,
    last: str,
    *,
    born: dt.date | None = None,
    group: Group | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> Learner:
    row = await Learner.create(
        district_id=org.district_id,
        created_by_organisation=org,
        last_name=last,
        first_name="Анна",
        birth_date=born or dt.date(TODAY.year - 7, 3, 1),
        name_key=name_key(last, "Анна", None),
        last_name_key=normalise_name_part(last),
    )
    if group is not None:
        await enrol_row(row, group, start or academic_year_bounds(group.academic_year)[0], end)
    return row


async def enrol_row(
    learner: Learner, group: Group, start: dt.date, end: dt.date | None = None
) -> Enrollment:
    return await Enrollment.create(
        learner=learner,
        group=group,
        organisation_id=group.organisation_id,
        academic_year=group.academic_year,
        start_date=start,
        end_date=end,
    )


def learner_input(org: Organisation, **overrides: Any) -> dict[str, Any]:
    value = {
        "organisationId": str(org.id),
        "lastName": "  Ёлкина ",
        "firstName": "Мария  ",
        "middleName": " Петровна",
        "birthDate": dt.date(TODAY.year - 6, 5, 17).isoformat(),
        "healthGroup": 2,
        "specialNeeds": None,
    }
    value.update(overrides)
    return value


# --------------------------------------------------------------------------- createLearner


def test_create_learner_trims_names_keys_them_and_audits(db):
    async def work():
        w = await build()
        body = await client().query(CREATE, {"input": learner_input(w["school"])}, login="admin_s")
        created = body["data"]["createLearner"]
        assert created["lastName"] == "Ёлкина" and created["firstName"] == "Мария"
        assert created["middleName"] == "Петровна" and created["healthGroup"] == 2
        row = await Learner.get(id=created["id"])
        assert row.name_key == "елкина|мария|петровна" and row.last_name_key == "елкина"
        assert row.district_id == w["district"].id
        assert row.created_by_organisation_id == w["school"].id
        event = await AuditEvent.get(learner_id=row.id, action="create")
        assert (event.decision, event.clause, event.section) == ("ALLOW", "R5", "roster")
        assert event.organisation_id == w["school"].id

    db.run(work)


def test_create_learner_refusals_and_validation_write_nothing(db):
    async def work():
        w = await build()
        c = client()
        for login in ("teacher", "operator", "guardian"):
            body = await c.query(CREATE, {"input": learner_input(w["school"])}, login=login)
            assert codes(body) == ["FORBIDDEN"], login
        for org in (w["school2"], w["foreign"]):
            body = await c.query(CREATE, {"input": learner_input(org)}, login="admin_s")
            assert codes(body) == ["NOT_FOUND"]
        missing = learner_input(w["school"], organisationId=str(uuid.uuid4()))
        assert codes(await c.query(CREATE, {"input": missing}, login="admin_s")) == ["NOT_FOUND"]
        cases = {
            "lastName": {"lastName": "   "},
            "firstName": {"firstName": ""},
            "birthDate": {"birthDate": (TODAY + dt.timedelta(days=1)).isoformat()},
            "healthGroup": {"healthGroup": 6},
        }
        for field, override in cases.items():
            body = await c.query(
                CREATE, {"input": learner_input(w["school"], **override)}, login="admin_s"
            )
            err = error(body)
            assert err["extensions"]["code"] == "BAD_USER_INPUT", field
            assert err["extensions"]["field"] == field and field in err["message"]
        early = learner_input(w["school"], birthDate="1989-12-31")
        err = error(await c.query(CREATE, {"input": early}, login="admin_s"))
        assert err["extensions"]["code"] == "BAD_USER_INPUT" and "1990" in err["message"]
        assert await Learner.all().count() == 0
        denied = await AuditEvent.filter(decision="DENY", resource="learner").count()
        assert denied == 5

    db.run(work)


def test_a_failed_audit_write_rolls_the_mutation_back(db, monkeypatch):
    """All or nothing: the learner and its audit event commit together or not at all."""

    async def work():
        w = await build()

        async def broken(*args: Any, **kwargs: Any) -> None:
            raise RuntimeError("disk full")

        monkeypatch.setattr("authz.audit.append_events", broken)
        body = await client().query(CREATE, {"input": learner_input(w["school"])}, login="admin_s")
        monkeypatch.undo()
        assert codes(body) == ["INTERNAL_SERVER_ERROR"]
        assert await Learner.all().count() == 0

    db.run(work)


# --------------------------------------------------------------------------- enrol


def test_enrol_own_and_t0_learner_and_refusals(db):
    async def work():
        w = await build()
        g = w["groups"]
        c = client()
        fresh = await make_learner(w["school"], "Новикова")
        body = await c.query(
            ENROL,
            {
                "input": {
                    "learnerId": str(fresh.id),
                    "groupId": str(g["1a"].id),
                    "startDate": YEAR_START.isoformat(),
                }
            },
            login="admin_s",
        )
        assert body["data"]["enrol"]["group"]["name"] == "1А"
        assert body["data"]["enrol"]["organisation"]["name"] == "СОШ № 2"
        # A learner of the kindergarten, found by T0, is enrolled as the same record.
        moved = await make_learner(
            w["kg"],
            "Петрова",
            group=g["kg_last"],
            end=academic_year_bounds(YEAR - 1)[1],
        )
        body = await c.query(
            ENROL,
            {
                "input": {
                    "learnerId": str(moved.id),
                    "groupId": str(g["1a"].id),
                    "startDate": YEAR_START.isoformat(),
                }
            },
            login="admin_s",
        )
        assert "errors" not in body, body
        assert await Learner.all().count() == 2
        assert await Enrollment.filter(learner_id=moved.id).count() == 2
        event = await AuditEvent.get(learner_id=moved.id, action="create", resource="enrollment")
        assert (event.decision, event.clause) == ("ALLOW", "R5")

        stranger = await make_learner(w["foreign"], "Чужая", group=g["foreign"])
        enrol = {
            "learnerId": str(stranger.id),
            "groupId": str(g["1b"].id),
            "startDate": YEAR_START.isoformat(),
        }
        assert codes(await c.query(ENROL, {"input": enrol}, login="admin_s")) == ["NOT_FOUND"]
        other_group = {
            "learnerId": str(fresh.id),
            "groupId": str(g["s2"].id),
            "startDate": YEAR_START.isoformat(),
        }
        body = await c.query(ENROL, {"input": other_group}, login="admin_s")
        assert codes(body) == ["NOT_FOUND"] and "group" in error(body)["message"]
        for login in ("teacher", "guardian", "operator"):
            assert codes(await c.query(ENROL, {"input": other_group}, login=login)) == ["FORBIDDEN"]
        assert await Enrollment.all().count() == 4

    db.run(work)


def test_enrol_validation_and_conflicts(db):
    async def work():
        w = await build()
        g = w["groups"]
        c = client()
        kid = await make_learner(w["school"], "Смирнова", group=g["1a"])

        def enrol(group: Group, start: dt.date) -> dict[str, Any]:
            return {
                "input": {
                    "learnerId": str(kid.id),
                    "groupId": str(group.id),
                    "startDate": start.isoformat(),
                }
            }

        err = error(await c.query(ENROL, enrol(g["1b"], YEAR_START), login="admin_s"))
        assert err["extensions"]["code"] == "CONFLICT"
        open_row = await Enrollment.get(learner_id=kid.id)
        assert str(open_row.id) in err["message"] and "1А" in err["message"]
        assert "СОШ № 2" in err["message"]

        err = error(
            await c.query(ENROL, enrol(g["1b"], YEAR_END + dt.timedelta(days=1)), login="admin_s")
        )
        assert err["extensions"]["code"] == "BAD_USER_INPUT"
        assert err["extensions"]["field"] == "startDate" and "academic year" in err["message"]

        ended = YEAR_START + dt.timedelta(days=60)
        await Enrollment.filter(id=open_row.id).update(end_date=ended)
        err = error(
            await c.query(ENROL, enrol(g["1b"], ended - dt.timedelta(days=1)), login="admin_s")
        )
        assert err["extensions"]["code"] == "BAD_USER_INPUT"
        assert "before the end" in err["message"] and ended.isoformat() in err["message"]
        ok = await c.query(ENROL, enrol(g["1b"], ended), login="admin_s")
        assert ok["data"]["enrol"]["startDate"] == ended.isoformat()
        assert await Enrollment.filter(learner_id=kid.id).count() == 2

    db.run(work)


# --------------------------------------------------------------------------- endEnrollment


def test_end_enrollment_rules(db):
    async def work():
        w = await build()
        g = w["groups"]
        c = client()
        kid = await make_learner(w["school"], "Орлова", group=g["1a"], start=YEAR_START)
        row = await Enrollment.get(learner_id=kid.id)

        def end(day: dt.date, enrollment: Enrollment = row) -> dict[str, Any]:
            return {"input": {"enrollmentId": str(enrollment.id), "endDate": day.isoformat()}}

        for login in ("teacher", "guardian", "operator"):
            assert codes(await c.query(END, end(YEAR_START), login=login)) == ["FORBIDDEN"]
        for login in ("admin_s2", "foreign_admin", "admin_kg"):
            assert codes(await c.query(END, end(YEAR_START), login=login)) == ["NOT_FOUND"]
        before = YEAR_START - dt.timedelta(days=1)
        err = error(await c.query(END, end(before), login="admin_s"))
        assert err["extensions"]["code"] == "BAD_USER_INPUT"
        assert err["extensions"]["field"] == "endDate" and "startDate" in err["message"]
        err = error(await c.query(END, end(YEAR_END + dt.timedelta(days=1)), login="admin_s"))
        assert err["extensions"]["code"] == "BAD_USER_INPUT"
        ok = await c.query(END, end(YEAR_START + dt.timedelta(days=30)), login="admin_s")
        assert (
            ok["data"]["endEnrollment"]["endDate"]
            == (YEAR_START + dt.timedelta(days=30)).isoformat()
        )
        err = error(await c.query(END, end(YEAR_START + dt.timedelta(days=40)), login="admin_s"))
        assert err["extensions"]["code"] == "CONFLICT" and "already ended" in err["message"]
        assert (await Enrollment.get(id=row.id)).end_date == YEAR_START + dt.timedelta(days=30)

    db.run(work)


def test_end_enrollment_of_another_organisation_is_refused_by_t3(db):
    """The school reads the kindergarten's enrollment of its pupil but never changes it."""

    async def work():
        w = await build()
        g = w["groups"]
        kid = await make_learner(w["kg"], "Белова", group=g["kg_last"])
        await enrol_row(kid, g["1a"], YEAR_START)
        kg_row = await Enrollment.get(learner_id=kid.id, organisation_id=w["kg"].id)
        body = await client().query(
            END,
            {"input": {"enrollmentId": str(kg_row.id), "endDate": YEAR_START.isoformat()}},
            login="admin_s",
        )
        err = error(body)
        assert err["extensions"]["code"] == "FORBIDDEN" and err["extensions"]["clause"] == "T3"
        assert (await Enrollment.get(id=kg_row.id)).end_date is None
        event = await AuditEvent.get(learner_id=kid.id, action="update")
        assert (event.decision, event.clause) == ("DENY", "T3")

    db.run(work)


# --------------------------------------------------------------------------- linkGuardian


def test_link_guardian(db):
    async def work():
        w = await build()
        g, users = w["groups"], w["users"]
        c = client()
        kid = await make_learner(w["school"], "Козлова", group=g["1a"])

        def link(user: str, learner: Learner = kid) -> dict[str, Any]:
            return {"input": {"learnerId": str(learner.id), "userId": str(users[user].id)}}

        body = await c.query(LINK_GUARDIAN, link("guardian"), login="admin_s")
        assert body["data"]["linkGuardian"]["guardians"] == [{"login": "guardian"}]
        err = error(await c.query(LINK_GUARDIAN, link("guardian"), login="admin_s"))
        assert err["extensions"]["code"] == "CONFLICT" and "already a guardian" in err["message"]
        for login in ("teacher", "operator", "guardian"):
            assert codes(await c.query(LINK_GUARDIAN, link("guardian2"), login=login)) == [
                "FORBIDDEN"
            ]
        for login in ("admin_s2", "foreign_admin"):
            assert codes(await c.query(LINK_GUARDIAN, link("guardian2"), login=login)) == [
                "NOT_FOUND"
            ]
        unknown = {"input": {"learnerId": str(kid.id), "userId": str(uuid.uuid4())}}
        err = error(await c.query(LINK_GUARDIAN, unknown, login="admin_s"))
        assert err["extensions"]["code"] == "NOT_FOUND" and err["extensions"]["field"] == "userId"
        # T2: a learner who left ten days ago is readable, not writable.
        left = await make_learner(
            w["school"],
            "Ушедшая",
            group=g["1b"],
            start=YEAR_START,
            end=TODAY - dt.timedelta(days=10),
        )
        err = error(await c.query(LINK_GUARDIAN, link("guardian2", left), login="admin_s"))
        assert err["extensions"]["code"] == "FORBIDDEN" and err["extensions"]["clause"] == "T2"
        assert await Guardianship.all().count() == 1

    db.run(work)


# --------------------------------------------------------------------------- consents


def test_give_consent_by_guardian_and_from_paper(db):
    async def work():
        w = await build()
        g, users = w["groups"], w["users"]
        c = client()
        kid = await make_learner(w["school"], "Волкова", group=g["1a"])
        await Guardianship.create(learner=kid, user=users["guardian"])

        def give(purpose: str, ref: str | None = None) -> dict[str, Any]:
            return {"input": {"learnerId": str(kid.id), "purpose": purpose, "documentRef": ref}}

        body = await c.query(GIVE, give("PROCESSING"), login="guardian")
        given = body["data"]["giveConsent"]
        assert given["givenBy"] == {"login": "guardian"} and given["recordedBy"] == {
            "login": "guardian"
        }
        assert given["active"] is True and given["documentRef"] is None
        err = error(await c.query(GIVE, give("PROCESSING"), login="guardian"))
        assert err["extensions"]["code"] == "CONFLICT" and given["id"] in err["message"]
        err = error(await c.query(GIVE, give("PROCESSING", "Б-1"), login="admin_s"))
        assert err["extensions"]["code"] == "CONFLICT"

        err = error(await c.query(GIVE, give("TRANSFER"), login="admin_s"))
        assert err["extensions"]["code"] == "BAD_USER_INPUT"
        assert err["extensions"]["field"] == "documentRef"
        err = error(await c.query(GIVE, give("TRANSFER", "Б-17"), login="guardian"))
        assert err["extensions"]["code"] == "BAD_USER_INPUT"
        paper = (await c.query(GIVE, give("TRANSFER", " Б-17 "), login="admin_s"))["data"][
            "giveConsent"
        ]
        assert paper["givenBy"] is None and paper["recordedBy"] == {"login": "admin_s"}
        assert paper["documentRef"] == "Б-17" and paper["purpose"] == "TRANSFER"

        for login in ("teacher", "operator"):
            assert codes(await c.query(GIVE, give("TRANSFER", "Б-2"), login=login)) == ["FORBIDDEN"]
        other_child = await make_learner(w["school"], "Соседка", group=g["1b"])
        await Guardianship.create(learner=other_child, user=users["guardian2"])
        for login in ("admin_s2", "foreign_admin", "guardian2", "admin_kg"):
            assert codes(await c.query(GIVE, give("TRANSFER", "Б-2"), login=login)) == [
                "NOT_FOUND"
            ], login
        assert await Consent.all().count() == 2
        events = await AuditEvent.filter(learner_id=kid.id, action="create", decision="ALLOW")
        assert sorted((e.role, e.clause) for e in events) == [
            ("GUARDIAN", "R8"),
            ("ORG_ADMIN", "R5"),
        ]

    db.run(work)


def test_withdraw_consent_stamps_once_and_keeps_history(db):
    async def work():
        w = await build()
        g, users = w["groups"], w["users"]
        c = client()
        kid = await make_learner(w["school"], "Зайцева", group=g["1a"])
        await Guardianship.create(learner=kid, user=users["guardian"])
        paper = await Consent.create(
            learner=kid,
            purpose=ConsentPurpose.PROCESSING,
            recorded_by=users["admin_s"],
            document_ref="Б-5",
            given_at=dt.datetime(TODAY.year - 1, 9, 1, tzinfo=dt.UTC),
        )
        for login in ("admin_s", "teacher", "operator"):
            assert codes(await c.query(WITHDRAW, {"id": str(paper.id)}, login=login)) == [
                "FORBIDDEN"
            ]
        await Guardianship.create(
            learner=await make_learner(w["school"], "Другая"), user=users["guardian2"]
        )
        body = await c.query(WITHDRAW, {"id": str(paper.id)}, login="guardian2")
        assert codes(body) == ["NOT_FOUND"]
        missing = await c.query(WITHDRAW, {"id": str(uuid.uuid4())}, login="guardian")
        assert codes(missing) == ["NOT_FOUND"]

        done = (await c.query(WITHDRAW, {"id": str(paper.id)}, login="guardian"))["data"][
            "withdrawConsent"
        ]
        assert done["active"] is False and done["withdrawnAt"] is not None
        assert done["givenBy"] is None
        err = error(await c.query(WITHDRAW, {"id": str(paper.id)}, login="guardian"))
        assert err["extensions"]["code"] == "CONFLICT" and "already withdrawn" in err["message"]
        row = await Consent.get(id=paper.id)
        assert row.withdrawn_by_id == users["guardian"].id
        assert row.given_at == paper.given_at and row.document_ref == "Б-5"
        assert row.recorded_by_id == users["admin_s"].id
        # C3: a new consent is a new row; the history keeps both.
        await c.query(
            GIVE,
            {"input": {"learnerId": str(kid.id), "purpose": "PROCESSING"}},
            login="guardian",
        )
        history = await c.query(
            "query($id: ID!) { learner(id: $id) { consents { active documentRef } } }",
            {"id": str(kid.id)},
            login="guardian",
        )
        assert history["data"]["learner"]["consents"] == [
            {"active": False, "documentRef": "Б-5"},
            {"active": True, "documentRef": None},
        ]

    db.run(work)


# --------------------------------------------------------------------------- linkLearnerAccount


def test_link_learner_account(db):
    async def work():
        w = await build()
        g, users = w["groups"], w["users"]
        c = client()
        teen = await make_learner(
            w["school"], "Старшая", group=g["1b"], born=dt.date(TODAY.year - 15, 1, 1)
        )
        child = await make_learner(w["school"], "Младшая", group=g["1a"])

        def link(learner: Learner, user: str = "teen") -> dict[str, Any]:
            return {"input": {"learnerId": str(learner.id), "userId": str(users[user].id)}}

        err = error(await c.query(LINK_ACCOUNT, link(child), login="admin_s"))
        assert err["extensions"]["code"] == "BAD_USER_INPUT" and "14" in err["message"]
        for login in ("teacher", "guardian", "operator"):
            assert codes(await c.query(LINK_ACCOUNT, link(teen), login=login)) == ["FORBIDDEN"]
        for login in ("admin_s2", "foreign_admin"):
            assert codes(await c.query(LINK_ACCOUNT, link(teen), login=login)) == ["NOT_FOUND"]
        ok = await c.query(LINK_ACCOUNT, link(teen), login="admin_s")
        assert ok["data"]["linkLearnerAccount"]["id"] == str(teen.id)
        assert (await Learner.get(id=teen.id)).account_id == users["teen"].id
        own = await c.query(
            "query($id: ID!) { learner(id: $id) { lastName } }",
            {"id": str(teen.id)},
            login="teen",
        )
        assert own["data"]["learner"]["lastName"] == "Старшая"
        other_teen = await make_learner(
            w["school"], "Ровесница", group=g["1b"], born=dt.date(TODAY.year - 16, 1, 1)
        )
        err = error(await c.query(LINK_ACCOUNT, link(other_teen), login="admin_s"))
        assert err["extensions"]["code"] == "CONFLICT" and "another learner" in err["message"]
        err = error(await c.query(LINK_ACCOUNT, link(teen, "someone"), login="admin_s"))
        assert err["extensions"]["code"] == "CONFLICT"
        assert (await Learner.get(id=other_teen.id)).account_id is None

    db.run(work)
