"""The access matrix: every role and relation × learner data, each row naming its clause.

Decisions come from the authorizer (one per operation) and rows from the scope filters in SQL,
exactly as the API reads them.
"""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from authz.authorizer import Authorizer
from authz.principal import load_principal
from authz.scopes import assessment_filter, learner_filter
from domain.names import name_key, normalise_name_part
from models import (
    Assessment,
    Consent,
    Enrollment,
    Framework,
    Group,
    GroupStaff,
    Guardianship,
    Indicator,
    Learner,
    User,
)
from models.enums import ConsentPurpose, EducationLevel, OrganisationKind, Role
from tests.helpers import client, grant, make_district, make_organisation, make_user

TODAY = dt.date(2026, 12, 4)

# viewer, learner, expected learner visible, expected own-org assessments, earlier-org
# assessments, clause that decides
MATRIX = [
    ("admin_s", "mine", True, True, False, "R5"),
    ("admin_s", "other_group", True, True, False, "R5"),
    ("admin_s", "other_org", False, False, False, "R1"),
    ("admin_s", "moved_with_transfer", True, True, True, "T1"),
    ("admin_s", "moved_without_transfer", True, True, False, "C3"),
    ("admin_s", "left_89_days", True, True, False, "T2"),
    ("admin_s", "left_91_days", False, False, False, "T2"),
    ("teacher_a", "mine", True, True, False, "R6"),
    ("teacher_a", "other_group", False, False, False, "R6"),
    ("teacher_a", "other_org", False, False, False, "R1"),
    ("teacher_a", "moved_with_transfer", True, True, True, "T1"),
    ("teacher_a", "moved_without_transfer", True, True, False, "C3"),
    ("teacher_a", "left_89_days", True, True, False, "T2"),
    ("teacher_a", "left_91_days", False, False, False, "T2"),
    ("psy_s", "mine", True, False, False, "R7"),
    ("kg_admin", "moved_with_transfer", False, False, False, "T2"),
    ("guardian_mine", "mine", True, True, False, "R8"),
    ("guardian_mine", "other_group", False, False, False, "R8"),
    ("guardian_moved", "moved_with_transfer", True, True, True, "R8"),
    ("learner_self", "mine", True, True, False, "R9"),
    ("learner_self", "other_group", False, False, False, "R9"),
    ("operator", "mine", False, False, False, "R2"),
    ("official", "mine", False, False, False, "R3"),
    ("auditor", "mine", False, False, False, "R4"),
    ("foreign_admin", "mine", False, False, False, "R1"),
]


async def build_world() -> dict[str, object]:
    district = await make_district("Округ")
    other_district = await make_district("Другой округ")
    kg = await make_organisation(district, "Детский сад № 1", OrganisationKind.PRESCHOOL)
    school = await make_organisation(district, "СОШ № 2")
    school2 = await make_organisation(district, "СОШ № 3")
    foreign = await make_organisation(other_district, "СОШ № 9")
    g_kg = await Group.create(
        organisation=kg, name="Подготовительная", academic_year=2025, level=EducationLevel.PRESCHOOL
    )
    g_1a = await Group.create(
        organisation=school, name="1А", academic_year=2026, level=EducationLevel.PRIMARY, grade=1
    )
    g_1b = await Group.create(
        organisation=school, name="1Б", academic_year=2026, level=EducationLevel.PRIMARY, grade=1
    )
    g_old = await Group.create(
        organisation=school, name="2А", academic_year=2025, level=EducationLevel.PRIMARY, grade=2
    )
    g_s2 = await Group.create(
        organisation=school2, name="1А", academic_year=2026, level=EducationLevel.PRIMARY, grade=1
    )
    users = {
        login: await make_user(login)
        for login in (
            "admin_s",
            "teacher_a",
            "psy_s",
            "kg_admin",
            "guardian_mine",
            "guardian_moved",
            "learner_self",
            "operator",
            "official",
            "auditor",
            "foreign_admin",
        )
    }
    await grant(users["admin_s"], Role.ORG_ADMIN, organisation=school)
    await grant(users["teacher_a"], Role.EDUCATOR, organisation=school)
    await grant(users["psy_s"], Role.PSYCHOLOGIST, organisation=school)
    await grant(users["kg_admin"], Role.ORG_ADMIN, organisation=kg)
    await grant(users["operator"], Role.DISTRICT_OPERATOR, district=district)
    await grant(users["official"], Role.DISTRICT_OFFICIAL, district=district)
    await grant(users["auditor"], Role.AUDITOR, district=district)
    await grant(users["foreign_admin"], Role.ORG_ADMIN, organisation=foreign)
    await GroupStaff.create(group=g_1a, user=users["teacher_a"], supervisor=True)
    await GroupStaff.create(group=g_old, user=users["teacher_a"], supervisor=False)

    fgos = await Framework.get(code="FGOS_DO")
    indicator = await Indicator.filter(area__framework_id=fgos.id).order_by("code").first()
    assert indicator is not None
    learners: dict[str, Learner] = {}

    async def learner(key: str, created_by, enrollments, *, transfer: bool = False):
        row = await Learner.create(
            district=district,
            created_by_organisation=created_by,
            last_name=key.title(),
            first_name="Имя",
            birth_date=dt.date(2019, 5, 1),
            name_key=name_key(key, "имя", None),
            last_name_key=normalise_name_part(key),
        )
        for group, start, end in enrollments:
            await Enrollment.create(
                learner=row,
                group=group,
                organisation_id=group.organisation_id,
                academic_year=group.academic_year,
                start_date=start,
                end_date=end,
            )
            await Assessment.create(
                learner=row,
                indicator=indicator,
                area_id=indicator.area_id,
                framework=fgos,
                academic_year=group.academic_year,
                period="START" if group.organisation_id != kg.id else "END",
                level=2,
                organisation_id=group.organisation_id,
                assessed_by=users["teacher_a"],
                assessed_at=dt.datetime(2025, 10, 1, tzinfo=dt.UTC),
            )
        purposes = [ConsentPurpose.PROCESSING] + ([ConsentPurpose.TRANSFER] if transfer else [])
        for purpose in purposes:
            await Consent.create(
                learner=row,
                purpose=purpose,
                recorded_by=users["admin_s"],
                given_at=dt.datetime(2024, 9, 1, tzinfo=dt.UTC),
            )
        learners[key] = row
        return row

    this_year = (dt.date(2026, 9, 1), None)
    mine = await learner("mine", school, [(g_1a, *this_year)])
    await learner("other_group", school, [(g_1b, *this_year)])
    await learner("other_org", school2, [(g_s2, *this_year)])
    moved = await learner(
        "moved_with_transfer",
        kg,
        [(g_kg, dt.date(2025, 9, 1), dt.date(2026, 5, 29)), (g_1a, *this_year)],
        transfer=True,
    )
    await learner(
        "moved_without_transfer",
        kg,
        [(g_kg, dt.date(2025, 9, 1), dt.date(2026, 5, 29)), (g_1a, *this_year)],
    )
    await learner(
        "left_89_days", school, [(g_old, dt.date(2025, 9, 1), TODAY - dt.timedelta(days=89))]
    )
    await learner(
        "left_91_days", school, [(g_old, dt.date(2025, 9, 1), TODAY - dt.timedelta(days=91))]
    )
    await Guardianship.create(learner=mine, user=users["guardian_mine"])
    await Guardianship.create(learner=moved, user=users["guardian_moved"])
    mine.account = users["learner_self"]
    await mine.save()
    return {"users": users, "learners": learners, "school": school, "kg": kg}


