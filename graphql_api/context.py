"""Per-request context: the principal, one decision per operation, loaders and the audit batch."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from strawberry.dataloader import DataLoader

from authz.audit import AuditRecorder, PendingEvent
from authz.authorizer import AccessDecision, Authorizer
from authz.principal import Principal
from domain.errors import Forbidden, NotFound, Unauthenticated
from graphql_api.settings import Settings
from models.enums import Decision

K = TypeVar("K")
V = TypeVar("V")


@dataclass
class Context:
    request_id: str
    settings: Settings
    authorizer: Authorizer
    principal: Principal | None
    audit: AuditRecorder
    loaders: dict[str, DataLoader[Any, Any]] = field(default_factory=dict)
    decisions: dict[tuple[Any, ...], AccessDecision] = field(default_factory=dict)

    @property
    def today(self) -> dt.date:
        return self.principal.today if self.principal else dt.date.today()

    def require_principal(self) -> Principal:
        if self.principal is None:
            raise Unauthenticated("Authentication required: send Authorization: Bearer <token>")
        return self.principal

    def loader(self, name: str, load: Callable[[list[K]], Any]) -> DataLoader[K, V]:
        """One DataLoader per request and name, so relation fields batch their queries."""
        existing = self.loaders.get(name)
        if existing is None:
            existing = DataLoader(load_fn=load)
            self.loaders[name] = existing
        return existing

    def lazy_loader(
        self, name: str, make: Callable[[], Callable[[list[K]], Any]]
    ) -> DataLoader[K, V]:
        """Like `loader`, but builds the load function (and its SQL filter) only once."""
        existing = self.loaders.get(name)
        if existing is None:
            existing = DataLoader(load_fn=make())
            self.loaders[name] = existing
        return existing

    def decide(
        self,
        action: str,
        resource: str,
        *,
        organisation_id: uuid.UUID | None = None,
        district_id: uuid.UUID | None = None,
    ) -> AccessDecision:
        """One decision per (action, resource, target) and request, cached for nested fields."""
        principal = self.require_principal()
        key = (action, resource, organisation_id, district_id)
        decision = self.decisions.get(key)
        if decision is None:
            decision = self.authorizer.decide(
                principal,
                action,
                resource,
                organisation_id=organisation_id,
                district_id=district_id,
            )
            self.decisions[key] = decision
        return decision

    def require(
        self,
        action: str,
        resource: str,
        *,
        organisation_id: uuid.UUID | None = None,
        district_id: uuid.UUID | None = None,
        learner_id: uuid.UUID | None = None,
    ) -> AccessDecision:
        """Decide, and refuse with FORBIDDEN (audited, R11) when no clause allows it."""
        decision = self.decide(
            action, resource, organisation_id=organisation_id, district_id=district_id
        )
        if not decision.allowed:
            self.record(
                decision,
                [learner_id] if learner_id else [None],
                organisation_id=organisation_id,
                district_id=district_id,
            )
            raise Forbidden(
                f"{action} on {resource} is not allowed for your roles (clause {decision.clause})",
                clause=decision.clause,
            )
        return decision

    def require_target(
        self,
        action: str,
        resource: str,
        *,
        organisation_id: uuid.UUID | None = None,
        district_id: uuid.UUID | None = None,
        learner_id: uuid.UUID | None = None,
        what: str | None = None,
    ) -> AccessDecision:
        """FORBIDDEN when no role allows the action; NOT_FOUND when the target is elsewhere.

        A target outside the viewer's tenancy answers exactly like a missing one.
        """
        self.require(action, resource, learner_id=learner_id)
        decision = self.decide(
            action, resource, organisation_id=organisation_id, district_id=district_id
        )
        if not decision.allowed:
            self.record(
                decision,
                [learner_id],
                organisation_id=organisation_id,
                district_id=district_id,
                allowed=False,
            )
            raise NotFound(f"{what or resource} not found")
        return decision

    def record(
        self,
        decision: AccessDecision,
        learner_ids: Iterable[uuid.UUID | None],
        *,
        organisation_id: uuid.UUID | None = None,
        district_id: uuid.UUID | None = None,
        section: str | None = None,
        allowed: bool | None = None,
        clause: str | None = None,
    ) -> None:
        """L1, L2: one event per learner, action and section in this request."""
        principal = self.principal
        ok = decision.allowed if allowed is None else allowed
        if district_id is None and principal is not None:
            districts = sorted(principal.districts, key=str)
            district_id = districts[0] if districts else None
        for learner_id in learner_ids:
            self.audit.record(
                PendingEvent(
                    district_id=district_id,
                    actor_id=principal.user_id if principal else None,
                    role=decision.role,
                    organisation_id=organisation_id
                    or next(iter(sorted(decision.organisation_ids(), key=str)), None),
                    action=decision.action,
                    resource=decision.resource,
                    section=section,
                    learner_id=learner_id,
                    decision=Decision.ALLOW if ok else Decision.DENY,
                    clause=clause or decision.clause,
                )
            )
