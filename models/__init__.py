"""Tortoise models: persistence, constraints and indexes only (no GraphQL, no authorization)."""

from models.assessment import Assessment, AssessmentPeriodClosure, AssessmentRevision
from models.audit import AuditChainHead, AuditEvent, DestructionRecord
from models.entry import PortfolioEntry
from models.framework import DevelopmentArea, Framework, Indicator
from models.learner import Consent, Enrollment, Guardianship, Learner
from models.organisation import District, Group, GroupStaff, Organisation, RoleGrant, User

__all__ = [
    "Assessment",
    "AssessmentPeriodClosure",
    "AssessmentRevision",
    "AuditChainHead",
    "AuditEvent",
    "Consent",
    "DestructionRecord",
    "DevelopmentArea",
    "District",
    "Enrollment",
    "Framework",
    "Group",
    "GroupStaff",
    "Guardianship",
    "Indicator",
    "Learner",
    "Organisation",
    "PortfolioEntry",
    "RoleGrant",
    "User",
]
