"""The authenticated user with the grants and relations that decide what they may do."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from models import GroupStaff, Guardianship, Learner, RoleGrant, User
from models.enums import Role


@dataclass(frozen=True)
class GrantRef:
    grant_id: uuid.UUID
    role: Role
    district_id: uuid.UUID | None
    organisation_id: uuid.UUID | None
    # The district of the organisation, so district roles reach it through the hierarchy.
    organisation_district_id: uuid.UUID | None

    @property
    def domain_district_id(self) -> uuid.UUID | None:
        return self.district_id or self.organisation_district_id


@dataclass(frozen=True)
class StaffRef:
    group_id: uuid.UUID
    organisation_id: uuid.UUID
    supervisor: bool


@dataclass(frozen=True)
class Principal:
    user_id: uuid.UUID
    login: str
    full_name: str
    grants: tuple[GrantRef, ...] = ()
    children: frozenset[uuid.UUID] = frozenset()
    own_learner_id: uuid.UUID | None = None
    staff: tuple[StaffRef, ...] = ()
    today: dt.date = field(default_factory=dt.date.today)

    def organisations_with(self, *roles: Role) -> frozenset[uuid.UUID]:
        return frozenset(
            g.organisation_id
            for g in self.grants
            if g.role in roles and g.organisation_id is not None
        )

    def districts_with(self, *roles: Role) -> frozenset[uuid.UUID]:
        return frozenset(
            g.district_id for g in self.grants if g.role in roles and g.district_id is not None
        )

    @property
    def districts(self) -> frozenset[uuid.UUID]:
        return frozenset(d for g in self.grants if (d := g.domain_district_id) is not None)

    def staffed_groups(self, *, supervisor_only: bool = False) -> frozenset[uuid.UUID]:
        """Groups assigned to the user, counted only while the EDUCATOR grant there is active."""
        educator_orgs = self.organisations_with(Role.EDUCATOR)
        return frozenset(
            s.group_id
            for s in self.staff
            if s.organisation_id in educator_orgs and (s.supervisor or not supervisor_only)
        )


async def load_principal(user: User, *, today: dt.date | None = None) -> Principal:
    """Read grants and relations fresh on each request, so changes apply on every worker."""
    grants = await RoleGrant.filter(user_id=user.id, revoked_at=None).select_related("organisation")
    children = await Guardianship.filter(user_id=user.id).values_list("learner_id", flat=True)
    own = await Learner.filter(account_id=user.id).first().values_list("id", flat=True)
    staff_rows = await GroupStaff.filter(user_id=user.id).select_related("group")
    return Principal(
        user_id=user.id,
        login=user.login,
        full_name=user.full_name,
        grants=tuple(
            GrantRef(
                grant_id=g.id,
                role=Role(g.role),
                district_id=g.district_id,
                organisation_id=g.organisation_id,
                organisation_district_id=g.organisation.district_id if g.organisation else None,
            )
            for g in grants
        ),
        children=frozenset(children),  # type: ignore[arg-type]
        own_learner_id=own,  # type: ignore[arg-type]
        staff=tuple(
            StaffRef(
                group_id=s.group_id,
                organisation_id=s.group.organisation_id,
                supervisor=s.supervisor,
            )
            for s in staff_rows
        ),
        today=today or dt.date.today(),
    )
