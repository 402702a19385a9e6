"""Roster mutations (R5, R8, R9, C1–C3): learners, enrollments, guardians, consents, accounts.

Each mutation decides once, refuses with FORBIDDEN when no role allows it and NOT_FOUND when
the target is outside the viewer's tenancy, then runs in one transaction with its audit events.
"""

from __future__ import annotations

import uuid
from typing import Any

import strawberry
from strawberry.types import Info
from tortoise.expressions import Q

from authz.authorizer import GUARDIAN, AccessDecision
from authz.scopes import learner_filter
from domain import consents, enrolment, learner_records
from domain.errors import BadInput, Forbidden, NotFound
from domain.learners import learner_in_scope
from domain.organisations import get_group, get_organisation
from graphql_api.context import Context
from graphql_api.learners.inputs import (
    CreateLearnerInput,
    EndEnrollmentInput,
    EnrolInput,
    GiveConsentInput,
    LinkGuardianInput,
    LinkLearnerAccountInput,
)
from graphql_api.learners.related import ConsentType, EnrollmentType
from graphql_api.learners.types import LearnerType
from graphql_api.pagination import parse_id
from graphql_api.transactions import in_mutation
from models import Consent, Learner, Organisation
from models.enums import ConsentPurpose, Role


async def _writable_learner(
    ctx: Context, decision: AccessDecision, learner_id: uuid.UUID
) -> Learner:
    """The learner when the decision's scope covers it.

    A learner who left the viewer's organisation within 90 days is still readable (T2) but
    never written: FORBIDDEN with clause T2. Anyone else answers like a missing learner.
    """
    row = await learner_in_scope(decision=decision, learner_id=learner_id, today=ctx.today)
    if row is not None:
        return row
    left = ctx.decide("read", "learner").narrowed(scopes=("left_within_90_days",))
    if left.allowed and await learner_in_scope(
        decision=left, learner_id=learner_id, today=ctx.today
    ):
        ctx.record(decision, [learner_id], allowed=False, clause="T2")
        raise Forbidden(
            "the learner's enrollment in your organisation has ended: its records stay "
            "readable for 90 days and are never changed (T2)",
            clause="T2",
        )
    ctx.record(decision, [learner_id], allowed=False, clause="R1")
    raise NotFound("learner not found", field="learnerId")


