"""The access matrix over actions: every role and relation × learners' sections, writes,
grants, reports and the regulator's resources. Each row names the clause that decides it."""

from __future__ import annotations

import datetime as dt

import pytest

from authz.authorizer import Authorizer
from authz.principal import load_principal
from authz.scopes import assessment_filter, content_filter, learner_filter
from models import Assessment, Consent, Framework, Indicator, Learner, PortfolioEntry
from tests.test_access_matrix import TODAY, build_world

VIEWERS = [
    "teacher_a",
    "admin_s",
    "psy_s",
    "kg_admin",
    "guardian_mine",
    "learner_self",
    "operator",
    "official",
    "auditor",
    "foreign_admin",
]

# operation → the viewers allowed, with the clause; everyone else is refused (R1 or R11).
EXPECTED = {
    "read sensitive assessment": {"psy_s": "R7", "guardian_mine": "R8"},
    "read entries": {
        "teacher_a": "R6",
        "admin_s": "R5",
        "guardian_mine": "R8",
        "learner_self": "R9",
    },
    "read consents": {"teacher_a": "R6", "admin_s": "R5", "guardian_mine": "R8"},
    "create assessment": {"teacher_a": "R6"},
    "create sensitive assessment": {"psy_s": "R7"},
    "create entry": {
        "teacher_a": "R6",
        "admin_s": "R5",
        "guardian_mine": "R8",
        "learner_self": "R9",
    },
    "verify entry": {"teacher_a": "R6", "admin_s": "R5"},
    "withdraw consent": {"guardian_mine": "R8"},
    "grant EDUCATOR in the school": {"admin_s": "R5"},
    "grant ORG_ADMIN in the school": {"operator": "R2"},
    "read coverage report of the district": {"operator": "D1", "official": "D1"},
    "read coverage report of the school": {"operator": "D1", "official": "D1", "admin_s": "D1"},
    "read development statistics": {"official": "D2"},
    "read access policy": {"auditor": "R4"},
    "read audit log": {"auditor": "R4", "guardian_mine": "L4"},
    "verify audit log": {"auditor": "L3"},
    "find learner in the roster": {
        "admin_s": "T0",
        "kg_admin": "T0",
        "operator": "T0",
        "foreign_admin": "T0",
    },
}
ROWS = [
    (viewer, operation, EXPECTED[operation].get(viewer))
    for operation in EXPECTED
    for viewer in VIEWERS
]


async def _add_sections(world) -> None:
    """A psychological assessment and an entry of learner «mine», made in the school."""
    mine, school = world["learners"]["mine"], world["school"]
    psych = await Framework.get(code="PSYCHOLOGICAL")
    indicator = await Indicator.filter(area__framework_id=psych.id).first()
    await Assessment.create(
        learner=mine,
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
    await PortfolioEntry.create(
        learner=mine,
        category="SPORT",
        level="MUNICIPAL",
        title="Эстафета",
        event_date=dt.date(2026, 10, 5),
        status="VERIFIED",
        organisation=school,
        submitted_by=world["users"]["teacher_a"],
    )


async def _evaluate(world, viewer: str, operation: str) -> tuple[bool, tuple[str, ...]]:
    principal = await load_principal(world["users"][viewer], today=TODAY)
    authorizer = Authorizer()
    mine = world["learners"]["mine"]
    school = world["school"]
    district_id = school.district_id

    def decide(action, resource, **target):
        return authorizer.decide(principal, action, resource, **target)

    async def learner_in(decision) -> bool:
        return (
            decision.allowed
            and await Learner.filter(id=mine.id).filter(learner_filter(decision, TODAY)).exists()
        )

    if operation == "read sensitive assessment":
        d = decide("read", "sensitive_assessment")
        rows = await Assessment.filter(learner_id=mine.id).filter(
            assessment_filter(decide("read", "assessment"), d, TODAY)
        )
        psych = await Framework.get(code="PSYCHOLOGICAL")
        return any(r.framework_id == psych.id for r in rows), d.clauses
    if operation == "read entries":
        d = decide("read", "entry")
        return d.allowed and await PortfolioEntry.filter(learner_id=mine.id).filter(
            content_filter(d, TODAY)
        ).exists(), d.clauses
    if operation == "read consents":
        d = decide("read", "consent")
        return await learner_in(d) and await Consent.filter(learner_id=mine.id).exists(), d.clauses
    simple = {
        "create assessment": ("create", "assessment"),
        "create sensitive assessment": ("create", "sensitive_assessment"),
        "create entry": ("create", "entry"),
        "verify entry": ("verify", "entry"),
        "withdraw consent": ("withdraw", "consent"),
    }
    if operation in simple:
        d = decide(*simple[operation])
        return await learner_in(d) or (
            d.allowed
            and d.has_scope("own_child", "self")
            and mine.id in {i for g in d.grants for i in g.learner_ids}
        ), d.clauses
    targeted = {
        "grant EDUCATOR in the school": (
            "grant",
            "grant.EDUCATOR",
            {"organisation_id": school.id, "district_id": district_id},
        ),
        "grant ORG_ADMIN in the school": (
            "grant",
            "grant.ORG_ADMIN",
            {"organisation_id": school.id, "district_id": district_id},
        ),
        "read coverage report of the district": (
            "read",
            "coverage_report",
            {"district_id": district_id},
        ),
        "read coverage report of the school": (
            "read",
            "coverage_report",
            {"organisation_id": school.id, "district_id": district_id},
        ),
        "read development statistics": ("read", "statistics", {"district_id": district_id}),
        "read access policy": ("read", "policy", {"district_id": district_id}),
        "read audit log": ("read", "audit_log", {}),
        "verify audit log": ("verify", "audit_log", {"district_id": district_id}),
        "find learner in the roster": ("find", "learner", {}),
    }
    action, resource, target = targeted[operation]
    d = decide(action, resource, **target)
    if operation == "read coverage report of the district":
        return d.allowed and d.has_scope("district"), d.clauses
    return d.allowed, d.clauses


@pytest.mark.parametrize(
    ("viewer", "operation", "clause"), ROWS, ids=[f"{r[1]}-{r[0]}-{r[2] or 'deny'}" for r in ROWS]
)
def test_access_matrix_over_actions(db, viewer, operation, clause):
    async def work():
        world = await build_world()
        await _add_sections(world)
        allowed, clauses = await _evaluate(world, viewer, operation)
        assert allowed == (clause is not None), (viewer, operation, clauses)
        if clause is not None:
            assert clause in clauses

    db.run(work)
