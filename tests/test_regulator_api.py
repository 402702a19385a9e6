"""The regulator's API: policy, explanations, who can access, the audit log and its chain."""

from __future__ import annotations

from models import AuditEvent
from tests.helpers import client, codes
from tests.test_access_matrix import build_world

READ = "query($id: ID!) { learner(id: $id) { lastName } }"


def test_access_policy_for_auditor_only(db):
    async def work():
        await build_world()
        c = client()
        body = await c.query(
            "{ accessPolicy { version rules { clause role resource action scope description } } }",
            login="auditor",
        )
        policy = body["data"]["accessPolicy"]
        assert len(policy["version"]) == 16
        clauses = {r["clause"] for r in policy["rules"]}
        assert {"R6", "R8", "R9", "T1", "T2"} <= clauses
        refused = await c.query("{ accessPolicy { version } }", login="teacher_a")
        assert codes(refused) == ["FORBIDDEN"]

    db.run(work)


def test_explain_access_gives_clause_and_reason(db):
    async def work():
        world = await build_world()
        c = client()
        query = """query($u: ID!, $l: ID) { explainAccess(input: {userId: $u, action: "read",
                   resource: "learner", learnerId: $l}) { decision clauses reason } }"""
        users, learners = world["users"], world["learners"]
        allowed = await c.query(
            query, {"u": str(users["teacher_a"].id), "l": str(learners["mine"].id)}, login="auditor"
        )
        assert allowed["data"]["explainAccess"]["decision"] == "ALLOW"
        assert "R6" in allowed["data"]["explainAccess"]["clauses"]
        other = await c.query(
            query,
            {"u": str(users["teacher_a"].id), "l": str(learners["other_group"].id)},
            login="auditor",
        )
        assert other["data"]["explainAccess"]["decision"] == "DENY"
        reason = other["data"]["explainAccess"]["reason"]
        assert "EDUCATOR of «СОШ № 2» is not assigned to a group of this learner" in reason
        official = await c.query(
            query, {"u": str(users["official"].id), "l": str(learners["mine"].id)}, login="auditor"
        )
        assert official["data"]["explainAccess"]["clauses"] == ["R11"]

    db.run(work)


def test_who_can_access_lists_holders_with_clauses(db):
    async def work():
        world = await build_world()
        body = await client().query(
            "query($id: ID!) { whoCanAccess(learnerId: $id) { user { login } role clause } }",
            {"id": str(world["learners"]["mine"].id)},
            login="auditor",
        )
        holders = {(h["user"]["login"], h["clause"]) for h in body["data"]["whoCanAccess"]}
        assert holders == {
            ("guardian_mine", "R8"),
            ("learner_self", "R9"),
            ("admin_s", "R5"),
            ("psy_s", "R7"),
            ("teacher_a", "R6"),
        }

    db.run(work)


def test_audit_log_pseudonymised_for_auditor_and_plain_for_guardian(db):
    async def work():
        world = await build_world()
        mine = str(world["learners"]["mine"].id)
        c = client()
        await c.query(READ, {"id": mine}, login="teacher_a")
        log = (
            "{ auditLog(first: 10) { totalCount edges { node { learnerRef decision clause"
            " actor { login } } } } }"
        )
        auditor = (await c.query(log, login="auditor"))["data"]["auditLog"]
        refs = {e["node"]["learnerRef"] for e in auditor["edges"] if e["node"]["learnerRef"]}
        assert refs and mine not in refs
        guardian = (await c.query(log, login="guardian_mine"))["data"]["auditLog"]
        teacher_reads = [
            e["node"] for e in guardian["edges"] if e["node"]["actor"]["login"] == "teacher_a"
        ]
        assert teacher_reads and teacher_reads[0]["learnerRef"] == mine
        by_ref = await c.query(
            "query($r: String) { auditLog(filter: {learnerRef: $r}) { totalCount } }",
            {"r": next(iter(refs))},
            login="auditor",
        )
        assert by_ref["data"]["auditLog"]["totalCount"] >= 1

    db.run(work)


def test_audit_chain_verifies_and_detects_tampering(db):
    async def work():
        world = await build_world()
        district = str((await world["school"].district).id)
        c = client()
        for login in ("teacher_a", "admin_s", "foreign_admin"):
            await c.query(READ, {"id": str(world["learners"]["mine"].id)}, login=login)
        verify = (
            "query($d: ID!) { verifyAuditLog(districtId: $d) { valid events firstInvalidEventId } }"
        )
        ok = (await c.query(verify, {"d": district}, login="auditor"))["data"]["verifyAuditLog"]
        assert ok["valid"] is True and ok["events"] >= 2
        event = await AuditEvent.filter(district_id=district).order_by("seq").first()
        await AuditEvent.filter(id=event.id).update(clause="R5" if event.clause != "R5" else "R6")
        broken = (await c.query(verify, {"d": district}, login="auditor"))["data"]
        assert broken["verifyAuditLog"]["valid"] is False
        assert broken["verifyAuditLog"]["firstInvalidEventId"] == str(event.id)
        refused = await c.query(verify, {"d": district}, login="teacher_a")
        assert codes(refused) == ["FORBIDDEN"]

    db.run(work)


def test_audit_batch_is_one_insert_per_request(db, monkeypatch):
    async def work():
        await build_world()
        batches: list[int] = []
        original = AuditEvent.bulk_create.__func__

        async def spy(cls, objects, *args, **kwargs):
            batches.append(len(objects))
            return await original(cls, objects, *args, **kwargs)

        async def single_save(*args, **kwargs):
            raise AssertionError("audit events are written in batches, not one by one")

        monkeypatch.setattr(AuditEvent, "bulk_create", classmethod(spy))
        monkeypatch.setattr(AuditEvent, "save", single_save)
        body = await client().query(
            "{ learners(first: 20) { totalCount edges { node { lastName } } } }", login="admin_s"
        )
        assert body["data"]["learners"]["totalCount"] == 5  # not other_org, not left_91_days
        assert batches == [5]
        assert await AuditEvent.filter(resource="learner", decision="ALLOW").count() == 5

    db.run(work)


def test_explain_access_bad_input(db):
    async def work():
        world = await build_world()
        c = client()
        query = """query($u: ID!, $a: String!, $r: String!) { explainAccess(input: {userId: $u,
                   action: $a, resource: $r}) { decision } }"""
        teacher = str(world["users"]["teacher_a"].id)
        missing = await c.query(
            query,
            {"u": "00000000-0000-4000-8000-000000000000", "a": "read", "r": "learner"},
            login="auditor",
        )
        assert codes(missing) == ["NOT_FOUND"]
        bad_action = await c.query(
            query, {"u": teacher, "a": "delete", "r": "learner"}, login="auditor"
        )
        assert codes(bad_action) == ["BAD_USER_INPUT"]
        assert "delete" in bad_action["errors"][0]["message"]
        bad_resource = await c.query(
            query, {"u": teacher, "a": "read", "r": "salary"}, login="auditor"
        )
        assert codes(bad_resource) == ["BAD_USER_INPUT"]

    db.run(work)
