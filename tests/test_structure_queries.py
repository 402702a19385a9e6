"""district, organisations connection and userByLogin: allowed and refused uses."""

from __future__ import annotations

from tests.helpers import client, codes
from tests.test_access_matrix import build_world

ORGS = """query($d: ID!, $a: String, $k: OrganisationKind) { district(id: $d) { name
  organisations(first: 2, after: $a, kind: $k) { totalCount edges { node { name kind } }
  pageInfo { hasNextPage endCursor } } } }"""


def test_district_organisations_are_paginated_for_district_roles(db):
    async def work():
        world = await build_world()
        district_id = str((await world["school"].district).id)
        c = client()
        first = (await c.query(ORGS, {"d": district_id}, login="official"))["data"]["district"]
        orgs = first["organisations"]
        assert orgs["totalCount"] == 3 and len(orgs["edges"]) == 2
        assert orgs["pageInfo"]["hasNextPage"] is True
        rest = (
            await c.query(
                ORGS, {"d": district_id, "a": orgs["pageInfo"]["endCursor"]}, login="official"
            )
        )["data"]["district"]["organisations"]
        names = [e["node"]["name"] for e in orgs["edges"] + rest["edges"]]
        assert sorted(names) == names and len(set(names)) == 3
        schools = await c.query(ORGS, {"d": district_id, "k": "PRESCHOOL"}, login="auditor")
        assert schools["data"]["district"]["organisations"]["totalCount"] == 1
        other = await c.query(ORGS, {"d": district_id}, login="foreign_admin")
        assert codes(other) == ["FORBIDDEN"]
        teacher = await c.query(ORGS, {"d": district_id}, login="teacher_a")
        assert codes(teacher) == ["FORBIDDEN"]

    db.run(work)


def test_user_by_login_for_operator_and_org_admin_only(db):
    async def work():
        await build_world()
        c = client()
        query = "query($l: String!) { userByLogin(login: $l) { login fullName } }"
        found = await c.query(query, {"l": "guardian_mine"}, login="admin_s")
        assert found["data"]["userByLogin"]["login"] == "guardian_mine"
        missing = await c.query(query, {"l": "nobody"}, login="operator")
        assert missing["data"]["userByLogin"] is None
        refused = await c.query(query, {"l": "guardian_mine"}, login="guardian_mine")
        assert codes(refused) == ["FORBIDDEN"]

    db.run(work)


def test_me_for_guardian_and_learner(db):
    async def work():
        await build_world()
        c = client()
        guardian = await c.query(
            "{ me { grants { role } children { lastName } learner { id } } }", login="guardian_mine"
        )
        assert guardian["data"]["me"] == {
            "grants": [],
            "children": [{"lastName": "Mine"}],
            "learner": None,
        }
        own = await c.query("{ me { learner { lastName } } }", login="learner_self")
        assert own["data"]["me"]["learner"] == {"lastName": "Mine"}

    db.run(work)
