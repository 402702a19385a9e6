"""The regulator's questions answered with SQL over grants and relations (R4, L3, L4)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from tortoise.expressions import Q

from authz.authorizer import AccessDecision, Authorizer
from authz.principal import load_principal
from authz.scopes import TRANSFER_READ_DAYS, learner_filter
from domain.errors import BadInput, NotFound
from models import Enrollment, GroupStaff, Guardianship, Learner, Organisation, RoleGrant, User
from models.enums import Role

LEARNER_RESOURCES = {
    "learner",
    "assessment",
    "sensitive_assessment",
    "entry",
    "consent",
    "enrollment",
    "guardianship",
    "learner.health",
}


@dataclass(frozen=True)
class AccessHolder:
    user: User
    role: str
    scope: str
    clause: str


async def who_can_access(*, learner_id: uuid.UUID, today: dt.date) -> list[AccessHolder]:
    """Everyone who can read the learner's portfolio now: a handful of indexed queries."""
    holders: list[AccessHolder] = []
    for link in await Guardianship.filter(learner_id=learner_id).select_related("user"):
        holders.append(AccessHolder(link.user, "GUARDIAN", "own_child", "R8"))
    learner = await Learner.get_or_none(id=learner_id).select_related("account")
    if learner is None:
        return []
    if learner.account is not None:
        holders.append(AccessHolder(learner.account, "LEARNER", "self", "R9"))
    active = Q(end_date=None) | Q(end_date__gte=today)
    current = await Enrollment.filter(active, learner_id=learner_id)
    current_orgs = {e.organisation_id for e in current}
    left_orgs = {
        e.organisation_id
        for e in await Enrollment.filter(
            learner_id=learner_id,
            end_date__lt=today,
            end_date__gte=today - dt.timedelta(days=TRANSFER_READ_DAYS),
        )
    } - current_orgs
    grants = await RoleGrant.filter(
        revoked_at=None,
        organisation_id__in=list(current_orgs | left_orgs),
        role__in=[Role.ORG_ADMIN, Role.PSYCHOLOGIST],
    ).select_related("user")
    for g in grants:
        if g.organisation_id in current_orgs:
            if g.role == Role.ORG_ADMIN:
                holders.append(AccessHolder(g.user, "ORG_ADMIN", "my_organisation", "R5"))
            else:
                holders.append(AccessHolder(g.user, "PSYCHOLOGIST", "my_organisation", "R7"))
        elif g.role == Role.ORG_ADMIN:
            holders.append(AccessHolder(g.user, "ORG_ADMIN", "left_within_90_days", "T2"))
    group_ids = [e.group_id for e in current]
    staff = await GroupStaff.filter(group_id__in=group_ids).select_related("user", "group")
    educators = {
        (g.user_id, g.organisation_id)
        for g in await RoleGrant.filter(
            revoked_at=None,
            role=Role.EDUCATOR,
            user_id__in=[s.user_id for s in staff],
        )
    }
    for s in staff:
        if (s.user_id, s.group.organisation_id) in educators:
            holders.append(AccessHolder(s.user, "EDUCATOR", "my_groups", "R6"))
    return holders


@dataclass(frozen=True)
class Explanation:
    allowed: bool
    clauses: tuple[str, ...]
    reason: str


async def explain_access(
    *,
    authorizer: Authorizer,
    user_id: uuid.UUID,
    action: str,
    resource: str,
    learner_id: uuid.UUID | None,
    organisation_id: uuid.UUID | None,
    today: dt.date,
) -> Explanation | None:
    known_actions = {r.action for r in authorizer.policy.rules}
    known_resources = {r.resource for r in authorizer.policy.rules}
    if action not in known_actions:
        raise BadInput(
            f"action: {action!r} is not one of {', '.join(sorted(known_actions))}", field="action"
        )
    if resource not in known_resources:
        raise BadInput(
            f"resource: {resource!r} is not one of {', '.join(sorted(known_resources))}",
            field="resource",
        )
    user = await User.get_or_none(id=user_id)
    if user is None:
        raise NotFound("userId: no such user", field="userId")
    if organisation_id is not None and not await Organisation.exists(id=organisation_id):
        raise NotFound("organisationId: no such organisation", field="organisationId")
    if learner_id is not None and not await Learner.exists(id=learner_id):
        raise NotFound("learnerId: no such learner", field="learnerId")
    principal = await load_principal(user, today=today)
    organisation = await Organisation.get_or_none(id=organisation_id) if organisation_id else None
    decision = authorizer.decide(
        principal,
        action,
        resource,
        organisation_id=organisation_id,
        district_id=organisation.district_id if organisation else None,
    )
    roles = ", ".join(decision.roles_considered) or "no role"
    if not decision.allowed:
        if decision.clause == "R1":
            where = f"«{organisation.name}»" if organisation else "the target organisation"
            return Explanation(False, ("R1",), f"{roles} of {user.login} do not apply in {where}")
        return Explanation(
            False,
            ("R11",),
            f"no clause of the regulation lets {roles} {action} {resource}",
        )
    if learner_id is not None and resource in LEARNER_RESOURCES:
        in_scope = await _learner_in_scope(decision, learner_id, today)
        if not in_scope:
            return Explanation(
                False,
                (*decision.clauses, "R1"),
                "; ".join(await _scope_reasons(decision))
                + f" — the learner is outside the scope of {', '.join(decision.clauses)}",
            )
    scopes = ", ".join(f"{g.role} {g.scope} ({g.clause})" for g in decision.grants)
    return Explanation(True, decision.clauses, f"allowed by {scopes}")


async def _scope_reasons(decision: AccessDecision) -> list[str]:
    """Plain-language reasons, one per matched role, naming the organisations involved."""
    org_ids = {o for g in decision.grants for o in g.organisation_ids}
    names = dict(await Organisation.filter(id__in=list(org_ids)).values_list("id", "name"))

    def orgs(ids: frozenset[uuid.UUID]) -> str:
        return ", ".join(f"«{names.get(i, i)}»" for i in sorted(ids, key=str)) or "—"

    reasons: list[str] = []
    for grant in decision.grants:
        if grant.scope in ("my_groups", "supervised_groups"):
            reasons.append(
                f"{grant.role} of {orgs(grant.organisation_ids)} is not assigned to "
                "a group of this learner"
            )
        elif grant.scope == "my_organisation":
            reasons.append(
                f"{grant.role} of {orgs(grant.organisation_ids)}: the learner is "
                "not enrolled there now"
            )
        elif grant.scope == "left_within_90_days":
            reasons.append(
                f"{grant.role} of {orgs(grant.organisation_ids)}: the learner did "
                "not leave there within the last 90 days"
            )
        elif grant.scope == "own_child":
            reasons.append("GUARDIAN of other children, not of this learner")
        elif grant.scope == "self":
            reasons.append("LEARNER account of another learner")
    return list(dict.fromkeys(reasons)) or ["no matching relation"]


async def _learner_in_scope(
    decision: AccessDecision, learner_id: uuid.UUID, today: dt.date
) -> bool:
    """Whether the decision's relations reach the learner (the learners' scope filter)."""
    return await Learner.filter(id=learner_id).filter(learner_filter(decision, today)).exists()