@strawberry.type
class LearnerMutations:
    @strawberry.mutation
    async def create_learner(self, info: Info[Any, None], input: CreateLearnerInput) -> LearnerType:
        """R5: an ORG_ADMIN adds a learner the district does not know yet (find first: T0)."""
        ctx = info.context
        ctx.require("create", "learner")
        organisation = await get_organisation(
            parse_id(input.organisation_id, "input.organisationId")
        )
        decision = ctx.require_target(
            "create",
            "learner",
            organisation_id=organisation.id,
            district_id=organisation.district_id,
            what="organisation",
        )

        async def work() -> LearnerType:
            row = await learner_records.create_learner(
                organisation=organisation,
                last_name=input.last_name,
                first_name=input.first_name,
                middle_name=input.middle_name,
                birth_date=input.birth_date,
                health_group=input.health_group,
                special_needs=input.special_needs,
                today=ctx.today,
            )
            ctx.record(
                decision,
                [row.id],
                organisation_id=organisation.id,
                district_id=row.district_id,
                section="roster",
            )
            return LearnerType.of(row)

        return await in_mutation(ctx, work)

    @strawberry.mutation
    async def enrol(self, info: Info[Any, None], input: EnrolInput) -> EnrollmentType:
        """R5: enrol into a group of one's own organisation any learner of its district (T0)."""
        ctx = info.context
        learner_id = parse_id(input.learner_id, "input.learnerId")
        ctx.require("create", "enrollment", learner_id=learner_id)
        group = await get_group(parse_id(input.group_id, "input.groupId"))
        organisation = await Organisation.get(id=group.organisation_id)
        decision = ctx.require_target(
            "create",
            "enrollment",
            organisation_id=organisation.id,
            district_id=organisation.district_id,
            learner_id=learner_id,
            what="group",
        )
        learner = (
            await Learner.filter(id=learner_id)
            .filter(Q(district_id=organisation.district_id) | learner_filter(decision, ctx.today))
            .first()
        )
        if learner is None:
            ctx.record(
                decision, [learner_id], organisation_id=organisation.id, allowed=False, clause="R1"
            )
            raise NotFound("learner not found", field="learnerId")

        async def work() -> EnrollmentType:
            row = await enrolment.enrol(
                learner=learner,
                group=group,
                organisation=organisation,
                start_date=input.start_date,
            )
            ctx.record(
                decision,
                [learner.id],
                organisation_id=organisation.id,
                district_id=learner.district_id,
                section="roster",
            )
            return EnrollmentType.of(row)

        return await in_mutation(ctx, work)

    @strawberry.mutation
    async def end_enrollment(
        self, info: Info[Any, None], input: EndEnrollmentInput
    ) -> EnrollmentType:
        """R5, T3: only the enrollment's own organisation ends it; the end starts T2's 90 days."""
        ctx = info.context
        ctx.require("update", "enrollment")
        enrollment = await enrolment.get_enrollment(
            parse_id(input.enrollment_id, "input.enrollmentId")
        )
        organisation = enrollment.organisation
        decision = ctx.decide(
            "update",
            "enrollment",
            organisation_id=organisation.id,
            district_id=organisation.district_id,
        )
        if not decision.allowed:
            read = ctx.decide("read", "learner")
            readable = read.allowed and await learner_in_scope(
                decision=read, learner_id=enrollment.learner_id, today=ctx.today
            )
            if readable:
                ctx.record(
                    decision, [enrollment.learner_id], organisation_id=organisation.id, clause="T3"
                )
                raise Forbidden(
                    f"the enrollment belongs to «{organisation.name}»: only that organisation "
                    "changes it (T3)",
                    clause="T3",
                )
            ctx.record(decision, [enrollment.learner_id], organisation_id=organisation.id)
            raise NotFound("enrollment not found", field="enrollmentId")

        async def work() -> EnrollmentType:
            row = await enrolment.end_enrollment(enrollment=enrollment, end_date=input.end_date)
            ctx.record(
                decision,
                [row.learner_id],
                organisation_id=organisation.id,
                district_id=organisation.district_id,
                section="roster",
            )
            return EnrollmentType.of(row)

        return await in_mutation(ctx, work)

    @strawberry.mutation
    async def link_guardian(self, info: Info[Any, None], input: LinkGuardianInput) -> LearnerType:
        """R5: an ORG_ADMIN links a guardian to a learner of its organisation."""
        ctx = info.context
        learner_id = parse_id(input.learner_id, "input.learnerId")
        decision = ctx.require("create", "guardianship", learner_id=learner_id)
        learner = await _writable_learner(ctx, decision, learner_id)
        user_id = parse_id(input.user_id, "input.userId")

        async def work() -> LearnerType:
            await learner_records.link_guardian(learner=learner, user_id=user_id)
            ctx.record(decision, [learner.id], district_id=learner.district_id, section="guardians")
            return LearnerType.of(learner)

        return await in_mutation(ctx, work)

    @strawberry.mutation
    async def give_consent(self, info: Info[Any, None], input: GiveConsentInput) -> ConsentType:
        """C1, C3: a guardian gives consent (R8), or an ORG_ADMIN records a paper form (R5)."""
        ctx = info.context
        principal = ctx.require_principal()
        learner_id = parse_id(input.learner_id, "input.learnerId")
        decision = ctx.require("create", "consent", learner_id=learner_id)
        purpose = ConsentPurpose(input.purpose)
        document_ref = consents.clean_document_ref(input.document_ref)
        admin = decision.narrowed(roles=(Role.ORG_ADMIN.value,))
        guardian = decision.narrowed(roles=(GUARDIAN,))
        is_guardian = guardian.allowed and (
            await learner_in_scope(decision=guardian, learner_id=learner_id, today=ctx.today)
            is not None
        )
        learner = (
            await learner_in_scope(decision=admin, learner_id=learner_id, today=ctx.today)
            if admin.allowed
            else None
        )
        if learner is not None and (document_ref is not None or not is_guardian):
            acting, given_by = admin, None
        elif is_guardian:
            if document_ref is not None:
                raise BadInput(
                    "documentRef is the number of a paper form an ORG_ADMIN records;"
                    " a guardian gives consent without it",
                    field="documentRef",
                )
            acting, given_by = guardian, principal.user_id
            learner = await Learner.get(id=learner_id)
        else:
            learner = await _writable_learner(ctx, decision, learner_id)
            acting, given_by = admin, None

        async def work() -> ConsentType:
            row = await consents.give_consent(
                learner=learner,
                purpose=purpose,
                recorded_by=principal.user_id,
                given_by=given_by,
                document_ref=document_ref,
            )
            ctx.record(acting, [learner.id], district_id=learner.district_id, section="consents")
            return ConsentType.of(row)

        return await in_mutation(ctx, work)

    @strawberry.mutation
    async def withdraw_consent(
        self, info: Info[Any, None], consent_id: strawberry.ID
    ) -> ConsentType:
        """C2: a guardian withdraws any consent for own child, also one recorded from paper."""
        ctx = info.context
        principal = ctx.require_principal()
        decision = ctx.require("withdraw", "consent")
        consent = await Consent.get_or_none(id=parse_id(consent_id, "consentId"))
        learner = (
            await learner_in_scope(
                decision=decision, learner_id=consent.learner_id, today=ctx.today
            )
            if consent is not None
            else None
        )
        if consent is None or learner is None:
            ctx.record(
                decision, [consent.learner_id if consent else None], allowed=False, clause="R1"
            )
            raise NotFound("consent not found", field="consentId")

        async def work() -> ConsentType:
            row = await consents.withdraw_consent(consent=consent, withdrawn_by=principal.user_id)
            ctx.record(decision, [learner.id], district_id=learner.district_id, section="consents")
            return ConsentType.of(row)

        return await in_mutation(ctx, work)

    @strawberry.mutation(description="R9: the learner's own account (14+), by an ORG_ADMIN.")
    async def link_learner_account(
        self, info: Info[Any, None], input: LinkLearnerAccountInput
    ) -> LearnerType:
        ctx = info.context
        learner_id = parse_id(input.learner_id, "input.learnerId")
        decision = ctx.require("update", "learner", learner_id=learner_id)
        learner = await _writable_learner(ctx, decision, learner_id)
        user_id = parse_id(input.user_id, "input.userId")

        async def work() -> LearnerType:
            row = await learner_records.link_learner_account(
                learner=learner, user_id=user_id, today=ctx.today
            )
            ctx.record(decision, [row.id], district_id=row.district_id, section="account")
            return LearnerType.of(row)

        return await in_mutation(ctx, work)
