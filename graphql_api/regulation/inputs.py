"""Input types of the regulation domain."""

from __future__ import annotations

import datetime as dt

import strawberry

from graphql_api.regulation.types import DecisionEnum


@strawberry.input
class ExplainAccessInput:
    user_id: strawberry.ID
    action: str
    resource: str
    learner_id: strawberry.ID | None = None
    organisation_id: strawberry.ID | None = None


@strawberry.input
class AuditLogFilter:
    district_id: strawberry.ID | None = None
    learner_id: strawberry.ID | None = None
    learner_ref: str | None = strawberry.field(
        default=None, description="The pseudonym an auditor sees in AuditEvent.learnerRef."
    )
    actor_id: strawberry.ID | None = None
    decision: DecisionEnum | None = None  # type: ignore[valid-type]
    from_: dt.datetime | None = strawberry.field(default=None, name="from")
    to: dt.datetime | None = None
