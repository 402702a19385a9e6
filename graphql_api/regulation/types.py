"""The regulator's view: policy rows, decisions, access holders, audit events."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import strawberry
from strawberry.types import Info

from graphql_api.organisations.types import OrganisationType
from graphql_api.pagination import PageInfo
from graphql_api.people.loaders import load_organisations
from graphql_api.people.types import UserType, load_user
from models.enums import Decision

DecisionEnum = strawberry.enum(Decision, name="Decision")


@strawberry.type
class AccessRule:
    clause: str
    role: str
    resource: str
    action: str
    scope: str
    description: str


@strawberry.type
class AccessPolicy:
    version: str
    rules: list[AccessRule]


@strawberry.type
class AccessDecision:
    decision: DecisionEnum  # type: ignore[valid-type]
    clauses: list[str]
    reason: str


@strawberry.type
class AccessGrant:
    user: UserType
    role: str
    scope: str
    clause: str


@strawberry.type
class AuditEvent:
    id: strawberry.ID
    at: dt.datetime
    role: str | None
    action: str
    resource: str
    learner_ref: str | None = strawberry.field(
        description="Pseudonymous reference for auditors; the learner id for the learner's "
        "guardians."
    )
    decision: DecisionEnum  # type: ignore[valid-type]
    clause: str | None
    request_id: str | None
    actor_id: strawberry.Private[uuid.UUID | None]
    organisation_id: strawberry.Private[uuid.UUID | None]

    @strawberry.field
    async def actor(self, info: Info[Any, None]) -> UserType | None:
        return await load_user(info, self.actor_id) if self.actor_id else None

    @strawberry.field
    async def organisation(self, info: Info[Any, None]) -> OrganisationType | None:
        if self.organisation_id is None:
            return None
        row = await info.context.loader("organisation", load_organisations).load(
            self.organisation_id
        )
        return OrganisationType.of(row) if row else None


@strawberry.type
class AuditEventEdge:
    cursor: str
    node: AuditEvent


@strawberry.type
class AuditEventConnection:
    edges: list[AuditEventEdge]
    page_info: PageInfo
    total_count: int


@strawberry.type
class AuditChainStatus:
    valid: bool
    events: int
    first_invalid_event_id: strawberry.ID | None
