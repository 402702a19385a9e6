"""The receiving organisation's view of a handoff (T0, T1)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry.types import Info

from authz.authorizer import AccessDecision
from authz.scopes import handoff_clause
from domain import handoff
from graphql_api.organisations.types import OrganisationType
from models import Organisation

if TYPE_CHECKING:
    from graphql_api.learners.related import AssessmentType
    from graphql_api.learners.types import LearnerType


@strawberry.type
class LearnerMatch:
    learner_id: strawberry.ID | None = strawberry.field(
        description="Null when no learner or more than one learner matches."
    )
    current_organisation_name: str | None
    ambiguous: bool = strawberry.field(
        description="True when two or more learners match: resolve with documents, never by "
        "guessing."
    )


@strawberry.type
class IncomingLearner:
    learner: Annotated[LearnerType, strawberry.lazy("graphql_api.learners.types")]
    from_organisation: OrganisationType | None
    transfer_consent: bool


@strawberry.type
class TransitionSummary:
    from_organisation: OrganisationType
    academic_year: int
    assessments: list[
        Annotated[AssessmentType, strawberry.lazy("graphql_api.learners.related")]
    ] = strawberry.field(
        description="The latest assessment per indicator of that organisation's last academic year."
    )
    learner_id: strawberry.Private[uuid.UUID]


async def incoming_learners(
    info: Info[Any, None], organisation_id: uuid.UUID, academic_year: int
) -> list[IncomingLearner]:
    """T1: arrivals of the year from other organisations, for viewers who read this one's learners.

    Batched per request: organisations that share a decision are answered by one set of queries.
    """
    from graphql_api.learners.types import LearnerType

    ctx = info.context

    async def load(ids: list[uuid.UUID]) -> list[list[IncomingLearner]]:
        by_decision: dict[AccessDecision, list[uuid.UUID]] = defaultdict(list)
        for i in ids:
            decision = ctx.decide("read", "learner", organisation_id=i)
            if decision.allowed:
                by_decision[decision].append(i)
        found: dict[uuid.UUID, list[handoff.IncomingRow]] = {}
        for decision, organisation_ids in by_decision.items():
            rows = await handoff.incoming_learners(
                decision=decision,
                organisation_ids=organisation_ids,
                academic_year=academic_year,
                today=ctx.today,
            )
            for org, incoming in rows.items():
                for row in incoming:
                    ctx.record(
                        decision,
                        [row.learner.id],
                        organisation_id=org,
                        district_id=row.learner.district_id,
                        section="roster",
                    )
            found.update(rows)
        origins = {r.from_organisation_id for rows in found.values() for r in rows}
        organisations = {o.id: o for o in await Organisation.filter(id__in=list(origins))}
        return [
            [
                IncomingLearner(
                    learner=LearnerType.of(r.learner),
                    from_organisation=OrganisationType.of(organisations[r.from_organisation_id]),
                    transfer_consent=r.transfer_consent,
                )
                for r in found.get(i, [])
            ]
            for i in ids
        ]

    loader = ctx.loader(f"incoming_learners:{academic_year}", load)
    result: list[IncomingLearner] = await loader.load(organisation_id)
    return result


async def transition_summary(
    info: Info[Any, None], learner_id: uuid.UUID
) -> TransitionSummary | None:
    """T1: what the previous organisation handed over, through the same assessment filter as
    every other read; null without history or without the consents that let the viewer see it.
    """
    from graphql_api.learners.related import AssessmentType

    ctx = info.context
    ctx.require_principal()

    async def load(ids: list[uuid.UUID]) -> list[TransitionSummary | None]:
        ordinary = ctx.decide("read", "assessment")
        sensitive = ctx.decide("read", "sensitive_assessment")
        found = await handoff.transition_summaries(
            learner_ids=ids, ordinary=ordinary, sensitive=sensitive, today=ctx.today
        )
        origins = {t.from_organisation_id for t in found.values() if t is not None}
        organisations = {o.id: o for o in await Organisation.filter(id__in=list(origins))}
        acting = ordinary if ordinary.allowed else sensitive
        out: list[TransitionSummary | None] = []
        for i in ids:
            t = found.get(i)
            if t is None:
                out.append(None)
                continue
            origin = organisations[t.from_organisation_id]
            ctx.record(
                acting,
                [i],
                district_id=origin.district_id,
                section="transition",
                clause=handoff_clause(acting, i, origin.id),
            )
            out.append(
                TransitionSummary(
                    from_organisation=OrganisationType.of(origin),
                    academic_year=t.academic_year,
                    assessments=[AssessmentType.of(a) for a in t.assessments],
                    learner_id=i,
                )
            )
        return out

    summary: TransitionSummary | None = await ctx.loader("transition_summary", load).load(
        learner_id
    )
    return summary
