"""The learner's roster record (R5, R9): created once, then reused by every organisation (T0)."""

from __future__ import annotations

import datetime as dt
import uuid

from domain.errors import BadInput, Conflict, NotFound
from domain.names import name_key, normalise_name_part
from models import Guardianship, Learner, Organisation, User

EARLIEST_BIRTH_DATE = dt.date(1990, 1, 1)
LEARNER_ACCOUNT_AGE = 14
NAME_MAX = 100
SPECIAL_NEEDS_MAX = 500


def _name_part(value: str | None, field: str, *, required: bool) -> str | None:
    text = " ".join((value or "").split())
    if not text:
        if required:
            raise BadInput(f"{field} must not be empty", field=field)
        return None
    if len(text) > NAME_MAX:
        raise BadInput(f"{field} must be at most {NAME_MAX} characters", field=field)
    return text


def age_on(birth_date: dt.date, day: dt.date) -> int:
    """Full years on `day` (a birthday counts from the day itself)."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


async def create_learner(
    *,
    organisation: Organisation,
    last_name: str,
    first_name: str,
    middle_name: str | None,
    birth_date: dt.date,
    health_group: int | None,
    special_needs: str | None,
    today: dt.date,
) -> Learner:
    """R5: the record belongs to the district; the creating organisation acts on it until enrolled.

    Names are stored as written (trimmed) and as a normalised key for the exact look-up (T0).
    """
    last = _name_part(last_name, "lastName", required=True)
    first = _name_part(first_name, "firstName", required=True)
    middle = _name_part(middle_name, "middleName", required=False)
    assert last is not None and first is not None
    if birth_date > today:
        raise BadInput(f"birthDate {birth_date.isoformat()} is in the future", field="birthDate")
    if birth_date < EARLIEST_BIRTH_DATE:
        raise BadInput(
            f"birthDate {birth_date.isoformat()} is before {EARLIEST_BIRTH_DATE.isoformat()}",
            field="birthDate",
        )
    if health_group is not None and not 1 <= health_group <= 5:
        raise BadInput(f"healthGroup must be 1 to 5; got {health_group}", field="healthGroup")
    needs = " ".join((special_needs or "").split()) or None
    if needs is not None and len(needs) > SPECIAL_NEEDS_MAX:
        raise BadInput(
            f"specialNeeds must be at most {SPECIAL_NEEDS_MAX} characters", field="specialNeeds"
        )
    return await Learner.create(
        district_id=organisation.district_id,
        created_by_organisation_id=organisation.id,
        last_name=last,
        first_name=first,
        middle_name=middle,
        birth_date=birth_date,
        health_group=health_group,
        special_needs=needs,
        name_key=name_key(last, first, middle),
        last_name_key=normalise_name_part(last),
    )


async def link_guardian(*, learner: Learner, user_id: uuid.UUID) -> Guardianship:
    """R5: an ORG_ADMIN links a guardian's account; the link is what R8 reads through."""
    user = await User.get_or_none(id=user_id)
    if user is None:
        raise NotFound("user not found", field="userId")
    if learner.account_id == user_id:
        raise BadInput(f"{user.login} is the learner's own account, not a guardian", field="userId")
    await _lock(learner)
    if await Guardianship.filter(learner_id=learner.id, user_id=user_id).exists():
        raise Conflict(f"{user.login} is already a guardian of this learner", field="userId")
    return await Guardianship.create(learner_id=learner.id, user_id=user_id)


async def link_learner_account(*, learner: Learner, user_id: uuid.UUID, today: dt.date) -> Learner:
    """R9: a learner of 14 or older reads their own portfolio through one linked account."""
    user = await User.get_or_none(id=user_id)
    if user is None:
        raise NotFound("user not found", field="userId")
    age = age_on(learner.birth_date, today)
    if age < LEARNER_ACCOUNT_AGE:
        raise BadInput(
            f"learnerId: an account is linked from age {LEARNER_ACCOUNT_AGE} (R9);"
            f" the learner is {age}",
            field="learnerId",
        )
    learner = await _lock(learner)
    if learner.account_id == user_id:
        return learner
    if learner.account_id is not None:
        raise Conflict("the learner already has a linked account", field="learnerId")
    other = await Learner.filter(account_id=user_id).exclude(id=learner.id).first()
    if other is not None:
        raise Conflict(f"{user.login} is already linked to another learner", field="userId")
    if await Guardianship.filter(learner_id=learner.id, user_id=user_id).exists():
        raise BadInput(
            f"{user.login} is a guardian of this learner, not the learner", field="userId"
        )
    learner.account_id = user_id
    await learner.save(update_fields=["account_id"])
    return learner


async def _lock(learner: Learner) -> Learner:
    """Serialise concurrent changes of one learner (PostgreSQL; SQLite has a single writer).

    Returns the row as read under the lock, so checks see what concurrent writers committed.
    """
    row = await Learner.filter(id=learner.id).select_for_update().first()
    if row is None:
        raise NotFound("learner not found", field="learnerId")
    return row
