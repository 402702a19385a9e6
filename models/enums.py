"""Enumerations shared by the data model, the regulation and the API."""

from __future__ import annotations

from enum import StrEnum


class OrganisationKind(StrEnum):
    PRESCHOOL = "PRESCHOOL"
    SCHOOL = "SCHOOL"
    ADDITIONAL_EDUCATION = "ADDITIONAL_EDUCATION"


class EducationLevel(StrEnum):
    PRESCHOOL = "PRESCHOOL"
    PRIMARY = "PRIMARY"
    BASIC = "BASIC"
    SECONDARY = "SECONDARY"


class Role(StrEnum):
    DISTRICT_OPERATOR = "DISTRICT_OPERATOR"
    DISTRICT_OFFICIAL = "DISTRICT_OFFICIAL"
    AUDITOR = "AUDITOR"
    ORG_ADMIN = "ORG_ADMIN"
    EDUCATOR = "EDUCATOR"
    PSYCHOLOGIST = "PSYCHOLOGIST"


DISTRICT_ROLES = frozenset({Role.DISTRICT_OPERATOR, Role.DISTRICT_OFFICIAL, Role.AUDITOR})
ORGANISATION_ROLES = frozenset({Role.ORG_ADMIN, Role.EDUCATOR, Role.PSYCHOLOGIST})


class AssessmentPeriod(StrEnum):
    START = "START"
    MIDDLE = "MIDDLE"
    END = "END"


class ConsentPurpose(StrEnum):
    PROCESSING = "PROCESSING"
    TRANSFER = "TRANSFER"


class EntryCategory(StrEnum):
    OLYMPIAD = "OLYMPIAD"
    CONTEST = "CONTEST"
    SPORT = "SPORT"
    GTO = "GTO"
    PROJECT = "PROJECT"
    CREATIVE = "CREATIVE"
    ADDITIONAL_EDUCATION = "ADDITIONAL_EDUCATION"
    VOLUNTEERING = "VOLUNTEERING"
    CERTIFICATE = "CERTIFICATE"
    OTHER = "OTHER"


class EntryLevel(StrEnum):
    ORGANISATION = "ORGANISATION"
    MUNICIPAL = "MUNICIPAL"
    REGIONAL = "REGIONAL"
    FEDERAL = "FEDERAL"
    INTERNATIONAL = "INTERNATIONAL"


class EntryStatus(StrEnum):
    SUBMITTED = "SUBMITTED"
    VERIFIED = "VERIFIED"
    REJECTED = "REJECTED"


class Decision(StrEnum):
    ALLOW = "ALLOW"
    DENY = "DENY"
