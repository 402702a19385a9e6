"""Organisations, accounts, grants and group staff (R2, R5): allowed and refused uses."""

from __future__ import annotations

from models import RoleGrant
from models.enums import Role
from tests.helpers import client, codes
from tests.test_access_matrix import build_world

GRANT = """mutation($u: ID!, $r: Role!, $d: ID, $o: ID) {
  grantRole(input: {userId: $u, role: $r, districtId: $d, organisationId: $o}) {
    id role organisation { name } district { name } user { login } } }"""
CREATE_USER = """mutation($l: String!, $n: String!) {
  createUser(input: {login: $l, fullName: $n}) { id login fullName } }"""


def test_operator_creates_organisation_and_grants_org_admin(db):
    async def work():
        world = await build_world()
        district_id = str((await world["school"].district).id)
        c = client()
        created = await c.query(
            """mutation($d: ID!) { createOrganisation(input: {districtId: $d,
            name: "  МБОУ СОШ  № 5 ", kind: SCHOOL}) { id name kind district { name } } }""",
            {"d": district_id},
            login="operator",
        )
        org = created["data"]["createOrganisation"]
        assert org["name"] == "МБОУ СОШ № 5" and org["district"]["name"] == "Округ"
        again = await c.query(
            """mutation($d: ID!) { createOrganisation(input: {districtId: $d,
            name: "МБОУ СОШ № 5", kind: SCHOOL}) { id } }""",
            {"d": district_id},
            login="operator",
        )
        assert codes(again) == ["CONFLICT"]
        user = (
            await c.query(CREATE_USER, {"l": "new.admin", "n": "Новый Админ"}, login="operator")
        )["data"]["createUser"]
        granted = await c.query(
            GRANT, {"u": user["id"], "r": "ORG_ADMIN", "o": org["id"]}, login="operator"
        )
        assert granted["data"]["grantRole"]["organisation"]["name"] == "МБОУ СОШ № 5"
        duplicate = await c.query(
            GRANT, {"u": user["id"], "r": "ORG_ADMIN", "o": org["id"]}, login="operator"
        )
        assert codes(duplicate) == ["CONFLICT"]

    db.run(work)


def test_org_admin_grants_only_educator_and_psychologist_in_own_organisation(db):
    async def work():
        world = await build_world()
        users, school = world["users"], world["school"]
        c = client()
        new = (
            await c.query(CREATE_USER, {"l": "teacher.b", "n": "Петрова Мария"}, login="admin_s")
        )["data"]["createUser"]
        ok = await c.query(
            GRANT, {"u": new["id"], "r": "EDUCATOR", "o": str(school.id)}, login="admin_s"
        )
        assert ok["data"]["grantRole"]["role"] == "EDUCATOR"
        admin = await c.query(
            GRANT, {"u": new["id"], "r": "ORG_ADMIN", "o": str(school.id)}, login="admin_s"
        )
        assert codes(admin) == ["FORBIDDEN"]
        elsewhere = await c.query(
            GRANT, {"u": new["id"], "r": "EDUCATOR", "o": str(world["kg"].id)}, login="admin_s"
        )
        assert codes(elsewhere) == ["NOT_FOUND"]
        myself = await c.query(
            GRANT,
            {"u": str(users["admin_s"].id), "r": "PSYCHOLOGIST", "o": str(school.id)},
            login="admin_s",
        )
        assert codes(myself) == ["FORBIDDEN"]
        teacher = await c.query(
            GRANT, {"u": new["id"], "r": "PSYCHOLOGIST", "o": str(school.id)}, login="teacher_a"
        )
        assert codes(teacher) == ["FORBIDDEN"]
        wrong_place = await c.query(
            GRANT,
            {"u": new["id"], "r": "EDUCATOR", "d": str((await school.district).id)},
            login="admin_s",
        )
        assert codes(wrong_place) == ["BAD_USER_INPUT"]

    db.run(work)


