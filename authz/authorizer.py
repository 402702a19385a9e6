"""One decision per operation: (principal, action, resource, target) → decision with scopes.

Casbin answers which role templates allow the action; the principal's grants and relations
say where (tenancy). The scopes of the matched rows become SQL filters in `authz.scopes`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace

from authz.policy import Policy, PolicyRule, load_policy
from authz.principal import Principal
from models.enums import Role

DEFAULT_DENY_CLAUSE = "R11"
TENANCY_CLAUSE = "R1"

GUARDIAN = "GUARDIAN"
LEARNER = "LEARNER"
SUPERVISOR = "SUPERVISOR"


@dataclass(frozen=True)
class ScopeGrant:
    """One matched policy row with the places it applies to."""

    role: str
    scope: str
    clause: str
    organisation_ids: frozenset[uuid.UUID] = frozenset()
    group_ids: frozenset[uuid.UUID] = frozenset()
    district_ids: frozenset[uuid.UUID] = frozenset()
    learner_ids: frozenset[uuid.UUID] = frozenset()


@dataclass(frozen=True)
class AccessDecision:
    action: str
    resource: str
    grants: tuple[ScopeGrant, ...] = ()
    deny_clause: str = DEFAULT_DENY_CLAUSE
    roles_considered: tuple[str, ...] = field(default=())

    @property
    def allowed(self) -> bool:
        return bool(self.grants)

    @property
    def clauses(self) -> tuple[str, ...]:
        if not self.grants:
            return (self.deny_clause,)
        return tuple(dict.fromkeys(g.clause for g in self.grants))

    @property
    def clause(self) -> str:
        return self.clauses[0]

    @property
    def role(self) -> str | None:
        return (
            self.grants[0].role
            if self.grants
            else (self.roles_considered[0] if self.roles_considered else None)
        )

    def scopes(self, *names: str) -> list[ScopeGrant]:
        return [g for g in self.grants if g.scope in names]

    def organisation_ids(self, *scopes: str) -> frozenset[uuid.UUID]:
        out: set[uuid.UUID] = set()
        for g in self.grants:
            if not scopes or g.scope in scopes:
                out |= g.organisation_ids
        return frozenset(out)

    def district_ids(self) -> frozenset[uuid.UUID]:
        out: set[uuid.UUID] = set()
        for g in self.grants:
            out |= g.district_ids
        return frozenset(out)

    def has_scope(self, *names: str) -> bool:
        return any(g.scope in names for g in self.grants)

    def narrowed(
        self, *, roles: tuple[str, ...] = (), scopes: tuple[str, ...] = ()
    ) -> AccessDecision:
        """The part of this decision granted through these roles and/or scopes."""
        return replace(
            self,
            grants=tuple(
                g
                for g in self.grants
                if (not roles or g.role in roles) and (not scopes or g.scope in scopes)
            ),
        )


class Authorizer:
    def __init__(self, policy: Policy | None = None) -> None:
        self.policy = policy or load_policy()

    def decide(
        self,
        principal: Principal,
        action: str,
        resource: str,
        *,
        organisation_id: uuid.UUID | None = None,
        district_id: uuid.UUID | None = None,
    ) -> AccessDecision:
        """Collect the matching rows of every role the principal holds in the target's domain.

        A grant in an organisation applies to that organisation; a grant in a district applies
        to the district and to every organisation in it (the domain hierarchy). Relations
        (guardian, learner account, group staff) apply everywhere and are narrowed by scopes.
        """
        matched: list[ScopeGrant] = []
        considered: list[str] = []
        out_of_tenancy = False
        for grant in principal.grants:
            in_domain = True
            if organisation_id is not None:
                in_domain = grant.organisation_id == organisation_id or (
                    grant.district_id is not None and grant.district_id == district_id
                )
            elif district_id is not None:
                in_domain = grant.domain_district_id == district_id
            role = grant.role.value
            considered.append(role)
            rules = self.policy.matching_rules(role, resource, action)
            if rules and not in_domain:
                out_of_tenancy = True
                continue
            for rule in rules:
                matched.append(
                    self._grant_scope(
                        principal,
                        rule,
                        grant.organisation_id,
                        grant.district_id,
                        roster_district_id=grant.domain_district_id,
                    )
                )
        for role, present in (
            (GUARDIAN, bool(principal.children)),
            (LEARNER, principal.own_learner_id is not None),
            (SUPERVISOR, bool(principal.staffed_groups(supervisor_only=True))),
        ):
            if not present:
                continue
            considered.append(role)
            for rule in self.policy.matching_rules(role, resource, action):
                matched.append(self._grant_scope(principal, rule, None, None))
        merged = _merge(matched)
        return AccessDecision(
            action=action,
            resource=resource,
            grants=merged,
            deny_clause=TENANCY_CLAUSE if out_of_tenancy else DEFAULT_DENY_CLAUSE,
            roles_considered=tuple(dict.fromkeys(considered)),
        )

    def _grant_scope(
        self,
        principal: Principal,
        rule: PolicyRule,
        organisation_id: uuid.UUID | None,
        district_id: uuid.UUID | None,
        *,
        roster_district_id: uuid.UUID | None = None,
    ) -> ScopeGrant:
        orgs = frozenset({organisation_id}) if organisation_id else frozenset()
        districts = frozenset({district_id}) if district_id else frozenset()
        if rule.scope == "district_roster" and roster_district_id is not None:
            # T0: an organisation's grant reaches the roster of its district.
            districts = frozenset({roster_district_id})
        groups: frozenset[uuid.UUID] = frozenset()
        learners: frozenset[uuid.UUID] = frozenset()
        if rule.role == Role.EDUCATOR.value:
            groups = frozenset(s.group_id for s in principal.staff if s.organisation_id in orgs)
        elif rule.role == SUPERVISOR:
            groups = principal.staffed_groups(supervisor_only=True)
            orgs = frozenset(s.organisation_id for s in principal.staff if s.group_id in groups)
        elif rule.role == GUARDIAN:
            learners = principal.children
        elif rule.role == LEARNER and principal.own_learner_id is not None:
            learners = frozenset({principal.own_learner_id})
        return ScopeGrant(
            role=rule.role,
            scope=rule.scope,
            clause=rule.clause,
            organisation_ids=orgs,
            group_ids=groups,
            district_ids=districts,
            learner_ids=learners,
        )


def _merge(grants: list[ScopeGrant]) -> tuple[ScopeGrant, ...]:
    """Merge grants of the same role, scope and clause held in several places."""
    merged: dict[tuple[str, str, str], ScopeGrant] = {}
    for g in grants:
        key = (g.role, g.scope, g.clause)
        if key in merged:
            m = merged[key]
            merged[key] = ScopeGrant(
                role=g.role,
                scope=g.scope,
                clause=g.clause,
                organisation_ids=m.organisation_ids | g.organisation_ids,
                group_ids=m.group_ids | g.group_ids,
                district_ids=m.district_ids | g.district_ids,
                learner_ids=m.learner_ids | g.learner_ids,
            )
        else:
            merged[key] = g
    return tuple(merged.values())