@pytest.mark.parametrize(
    ("viewer", "target", "sees_learner", "sees_own", "sees_earlier", "clause"),
    MATRIX,
    ids=[f"{r[0]}-{r[1]}-{r[5]}" for r in MATRIX],
)
def test_access_matrix(db, viewer, target, sees_learner, sees_own, sees_earlier, clause):
    async def work():
        world = await build_world()
        user: User = world["users"][viewer]
        learner: Learner = world["learners"][target]
        principal = await load_principal(user, today=TODAY)
        authorizer = Authorizer()
        decision = authorizer.decide(principal, "read", "learner")
        visible = (
            decision.allowed
            and await Learner.filter(id=learner.id).filter(learner_filter(decision, TODAY)).exists()
        )
        assert visible == sees_learner
        ordinary = authorizer.decide(principal, "read", "assessment")
        sensitive = authorizer.decide(principal, "read", "sensitive_assessment")
        rows = await Assessment.filter(learner_id=learner.id).filter(
            assessment_filter(ordinary, sensitive, TODAY)
        )
        kg_id = world["kg"].id
        assert any(r.organisation_id != kg_id for r in rows) == sees_own
        assert any(r.organisation_id == kg_id for r in rows) == sees_earlier
        if clause in ("R5", "R6", "R7", "R8", "R9") and sees_learner:
            assert clause in decision.clauses
        if clause in ("R2", "R3", "R4"):
            assert not decision.allowed and decision.clause == "R11"
        if clause == "T1":
            assert "T1" in ordinary.clauses

    db.run(work)


def test_graphql_learner_by_id_follows_the_matrix_and_audits(db):
    async def work():
        world = await build_world()
        target = str(world["learners"]["mine"].id)
        query = "query($id: ID!) { learner(id: $id) { lastName healthGroup } }"
        c = client()
        own = await c.query(query, {"id": target}, login="teacher_a")
        assert own["data"]["learner"]["lastName"] == "Mine"
        other = await c.query(query, {"id": target}, login="admin_s")
        assert other["data"]["learner"]["lastName"] == "Mine"
        foreign = await c.query(query, {"id": target}, login="foreign_admin")
        assert foreign["data"] == {"learner": None} and "errors" not in foreign
        district_role = await c.query(query, {"id": target}, login="official")
        assert district_role["errors"][0]["extensions"]["code"] == "FORBIDDEN"
        missing = await c.query(query, {"id": str(uuid.uuid4())}, login="admin_s")
        assert missing["data"] == {"learner": None}
        from models import AuditEvent

        events = await AuditEvent.filter(learner_id=world["learners"]["mine"].id).order_by("seq")
        decisions = [(e.decision, e.clause) for e in events]
        assert ("ALLOW", "R6") in decisions and ("ALLOW", "R5") in decisions
        assert ("DENY", "R1") in decisions and ("DENY", "R11") in decisions

    db.run(work)
