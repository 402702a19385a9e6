"""The policy file and the regulation document agree, row by row (DESIGN.md §3)."""

from __future__ import annotations

from authz.policy import ANY_DOMAIN, load_policy
from authz.regulation import read_clauses

RESOURCES = {
    "organisation",
    "group",
    "learner",
    "enrollment",
    "guardianship",
    "consent",
    "assessment",
    "sensitive_assessment",
    "entry",
    "grant",
    *(
        f"grant.{role}"
        for role in (
            "DISTRICT_OPERATOR",
            "DISTRICT_OFFICIAL",
            "AUDITOR",
            "ORG_ADMIN",
            "EDUCATOR",
            "PSYCHOLOGIST",
        )
    ),
    "framework",
    "coverage_report",
    "statistics",
    "policy",
    "audit_log",
    "district",
    "user",
    "learner.health",
}
ACTIONS = {
    "read",
    "create",
    "update",
    "verify",
    "withdraw",
    "close_period",
    "find",
    "export",
    "grant",
    "revoke",
}
ROLES = {
    "DISTRICT_OPERATOR",
    "DISTRICT_OFFICIAL",
    "AUDITOR",
    "ORG_ADMIN",
    "EDUCATOR",
    "PSYCHOLOGIST",
    "GUARDIAN",
    "LEARNER",
    "SUPERVISOR",
}


def test_register_lists_every_clause_of_the_regulation():
    clauses = read_clauses()
    expected = (
        [f"R{i}" for i in range(1, 12)]
        + ["C1", "C2", "C3"]
        + [f"T{i}" for i in range(4)]
        + [f"A{i}" for i in range(1, 5)]
        + ["D1", "D2", "D3"]
        + [f"L{i}" for i in range(1, 5)]
    )
    assert list(clauses) == expected


def test_every_policy_row_cites_an_existing_clause():
    clauses = read_clauses()
    for rule in load_policy().rules:
        assert rule.clause in clauses, rule
        assert clauses[rule.clause].grants_access, f"{rule} cites a clause that grants nothing"


def test_every_granting_clause_has_policy_rows():
    cited = {rule.clause for rule in load_policy().rules}
    missing = [c.id for c in read_clauses().values() if c.grants_access and c.id not in cited]
    assert not missing


def test_rows_are_role_templates_in_every_domain():
    rules = load_policy().rules
    assert len(rules) < 150
    for rule in rules:
        assert rule.domain == ANY_DOMAIN
        assert rule.role in ROLES and rule.resource in RESOURCES and rule.action in ACTIONS, rule
        assert rule.description.strip()


def test_district_roles_never_read_portfolio_content():
    """R2, R3, R4: district roles reach aggregates and structure, never a child's content."""
    policy = load_policy()
    for role in ("DISTRICT_OPERATOR", "DISTRICT_OFFICIAL", "AUDITOR"):
        for resource in ("learner", "assessment", "sensitive_assessment", "entry", "consent"):
            assert not policy.allows(role, resource, "read"), (role, resource)


def test_sensitive_section_only_for_psychologist_and_guardian():
    policy = load_policy()
    readers = {r.role for r in policy.roles_allowed("sensitive_assessment", "read")}
    assert readers == {"PSYCHOLOGIST", "GUARDIAN"}


def test_policy_version_changes_with_the_file(tmp_path):
    from authz.policy import MODEL_PATH, POLICY_PATH, Policy

    copy = tmp_path / "policy.csv"
    copy.write_text(POLICY_PATH.read_text(encoding="utf-8"), encoding="utf-8")
    same = Policy(MODEL_PATH, copy)
    assert same.version == load_policy().version
    copy.write_text(
        copy.read_text(encoding="utf-8").replace(
            "p, LEARNER, *, entry, create, self, R9, Обучающийся предлагает достижение\n", ""
        ),
        encoding="utf-8",
    )
    changed = Policy(MODEL_PATH, copy)
    assert changed.version != same.version
    assert not changed.allows("LEARNER", "entry", "create")
