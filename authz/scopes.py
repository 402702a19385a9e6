"""Scopes turned into SQL filters: lists, counts and nested fields only ever see permitted rows.

Each function takes one decision (made once per operation) and returns a tortoise `Q`
that domain code adds to its query. An empty decision gives a filter that matches nothing.
"""

from __future__ import annotations

import datetime as dt
import uuid

from tortoise.expressions import Q, Subquery

from authz.authorizer import AccessDecision, ScopeGrant
from models import Consent, Enrollment, Framework
from models.enums import ConsentPurpose

TRANSFER_READ_DAYS = 90
NOTHING = Q(id__in=[])


def _active_enrollments(today: dt.date) -> Q:
    return Q(end_date=None) | Q(end_date__gte=today)


GROUP_ROLES = frozenset({"EDUCATOR", "SUPERVISOR"})


def _enrolled_learners(today: dt.date, grant: ScopeGrant) -> Subquery:
    """Learners actively enrolled in the grant's groups (staff roles) or organisations."""
    query = Enrollment.filter(_active_enrollments(today))
    if grant.role in GROUP_ROLES:
        query = query.filter(group_id__in=list(grant.group_ids))
    else:
        query = query.filter(organisation_id__in=list(grant.organisation_ids))
    return Subquery(query.values("learner_id"))


def _recently_left_learners(today: dt.date, grant: ScopeGrant) -> Subquery:
    """T2: enrollments here that ended within the last 90 days."""
    query = Enrollment.filter(
        end_date__lt=today, end_date__gte=today - dt.timedelta(days=TRANSFER_READ_DAYS)
    )
    if grant.role in GROUP_ROLES:
        query = query.filter(group_id__in=list(grant.group_ids))
    else:
        query = query.filter(organisation_id__in=list(grant.organisation_ids))
    return Subquery(query.values("learner_id"))


def consenting_learners(purpose: ConsentPurpose) -> Subquery:
    return Subquery(Consent.filter(purpose=purpose, withdrawn_at=None).values("learner_id"))


def _unenrolled_created_here(organisation_ids: frozenset[uuid.UUID]) -> Q:
    """R5: learners the organisation created that are not enrolled anywhere yet."""
    return Q(created_by_organisation_id__in=list(organisation_ids)) & ~Q(
        id__in=Subquery(Enrollment.all().values("learner_id"))
    )


def learner_filter(decision: AccessDecision, today: dt.date) -> Q:
    """Rows of `learner` the decision lets the principal see."""
    parts: list[Q] = []
    for grant in decision.grants:
        if grant.scope in ("own_child", "self"):
            parts.append(Q(id__in=list(grant.learner_ids)))
        elif grant.scope in ("my_groups", "supervised_groups"):
            parts.append(Q(id__in=_enrolled_learners(today, grant)))
        elif grant.scope == "my_organisation":
            parts.append(Q(id__in=_enrolled_learners(today, grant)))
            if grant.role == "ORG_ADMIN":
                parts.append(_unenrolled_created_here(grant.organisation_ids))
        elif grant.scope == "left_within_90_days":
            parts.append(Q(id__in=_recently_left_learners(today, grant)))
    return _any(parts)


def content_filter(decision: AccessDecision, today: dt.date) -> Q:
    """Rows of `assessment` or `portfolio_entry` the decision lets the principal see.

    T3: a record belongs to the organisation where it was made (`organisation_id`).
    T1: records of earlier organisations need an active TRANSFER consent.
    C2: without an active PROCESSING consent, content is visible to guardians only.
    """
    parts: list[Q] = []
    processing = Q(learner_id__in=consenting_learners(ConsentPurpose.PROCESSING))
    for grant in decision.grants:
        orgs = list(grant.organisation_ids)
        if grant.scope == "own_child":
            parts.append(Q(learner_id__in=list(grant.learner_ids)))
        elif grant.scope == "self":
            parts.append(Q(learner_id__in=list(grant.learner_ids)) & processing)
        elif grant.scope in ("my_groups", "my_organisation"):
            enrolled = _enrolled_learners(today, grant)
            parts.append(Q(learner_id__in=enrolled) & Q(organisation_id__in=orgs) & processing)
        elif grant.scope == "earlier_organisations":
            enrolled = _enrolled_learners(today, grant)
            parts.append(
                Q(learner_id__in=enrolled)
                & ~Q(organisation_id__in=orgs)
                & Q(learner_id__in=consenting_learners(ConsentPurpose.TRANSFER))
                & processing
            )
        elif grant.scope == "left_within_90_days":
            parts.append(
                Q(learner_id__in=_recently_left_learners(today, grant))
                & Q(organisation_id__in=orgs)
                & processing
            )
    return _any(parts)


