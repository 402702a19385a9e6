"""Input types of the learners domain."""

from __future__ import annotations

import datetime as dt

import strawberry

from graphql_api.learners.related import ConsentPurposeEnum


@strawberry.input
class CreateLearnerInput:
    organisation_id: strawberry.ID
    last_name: str
    first_name: str
    middle_name: str | None = None
    birth_date: dt.date
    health_group: int | None = None
    special_needs: str | None = None


@strawberry.input
class EnrolInput:
    learner_id: strawberry.ID
    group_id: strawberry.ID
    start_date: dt.date


@strawberry.input
class EndEnrollmentInput:
    enrollment_id: strawberry.ID
    end_date: dt.date


@strawberry.input
class LinkGuardianInput:
    learner_id: strawberry.ID
    user_id: strawberry.ID


@strawberry.input
class GiveConsentInput:
    learner_id: strawberry.ID
    purpose: ConsentPurposeEnum  # type: ignore[valid-type]
    document_ref: str | None = strawberry.field(
        default=None, description="Number of the signed paper form when an ORG_ADMIN records it."
    )


@strawberry.input
class LinkLearnerAccountInput:
    learner_id: strawberry.ID
    user_id: strawberry.ID


@strawberry.input
class LearnerFilter:
    organisation_id: strawberry.ID | None = None
    group_id: strawberry.ID | None = None
    academic_year: int | None = None
    search: str | None = strawberry.field(
        default=None, description="Case-insensitive prefix of the last name."
    )
