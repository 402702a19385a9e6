"""The authenticated user with the grants and relations that decide what they may do."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from models import RoleGrant, User
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


_PRINCIPAL_SQL = """
SELECT 'grant' AS kind, g.id AS a, g.role AS role, g.district_id AS b,
       g.organisation_id AS c, o.district_id AS d, 0 AS flag
  FROM role_grant g LEFT JOIN organisation o ON o.id = g.organisation_id
 WHERE g.user_id = {p} AND g.revoked_at IS NULL
UNION ALL
SELECT 'child', learner_id, NULL, NULL, NULL, NULL, 0 FROM guardianship WHERE user_id = {p}
UNION ALL
SELECT 'self', id, NULL, NULL, NULL, NULL, 0 FROM learner WHERE account_id = {p}
UNION ALL
SELECT 'staff', s.group_id, NULL, NULL, gr.organisation_id, NULL,
       CASE WHEN s.supervisor THEN 1 ELSE 0 END
  FROM group_staff s JOIN learner_group gr ON gr.id = s.group_id
 WHERE s.user_id = {p}
"""


def _uuid(value: object) -> uuid.UUID | None:
    if value is None:
        return None
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


async def load_principal(user: User, *, today: dt.date | None = None) -> Principal:
    """Read grants and relations fresh on each request, in one query.

    Nothing is cached across requests, so a grant or revocation applies on the next request
    on every worker.
    """
    connection = RoleGrant._meta.db
    if connection.capabilities.dialect == "sqlite":
        rows = await connection.execute_query_dict(_PRINCIPAL_SQL.format(p="?"), [str(user.id)] * 4)
    else:
        sql = _PRINCIPAL_SQL.format(p="$1").replace(
            "NULL, NULL, NULL, NULL, 0", "NULL::text, NULL::uuid, NULL::uuid, NULL::uuid, 0"
        )
        sql = sql.replace("gr.organisation_id, NULL,", "gr.organisation_id, NULL::uuid,")
        sql = sql.replace("s.group_id, NULL, NULL,", "s.group_id, NULL::text, NULL::uuid,")
        rows = await connection.execute_query_dict(sql, [user.id])
    grants: list[GrantRef] = []
    children: set[uuid.UUID] = set()
    own: uuid.UUID | None = None
    staff: list[StaffRef] = []
    for row in rows:
        kind, a = row["kind"], _uuid(row["a"])
        assert a is not None
        if kind == "grant":
            grants.append(
                GrantRef(
                    grant_id=a,
                    role=Role(row["role"]),
                    district_id=_uuid(row["b"]),
                    organisation_id=_uuid(row["c"]),
                    organisation_district_id=_uuid(row["d"]),
                )
            )
        elif kind == "child":
            children.add(a)
        elif kind == "self":
            own = a
        else:
            organisation_id = _uuid(row["c"])
            assert organisation_id is not None
            staff.append(
                StaffRef(group_id=a, organisation_id=organisation_id, supervisor=bool(row["flag"]))
            )
    return Principal(
        user_id=user.id,
        login=user.login,
        full_name=user.full_name,
        grants=tuple(sorted(grants, key=lambda g: str(g.grant_id))),
        children=frozenset(children),
        own_learner_id=own,
        staff=tuple(staff),
        today=today or dt.date.today(),
    )