def test_revocation_takes_effect_on_the_next_request(db):
    async def work():
        world = await build_world()
        c = client()
        mine = str(world["learners"]["mine"].id)
        read = "query($id: ID!) { learner(id: $id) { lastName } }"
        assert (await c.query(read, {"id": mine}, login="teacher_a"))["data"]["learner"]
        grant = await RoleGrant.get(user_id=world["users"]["teacher_a"].id, role=Role.EDUCATOR)
        revoked = await c.query(
            "mutation($g: ID!) { revokeRole(grantId: $g) { revokedAt } }",
            {"g": str(grant.id)},
            login="admin_s",
        )
        assert revoked["data"]["revokeRole"]["revokedAt"]
        after = await c.query(read, {"id": mine}, login="teacher_a")
        assert codes(after) == ["FORBIDDEN"]
        twice = await c.query(
            "mutation($g: ID!) { revokeRole(grantId: $g) { id } }",
            {"g": str(grant.id)},
            login="admin_s",
        )
        assert codes(twice) == ["CONFLICT"]

    db.run(work)


def test_bad_user_input(db):
    async def work():
        await build_world()
        c = client()
        bad_login = await c.query(CREATE_USER, {"l": "a b", "n": "X"}, login="operator")
        assert codes(bad_login) == ["BAD_USER_INPUT"]
        empty_name = await c.query(CREATE_USER, {"l": "ab", "n": "  "}, login="operator")
        assert codes(empty_name) == ["BAD_USER_INPUT"]
        taken = await c.query(CREATE_USER, {"l": "teacher_a", "n": "X"}, login="operator")
        assert codes(taken) == ["CONFLICT"]
        refused = await c.query(CREATE_USER, {"l": "zz", "n": "X"}, login="teacher_a")
        assert codes(refused) == ["FORBIDDEN"]

    db.run(work)


def test_groups_and_staff(db):
    async def work():
        world = await build_world()
        school = world["school"]
        c = client()
        created = await c.query(
            """mutation($o: ID!) { createGroup(input: {organisationId: $o, name: "3В",
            academicYear: 2026, level: PRIMARY, grade: 3})
            { id name grade organisation { name } } }""",
            {"o": str(school.id)},
            login="admin_s",
        )
        group = created["data"]["createGroup"]
        assert group["organisation"]["name"] == "СОШ № 2"
        bad_grade = await c.query(
            """mutation($o: ID!) { createGroup(input: {organisationId: $o, name: "3Г",
            academicYear: 2026, level: PRIMARY, grade: 7}) { id } }""",
            {"o": str(school.id)},
            login="admin_s",
        )
        assert codes(bad_grade) == ["BAD_USER_INPUT"]
        other_org = await c.query(
            """mutation($o: ID!) { createGroup(input: {organisationId: $o, name: "X",
            academicYear: 2026, level: PRESCHOOL}) { id } }""",
            {"o": str(world["kg"].id)},
            login="admin_s",
        )
        assert codes(other_org) == ["NOT_FOUND"]
        assign = """mutation($g: ID!, $u: ID!, $s: Boolean!) { assignGroupStaff(input:
            {groupId: $g, userId: $u, supervisor: $s})
            { supervisor user { login } group { name } } }"""
        ok = await c.query(
            assign,
            {"g": group["id"], "u": str(world["users"]["teacher_a"].id), "s": True},
            login="admin_s",
        )
        assert ok["data"]["assignGroupStaff"] == {
            "supervisor": True,
            "user": {"login": "teacher_a"},
            "group": {"name": "3В"},
        }
        not_educator = await c.query(
            assign,
            {"g": group["id"], "u": str(world["users"]["psy_s"].id), "s": False},
            login="admin_s",
        )
        assert codes(not_educator) == ["BAD_USER_INPUT"]
        view = await c.query(
            "query($o: ID!) { organisation(id: $o) { groups(academicYear: 2026)"
            " { name staff { user { login } supervisor } } } }",
            {"o": str(school.id)},
            login="admin_s",
        )
        names = [g["name"] for g in view["data"]["organisation"]["groups"]]
        assert names == ["1А", "1Б", "3В"]
        foreign = await c.query(
            "query($o: ID!) { organisation(id: $o) { name } }",
            {"o": str(school.id)},
            login="foreign_admin",
        )
        assert foreign["data"]["organisation"] is None

    db.run(work)
