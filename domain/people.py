"""The viewer's own accounts, grants and relations."""

from __future__ import annotations

from dataclasses import dataclass

from authz.principal import Principal
from models import Learner, RoleGrant, User


@dataclass(frozen=True)
class MyView:
    user: User
    grants: list[RoleGrant]
    children: list[Learner]
    own_learner: Learner | None


async def my_view(*, principal: Principal) -> MyView:
    user = await User.get(id=principal.user_id)
    grants = await RoleGrant.filter(user_id=principal.user_id, revoked_at=None).order_by(
        "granted_at"
    )
    children = await Learner.filter(id__in=list(principal.children)).order_by(
        "last_name", "first_name"
    )
    own = (
        await Learner.get_or_none(id=principal.own_learner_id) if principal.own_learner_id else None
    )
    return MyView(user=user, grants=grants, children=children, own_learner=own)
