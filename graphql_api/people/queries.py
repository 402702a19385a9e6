"""`me` and the exact-login look-up used to link guardians and staff."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types import Info

from domain.people import my_view
from graphql_api.learners.types import LearnerType
from graphql_api.people.types import Me, RoleGrantType, UserType
from models import User


@strawberry.type
class PeopleQueries:
    @strawberry.field
    async def me(self, info: Info[Any, None]) -> Me:
        ctx = info.context
        view = await my_view(principal=ctx.require_principal())
        learners = [*view.children, *([view.own_learner] if view.own_learner else [])]
        if learners:
            decision = ctx.decide("read", "learner")
            for learner in learners:
                ctx.record(
                    decision, [learner.id], district_id=learner.district_id, section="roster"
                )
        return Me(
            user=UserType.of(view.user),
            grants=[RoleGrantType.of(g) for g in view.grants],
            children=[LearnerType.of(c) for c in view.children],
            learner=LearnerType.of(view.own_learner) if view.own_learner else None,
        )

    @strawberry.field(description="Exact login; for DISTRICT_OPERATOR and ORG_ADMIN.")
    async def user_by_login(self, info: Info[Any, None], login: str) -> UserType | None:
        info.context.require("read", "user")
        user = await User.filter(login=login.strip()).first()
        return UserType.of(user) if user else None
