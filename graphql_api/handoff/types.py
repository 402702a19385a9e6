"""The receiving organisation's view of a handoff (T0, T1)."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry.types import Info

from graphql_api.organisations.types import OrganisationType

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
    """Placeholder until the handoff workflows land: nobody incoming."""
    return []


async def transition_summary(
    info: Info[Any, None], learner_id: uuid.UUID
) -> TransitionSummary | None:
    """Placeholder until the handoff workflows land: no summary."""
    return None