def assessment_filter(ordinary: AccessDecision, sensitive: AccessDecision, today: dt.date) -> Q:
    """Ordinary frameworks by the `assessment` decision, the sensitive one by its own (R7, R10)."""
    sensitive_ids = Subquery(Framework.filter(sensitive=True).values("id"))
    return (content_filter(ordinary, today) & ~Q(framework_id__in=sensitive_ids)) | (
        content_filter(sensitive, today) & Q(framework_id__in=sensitive_ids)
    )


def organisation_filter(decision: AccessDecision) -> Q:
    """Organisations: district-wide scopes see the district, others their own organisations."""
    parts: list[Q] = []
    for grant in decision.grants:
        if grant.district_ids:
            parts.append(Q(district_id__in=list(grant.district_ids)))
        if grant.organisation_ids:
            parts.append(Q(id__in=list(grant.organisation_ids)))
    return _any(parts)


def group_filter(decision: AccessDecision) -> Q:
    parts: list[Q] = []
    for grant in decision.grants:
        if grant.scope in ("my_groups", "supervised_groups"):
            parts.append(Q(id__in=list(grant.group_ids)))
        elif grant.organisation_ids:
            parts.append(Q(organisation_id__in=list(grant.organisation_ids)))
        elif grant.district_ids:
            parts.append(Q(organisation__district_id__in=list(grant.district_ids)))
    return _any(parts)


def _any(parts: list[Q]) -> Q:
    if not parts:
        return NOTHING
    result = parts[0]
    for part in parts[1:]:
        result = result | part
    return result


def handed_over_clauses(decision: AccessDecision, owners: list[uuid.UUID]) -> list[str]:
    """The clauses that let the viewer read records owned by these organisations (for L1).

    Records of the viewer's own organisations are read by the role's clause; records of other
    organisations only through T1 (earlier organisations) or T2 (left within 90 days).
    """
    if decision.has_scope("own_child", "self"):
        return [decision.clause]
    own = decision.organisation_ids("my_groups", "my_organisation", "supervised_groups")
    clauses = [decision.clause]
    if any(owner not in own for owner in owners) and decision.has_scope("earlier_organisations"):
        clauses.append("T1")
    if not own and decision.has_scope("left_within_90_days"):
        clauses = ["T2"]
    return list(dict.fromkeys(clauses))


def audit_log_filter(decision: AccessDecision) -> Q:
    """R4: an auditor reads the district's events; L4: a guardian those about own children."""
    parts: list[Q] = []
    for grant in decision.grants:
        if grant.scope == "district" and grant.district_ids:
            parts.append(Q(district_id__in=list(grant.district_ids)))
        elif grant.scope == "own_child":
            parts.append(Q(learner_id__in=list(grant.learner_ids)))
    return _any(parts)


def handoff_clause(decision: AccessDecision, learner_id: uuid.UUID, owner: uuid.UUID) -> str:
    """The clause under which the viewer reads what an organisation the learner left recorded.

    The learner's own relations first (R8, R9), then the previous organisation's 90 days (T2),
    then the receiving organisation's transfer consent (T1).
    """
    for grant in decision.grants:
        if learner_id in grant.learner_ids:
            return grant.clause
    if owner in decision.organisation_ids("left_within_90_days"):
        return "T2"
    if decision.has_scope("earlier_organisations"):
        return "T1"
    return decision.clause
