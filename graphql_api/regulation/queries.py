"""accessPolicy, explainAccess, whoCanAccess, auditLog, verifyAuditLog."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import strawberry
from strawberry.types import Info
from tortoise.expressions import Q

from authz.audit import pseudonym, verify_chain
from authz.scopes import audit_log_filter
from domain.regulation import explain_access, who_can_access
from graphql_api.pagination import (
    PageInfo,
    check_first,
    decode_cursor,
    encode_cursor,
    parse_id,
    parse_optional_id,
)
from graphql_api.people.types import UserType
from graphql_api.regulation import types as t
from graphql_api.regulation.inputs import AuditLogFilter, ExplainAccessInput
from models import AuditEvent, Learner
from models.enums import Decision


@strawberry.type
class RegulationQueries:
    @strawberry.field(description="R4.")
    async def access_policy(self, info: Info[Any, None]) -> t.AccessPolicy | None:
        ctx = info.context
        ctx.require("read", "policy")
        policy = ctx.authorizer.policy
        return t.AccessPolicy(
            version=policy.version,
            rules=[
                t.AccessRule(
                    clause=r.clause,
                    role=r.role,
                    resource=r.resource,
                    action=r.action,
                    scope=r.scope,
                    description=r.description,
                )
                for r in policy.rules
            ],
        )

    @strawberry.field(
        description="R4: the decision the policy would take, with the clauses that decide it."
    )
    async def explain_access(
        self, info: Info[Any, None], input: ExplainAccessInput
    ) -> t.AccessDecision | None:
        ctx = info.context
        ctx.require("read", "policy")
        explanation = await explain_access(
            authorizer=ctx.authorizer,
            user_id=parse_id(input.user_id, "input.userId"),
            action=input.action,
            resource=input.resource,
            learner_id=parse_optional_id(input.learner_id, "input.learnerId"),
            organisation_id=parse_optional_id(input.organisation_id, "input.organisationId"),
            today=ctx.today,
        )
        if explanation is None:
            return None
        return t.AccessDecision(
            decision=Decision.ALLOW if explanation.allowed else Decision.DENY,
            clauses=list(explanation.clauses),
            reason=explanation.reason,
        )

    @strawberry.field(
        description="R4: everyone who can read this learner's portfolio now, and by which clause."
    )
    async def who_can_access(
        self, info: Info[Any, None], learner_id: strawberry.ID
    ) -> list[t.AccessGrant] | None:
        ctx = info.context
        decision = ctx.require("read", "policy")
        lid = parse_id(learner_id, "learnerId")
        learner = await Learner.get_or_none(id=lid)
        if learner is None or learner.district_id not in decision.district_ids():
            return None
        holders = await who_can_access(learner_id=lid, today=ctx.today)
        ctx.record(decision, [lid], district_id=learner.district_id, section="access")
        return [
            t.AccessGrant(user=UserType.of(h.user), role=h.role, scope=h.scope, clause=h.clause)
            for h in holders
        ]

    @strawberry.field(description="R4, L4.")
    async def audit_log(
        self,
        info: Info[Any, None],
        filter: AuditLogFilter | None = None,
        first: int | None = 50,
        after: str | None = None,
    ) -> t.AuditEventConnection | None:
        ctx = info.context
        first = check_first(first)
        decision = ctx.require("read", "audit_log")
        f = filter or AuditLogFilter()
        children = [c for g in decision.scopes("own_child") for c in g.learner_ids]
        query = AuditEvent.filter(audit_log_filter(decision))
        if f.district_id is not None:
            query = query.filter(district_id=parse_id(f.district_id, "filter.districtId"))
        if f.learner_id is not None:
            query = query.filter(learner_id=parse_id(f.learner_id, "filter.learnerId"))
        if f.actor_id is not None:
            query = query.filter(actor_id=parse_id(f.actor_id, "filter.actorId"))
        if f.decision is not None:
            query = query.filter(decision=Decision(f.decision))
        if f.from_ is not None:
            query = query.filter(at__gte=f.from_)
        if f.to is not None:
            query = query.filter(at__lt=f.to)
        key = ctx.settings.audit_pseudonym_key
        if f.learner_ref is not None:
            # Pseudonyms are keyed hashes: match them among the learners of the scope.
            ids = (
                await query.filter(learner_id__not_isnull=True)
                .distinct()
                .values_list("learner_id", flat=True)
            )
            matching = [i for i in ids if pseudonym(key, i) == f.learner_ref]  # type: ignore[arg-type]
            query = query.filter(learner_id__in=matching)
        total = await query.count()
        cursor = decode_cursor(after, 2)
        if cursor is not None:
            at = dt.datetime.fromisoformat(cursor[0])
            query = query.filter(Q(at__lt=at) | Q(at=at, id__lt=uuid.UUID(cursor[1])))
        rows = await query.order_by("-at", "-id").limit(first + 1)
        child_set = set(children)
        edges = [
            t.AuditEventEdge(
                cursor=encode_cursor(r.at.isoformat(), r.id),
                node=t.AuditEvent(
                    id=strawberry.ID(str(r.id)),
                    at=r.at,
                    role=r.role,
                    action=r.action,
                    resource=r.resource,
                    learner_ref=None
                    if r.learner_id is None
                    else (
                        str(r.learner_id)
                        if r.learner_id in child_set
                        else pseudonym(key, r.learner_id)
                    ),
                    decision=Decision(r.decision),
                    clause=r.clause,
                    request_id=r.request_id,
                    actor_id=r.actor_id,
                    organisation_id=r.organisation_id,
                ),
            )
            for r in rows[:first]
        ]
        return t.AuditEventConnection(
            edges=edges,
            page_info=PageInfo(
                has_next_page=len(rows) > first, end_cursor=edges[-1].cursor if edges else None
            ),
            total_count=total,
        )

    @strawberry.field(description="L3.")
    async def verify_audit_log(
        self, info: Info[Any, None], district_id: strawberry.ID
    ) -> t.AuditChainStatus | None:
        ctx = info.context
        did = parse_id(district_id, "districtId")
        decision = ctx.require("verify", "audit_log", district_id=did)
        if did not in decision.district_ids():
            return None
        status = await verify_chain(did)
        return t.AuditChainStatus(
            valid=status.valid,
            events=status.events,
            first_invalid_event_id=strawberry.ID(str(status.first_invalid_event_id))
            if status.first_invalid_event_id
            else None,
        )
