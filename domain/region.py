"""A region-sized district for benchmarks of district reporting (not used by the API or CI).

About 1,000 organisations, 250,000 learners and 10 million assessment rows do not fit the
demo's way of building everything in memory and loading it in one transaction. The region is
generated per chunk of neighbouring organisations instead (a locality: its kindergartens send
their leavers to its schools, its УДО takes its pupils), and each chunk is written and
committed before the next one is built, so memory stays at the size of one chunk.

The load is therefore not atomic: a run that fails midway keeps the chunks written so far and
a second run refuses the existing district, so repeat a failed run on a fresh database.

Sizes are targets: every chunk aims at its share of what is still missing, so the totals land
close to the requested learners and assessment rows. The same seed and sizes give the same
rows and ids. Vocabulary, name lists, the random helpers, the rows per model and the row
writer are the demo's (domain/demo.py).
"""

from __future__ import annotations

import datetime as dt
import math
import random
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from tortoise import connections
from tortoise.transactions import in_transaction

from domain.academic_year import academic_year_of
from domain.demo import (
    _ASSESSMENT_COLUMNS,
    _BOYS_NAMES,
    _CLOSURE_COLUMNS,
    _DESCRIPTIONS,
    _ENTRY_CATALOGUE,
    _ENTRY_COLUMNS,
    _GIRLS_NAMES,
    _GRANT_COLUMNS,
    _KG_GROUP_NAMES,
    _KINDERGARTENS,
    _MALE_NAMES,
    _REJECTION_COMMENTS,
    _SPECIAL_NEEDS,
    _SURNAMES,
    _WOMEN_NAMES,
    DEMO_TODAY,
    _add_organisation_grants,
    _at,
    _catalogue,
    _CatalogueFramework,
    _check_catalogue,
    _Consent,
    _Enrollment,
    _Family,
    _female_surname,
    _Generator,
    _Group,
    _group_rows,
    _last_friday_of_may,
    _Learner,
    _learner_rows,
    _Org,
    _organisation_rows,
    _Person,
    _Table,
    _user_rows,
    _weekday,
    _write,
)
from models import (
    Assessment,
    AssessmentPeriodClosure,
    District,
    PortfolioEntry,
    RoleGrant,
    User,
)
from models.enums import (
    AssessmentPeriod,
    ConsentPurpose,
    EducationLevel,
    EntryCategory,
    EntryStatus,
    OrganisationKind,
    Role,
)

REGION_DISTRICT_NAME = "Региональный эталон (нагрузочный)"
REGION_SEED = 20261204
REGION_TODAY = DEMO_TODAY
# Every login of the region starts with it, so it never collides with the demo's logins.
LOGIN_PREFIX = "region."
ORGANISATIONS_PER_CHUNK = 20
# Assessment rows held in memory before they are written (within the chunk's transaction).
_FLUSH_ROWS = 50_000

# The cohort model that turns a chunk's targets into places in groups. A kindergarten place
# (a child in a group in a year) sees 1.5 distinct children over three years (4 stages
# present, 2 new cohorts) and 5 diagnostics periods (START and END of 2024 and 2025, START of
# 2026) of 23 FGOS_DO indicators; a school place sees about one child, of whom 4 grades in
# 10.1 places (11 grades, the senior ones smaller) are in grades 1–4, with 9 PRIMARY_META
# indicators. Consent cuts ~6% of the rows. The constants were checked against generated
# chunks; each chunk corrects the error of the ones before it.
_CONSENTED = 0.935
_KG_LEARNERS_PER_PLACE = 1.52
_KG_ROWS_PER_PLACE = 5 * 23 * _CONSENTED
_SCHOOL_PLACES_PER_PARALLEL = 10.1
_SCHOOL_LEARNERS_PER_PLACE = 1.025
_SCHOOL_ROWS_PER_PLACE = 4 / _SCHOOL_PLACES_PER_PARALLEL * 5 * 9 * _CONSENTED
# Kindergarten leavers reaching a 1st grade of the locality per kindergarten place and year.
_MOVERS_PER_KG_PLACE = 0.25 * 0.97 * 0.95
# Kindergarten places stay between these shares of all places, whatever the targets ask.
_KG_SHARE_RANGE = (0.08, 0.85)

_SCHOOL_KINDS = (
    (0.70, "МБОУ СОШ № {n}", "СОШ № {n}"),
    (0.08, "МБОУ «Гимназия № {n}»", "Гимназия № {n}"),
    (0.07, "МБОУ «Лицей № {n}»", "Лицей № {n}"),
    (0.15, "МБОУ СОШ № {n} с углублённым изучением отдельных предметов", "СОШ № {n}"),
)
_ADDITIONAL_KINDS = (
    ("МБУ ДО «Дом детского творчества № {n}»", "ДДТ № {n}"),
    ("МБУ ДО «Центр детского творчества № {n}»", "ЦДТ № {n}"),
    ("МБУ ДО «Станция юных техников № {n}»", "СЮТ № {n}"),
    ("МБУ ДО «Детско-юношеская спортивная школа № {n}»", "ДЮСШ № {n}"),
)
# (name, level of the pupils it takes)
_CIRCLES = (
    ("Робототехника", EducationLevel.BASIC),
    ("Юный эколог", EducationLevel.PRIMARY),
    ("Театральная студия", EducationLevel.PRIMARY),
    ("Вокальная студия", EducationLevel.BASIC),
    ("Шахматы", EducationLevel.PRIMARY),
    ("Декоративно-прикладное творчество", EducationLevel.PRIMARY),
    ("Юный краевед", EducationLevel.BASIC),
    ("Программирование", EducationLevel.BASIC),
    ("Лёгкая атлетика", EducationLevel.BASIC),
    ("Хореография", EducationLevel.PRIMARY),
)
_PARALLEL_LETTERS = "АБВГДЕ"


class RegionAlreadyLoaded(Exception):
    """The region district (or its logins) is already in the database: use a fresh one."""


@dataclass(frozen=True)
class RegionSummary:
    """What a load wrote: the district, rows per table, the targets and the time it took."""

    district_id: uuid.UUID
    counts: dict[str, int]
    targets: dict[str, int]
    seconds: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "districtId": str(self.district_id),
            "districtName": REGION_DISTRICT_NAME,
            "seconds": round(self.seconds, 1),
            "targets": self.targets,
            "counts": self.counts,
        }


# --------------------------------------------------------------------------- the plan


@dataclass(frozen=True)
class _PlannedOrg:
    index: int
    kind: OrganisationKind
    number: int  # within its kind, for the name


def _plan_organisations(total: int) -> list[_PlannedOrg]:
    """≈45% kindergartens, ≈50% schools, the rest УДО, interleaved so that every chunk of
    neighbours has all three kinds in about those shares."""
    preschool = round(total * 0.45)
    additional = max(1, round(total * 0.05)) if total >= 3 else 0
    school = total - preschool - additional
    spread: list[tuple[float, int, OrganisationKind]] = []
    for order, (kind, count) in enumerate(
        (
            (OrganisationKind.PRESCHOOL, preschool),
            (OrganisationKind.SCHOOL, school),
            (OrganisationKind.ADDITIONAL_EDUCATION, additional),
        )
    ):
        spread.extend(((i + 0.5) / count, order, kind) for i in range(count))
    numbers: dict[OrganisationKind, int] = {}
    plan = []
    for index, (_, _, kind) in enumerate(sorted(spread), 1):
        numbers[kind] = numbers.get(kind, 0) + 1
        plan.append(_PlannedOrg(index, kind, numbers[kind]))
    return plan


def _cohort_model(kg_places: float, school_places: float) -> tuple[float, float]:
    """Distinct learners over the three years and assessment rows for these places."""
    intake = school_places / _SCHOOL_PLACES_PER_PARALLEL
    newcomers = 2 * max(0.0, intake - _MOVERS_PER_KG_PLACE * kg_places)
    learners = (
        _KG_LEARNERS_PER_PLACE * kg_places + _SCHOOL_LEARNERS_PER_PLACE * school_places + newcomers
    )
    rows = _KG_ROWS_PER_PLACE * kg_places + _SCHOOL_ROWS_PER_PLACE * school_places
    return learners, rows


def _places(
    learners: float, rows: float, *, kindergartens: int, schools: int
) -> tuple[float, float]:
    """Kindergarten and school places of a chunk so that it gives about these learners and
    assessment rows: the kindergarten share sets rows per learner, the total sets learners."""
    if learners <= 0:
        return 0.0, 0.0
    if not schools and not kindergartens:
        return 0.0, 0.0
    if not schools:
        share = 1.0
    elif not kindergartens:
        share = 0.0
    else:
        wanted = rows / learners
        low, high = _KG_SHARE_RANGE
        for _ in range(40):
            share = (low + high) / 2
            got_learners, got_rows = _cohort_model(share, 1 - share)
            if got_rows / got_learners < wanted:
                low = share
            else:
                high = share
        share = (low + high) / 2
    per_place, _ = _cohort_model(share, 1 - share)
    total = learners / per_place
    return share * total, (1 - share) * total


# --------------------------------------------------------------------------- one chunk


class _Chunk(_Generator):
    """A locality of neighbouring organisations with its own random streams (so its ids never
    depend on how many ids the chunks before it drew); nothing is kept once it is written."""

    login_prefix = LOGIN_PREFIX

    def __init__(
        self,
        *,
        seed: int,
        number: int,
        district_id: uuid.UUID,
        planned: list[_PlannedOrg],
        kg_places: float,
        school_places: float,
        operator: _Person,
        today: dt.date,
    ) -> None:
        self.rng = random.Random(f"region:{seed}:{number}")
        self._ids = random.Random(f"region-ids:{seed}:{number}")
        self.number = number
        self.district_id = district_id
        self.planned = planned
        self.kg_places = kg_places
        self.school_places = school_places
        self.operator = operator
        self.today = today
        self.now = _at(today, 8)
        self.current = academic_year_of(today)
        self.years = (self.current - 2, self.current - 1, self.current)
        self.setup_day = dt.date(self.years[0], 8, 15)
        self.catalogue = _catalogue()
        self.users: list[_Person] = []
        self.orgs: list[_Org] = []
        self.groups: dict[tuple[int, int, int, str], _Group] = {}
        self.learners: list[_Learner] = []
        self.additional: list[_Enrollment] = []
        self.guardian_count = 0
        self.paper: dict[tuple[int, int], int] = {}

    # ---- helpers

    def weights(self, count: int, spread: float) -> list[float]:
        """Organisation sizes vary: a town's kindergarten is several times a village's."""
        raw = [self.rng.lognormvariate(0.0, spread) for _ in range(count)]
        total = sum(raw)
        return [w / total for w in raw]

    # ---- organisations

    def build_organisations(self) -> None:
        for planned in self.planned:
            n = planned.number
            letters: tuple[str, ...] = ()
            if planned.kind is OrganisationKind.PRESCHOOL:
                _, title = self.rng.choice(_KINDERGARTENS)
                name, short = f"МБДОУ детский сад № {n} «{title}»", f"Д/с № {n} «{title}»"
            elif planned.kind is OrganisationKind.SCHOOL:
                kinds = [k[1:] for k in _SCHOOL_KINDS]
                full, brief = self.rng.choices(kinds, weights=[k[0] for k in _SCHOOL_KINDS])[0]
                name, short = full.format(n=n), brief.format(n=n)
            else:
                full, brief = _ADDITIONAL_KINDS[(n - 1) % len(_ADDITIONAL_KINDS)]
                name, short = full.format(n=n), brief.format(n=n)
            org = _Org(self.new_id(), planned.index, planned.kind, name, short, letters, 0)
            org.admin = self.staff(f"admin{org.index}", female=self.rng.random() < 0.8)
            if planned.kind is OrganisationKind.PRESCHOOL:
                org.psychologist = self.staff(f"psy{org.index}", female=True)
            self.orgs.append(org)
        kindergartens = self.of_kind(OrganisationKind.PRESCHOOL)
        for org, weight in zip(kindergartens, self.weights(len(kindergartens), 0.5), strict=True):
            places = self.kg_places * weight
            parallels = max(1, math.ceil(places / (4 * 24)))
            org.letters = tuple(str(p) for p in range(1, parallels + 1))
            org.class_size = min(24, max(8, round(places / (4 * parallels))))
        schools = self.of_kind(OrganisationKind.SCHOOL)
        for org, weight in zip(schools, self.weights(len(schools), 0.7), strict=True):
            places = self.school_places * weight
            parallels = max(1, math.ceil(places / (_SCHOOL_PLACES_PER_PARALLEL * 28)))
            parallels = min(parallels, len(_PARALLEL_LETTERS))
            org.letters = tuple(_PARALLEL_LETTERS[:parallels])
            size = places / (_SCHOOL_PLACES_PER_PARALLEL * parallels)
            org.class_size = min(30, max(5, round(size)))

    def of_kind(self, kind: OrganisationKind) -> list[_Org]:
        return [o for o in self.orgs if o.kind is kind]

    def group(
        self,
        org: _Org,
        year: int,
        stage: int,
        letter: str,
        *,
        name: str | None = None,
        level: EducationLevel | None = None,
    ) -> _Group:
        grade: int | None = None
        if org.kind is OrganisationKind.PRESCHOOL:
            level = EducationLevel.PRESCHOOL
            base = _KG_GROUP_NAMES[stage]
            name = base if len(org.letters) == 1 else f"{base} № {letter}"
        elif org.kind is OrganisationKind.SCHOOL:
            name, grade = f"{stage}{letter}", stage
            level = (
                EducationLevel.PRIMARY
                if stage <= 4
                else EducationLevel.BASIC
                if stage <= 9
                else EducationLevel.SECONDARY
            )
        assert name is not None and level is not None
        created = self.working_time(dt.date(year, 8, self.rng.randint(20, 28)))
        group = _Group(self.new_id(), org, year, stage, letter, name, level, grade, created)
        self.groups[(year, org.index, stage, letter)] = group
        return group

    # ---- learners and their groups

    def new_learner(self, org: _Org, year: int, stage: int) -> _Learner:
        """A child joining `org` on 1 Sep of `year`, of the age that fits the group."""
        offset = stage + 4 if org.kind is OrganisationKind.PRESCHOOL else stage + 7
        birth = self.day_between(dt.date(year - offset, 9, 1), dt.date(year - offset + 1, 8, 31))
        female = self.rng.random() < 0.49
        learner = _Learner(
            id=self.new_id(),
            family=self.family(),
            female=female,
            first=self.rng.choice(_GIRLS_NAMES if female else _BOYS_NAMES),
            birth=birth,
            health=self.rng.choices((1, 2, 3), weights=(55, 39, 6))[0],
            special=self.rng.choice(_SPECIAL_NEEDS) if self.rng.random() < 0.03 else None,
            created_at=self.working_time(dt.date(year, 8, self.rng.randint(15, 31))),
            ability=self.rng.gauss(0.0, 0.45),
        )
        learner.family.children.append(learner)
        self.learners.append(learner)
        return learner

    def family(self) -> _Family:
        """A mother, a father or both; guardians get accounts (they give the consents)."""
        surname = self.rng.choice(_SURNAMES)
        family = _Family(surname=surname, father=self.rng.choice(_MALE_NAMES))
        roll = self.rng.random()
        if roll < 0.85:
            family.guardians.append(self.adult(female=True, surname=surname))
        if roll >= 0.85 or self.rng.random() < 0.35:
            father = self.adult(female=False, surname=surname)
            father.first = family.father[0]
            family.guardians.append(father)
        for guardian in family.guardians:
            self.guardian_count += 1
            guardian.login = f"{LOGIN_PREFIX}guardian{self.number}.{self.guardian_count}"
            self.users.append(guardian)
        return family

    def enrol(self, learner: _Learner, group: _Group) -> None:
        enrollment = _Enrollment(self.new_id(), learner, group, dt.date(group.year, 9, 1))
        learner.enrollments.append(enrollment)
        group.members.append(learner)

    def build_cohorts(self) -> None:
        """Three academic years: children move up a group or grade each September, and the
        kindergartens' leavers fill the locality's 1st grades."""
        for year in self.years:
            self.kindergarten_year(year)
            self.school_year(year)
            self.additional_year(year)
        for learner in self.learners:
            for enrollment in learner.enrollments:
                year = enrollment.group.year
                if year == self.current:
                    continue
                leaves = enrollment.group.preschool and enrollment.group.stage == 3
                enrollment.end = (
                    _last_friday_of_may(year + 1) if leaves else dt.date(year + 1, 8, 31)
                )

    def kindergarten_year(self, year: int) -> None:
        for org in self.of_kind(OrganisationKind.PRESCHOOL):
            for stage in range(4):
                for letter in org.letters:
                    group = self.group(org, year, stage, letter)
                    previous = self.groups.get((year - 1, org.index, stage - 1, letter))
                    if previous is None:
                        size = org.class_size + self.rng.randint(-2, 2)
                        children = [self.new_learner(org, year, stage) for _ in range(size)]
                    else:
                        children = [c for c in previous.members if self.rng.random() > 0.03]
                        if self.rng.random() < 0.5:
                            children.append(self.new_learner(org, year, stage))
                    for child in children:
                        self.enrol(child, group)

    def school_year(self, year: int) -> None:
        schools = self.of_kind(OrganisationKind.SCHOOL)
        first_year = year == self.years[0]
        # 1st grades: places are taken by the locality's kindergarten leavers, then by others.
        places: list[_Group] = []
        for school in schools:
            for letter in school.letters:
                group = self.group(school, year, 1, letter)
                places.extend([group] * max(1, school.class_size + self.rng.randint(-2, 2)))
        movers: list[_Learner] = []
        if not first_year:
            for kindergarten in self.of_kind(OrganisationKind.PRESCHOOL):
                for letter in kindergarten.letters:
                    leaving = self.groups[(year - 1, kindergarten.index, 3, letter)]
                    movers += [c for c in leaving.members if self.rng.random() >= 0.05]
            self.rng.shuffle(movers)
        self.rng.shuffle(places)
        for position, group in enumerate(places):
            school = group.org
            pupil = (
                movers[position] if position < len(movers) else self.new_learner(school, year, 1)
            )
            self.enrol(pupil, group)
        for school in schools:
            seniors = school.letters[: max(1, round(len(school.letters) * 0.55))]
            for grade in range(2, 12):
                letters = school.letters if grade <= 9 else seniors
                groups = [self.group(school, year, grade, letter) for letter in letters]
                pupils: list[list[_Learner]] = [[] for _ in groups]
                if first_year:
                    size = school.class_size
                    if grade >= 10:
                        size = round(size * len(school.letters) * 0.55 / len(seniors))
                    for members in pupils:
                        grown = max(1, size + self.rng.randint(-3, 3))
                        members.extend(self.new_learner(school, year, grade) for _ in range(grown))
                elif grade == 10:
                    stay = [
                        p
                        for letter in school.letters
                        for p in self.groups[(year - 1, school.index, 9, letter)].members
                        if self.rng.random() < 0.55
                    ]
                    for position, pupil in enumerate(stay):
                        pupils[position % len(pupils)].append(pupil)
                else:
                    for letter, members in zip(letters, pupils, strict=True):
                        previous = self.groups[(year - 1, school.index, grade - 1, letter)]
                        members.extend(p for p in previous.members if self.rng.random() > 0.02)
                        if self.rng.random() < 0.25:
                            members.append(self.new_learner(school, year, grade))
                for group, members in zip(groups, pupils, strict=True):
                    for pupil in members:
                        self.enrol(pupil, group)

    def additional_year(self, year: int) -> None:
        """УДО circles run alongside school: their pupils are the locality's schoolchildren."""
        schools = self.of_kind(OrganisationKind.SCHOOL)
        pupils: dict[EducationLevel, list[_Learner]] = {
            EducationLevel.PRIMARY: [],
            EducationLevel.BASIC: [],
        }
        for (group_year, _, _, _), group in self.groups.items():
            if group_year == year and group.org in schools and group.level in pupils:
                pupils[group.level].extend(group.members)
        for org in self.of_kind(OrganisationKind.ADDITIONAL_EDUCATION):
            circles = self.rng.sample(_CIRCLES, self.rng.randint(5, len(_CIRCLES)))
            for stage, (circle, level) in enumerate(circles):
                group = self.group(org, year, stage, "", name=circle, level=level)
                candidates = pupils[level]
                chosen = self.rng.sample(candidates, min(len(candidates), self.rng.randint(10, 15)))
                for learner in chosen:
                    end = None if year == self.current else dt.date(year + 1, 5, 31)
                    enrollment = _Enrollment(
                        self.new_id(), learner, group, dt.date(year, 9, 15), end
                    )
                    group.members.append(learner)
                    self.additional.append(enrollment)

    # ---- staff

    def build_staff(self) -> None:
        """One supervisor per group; an educator supervises 1–2 groups of the current year and
        usually had the same class the years before."""
        for org in self.orgs:
            groups = [g for g in self.groups.values() if g.org is org]
            current = [g for g in groups if g.year == self.current]
            self.rng.shuffle(current)
            position = 0
            while position < len(current):
                take = 2 if self.rng.random() < 0.3 and position + 1 < len(current) else 1
                teacher = self.staff(
                    f"teacher{org.index}.{len(org.teachers) + 1}",
                    female=self.rng.random() < 0.85,
                )
                org.teachers.append(teacher)
                for group in current[position : position + take]:
                    group.supervisor = teacher
                position += take
            for teacher in org.teachers:
                if self.rng.random() < 0.4:
                    group = self.rng.choice(current)
                    if group.supervisor is not teacher:
                        group.assistants.append(teacher)
            for year in (self.current - 1, self.current - 2):
                load = {id(t): 0 for t in org.teachers}
                orphans = []
                for group in (g for g in groups if g.year == year):
                    key = (year + 1, org.index, group.stage + 1, group.letter)
                    successor = self.groups.get(key)
                    if org.kind is not OrganisationKind.ADDITIONAL_EDUCATION and successor:
                        assert successor.supervisor is not None
                        group.supervisor = successor.supervisor
                        load[id(successor.supervisor)] += 1
                    else:
                        orphans.append(group)
                for group in orphans:
                    teacher = min(org.teachers, key=lambda t: load[id(t)])
                    group.supervisor = teacher
                    load[id(teacher)] += 1

    # ---- consents

    def build_consents(self) -> None:
        """~92% active PROCESSING, ~2% withdrawn lately, the rest none; TRANSFER for most
        children who went from kindergarten to school."""
        for learner in self.learners:
            roll = self.rng.random()
            if roll < 0.06:
                continue
            guardians = learner.family.guardians
            first = learner.enrollments[0]
            given_by = self.rng.choice(guardians)
            given_at = self.working_time(first.start)
            consent = _Consent(
                self.new_id(), ConsentPurpose.PROCESSING, given_by, given_by, given_at
            )
            if self.rng.random() < 0.15:
                admin = first.group.org.admin
                assert admin is not None
                consent.recorded_by = admin
                key = (first.group.org.index, given_at.year)
                self.paper[key] = self.paper.get(key, 0) + self.rng.randint(1, 4)
                consent.document_ref = f"ПД-{given_at.year}/{self.paper[key]:03d}"
            if roll < 0.08:
                day = self.today - dt.timedelta(days=self.rng.randint(5, 29))
                consent.withdrawn_at = max(self.working_time(day), given_at)
            learner.consents.append(consent)
            move = next(
                (
                    after.group.year
                    for before, after in zip(
                        learner.enrollments, learner.enrollments[1:], strict=False
                    )
                    if before.group.preschool and not after.group.preschool
                ),
                None,
            )
            if move is not None and self.rng.random() < 0.7:
                spring = self.day_between(dt.date(move, 3, 1), dt.date(move, 5, 20))
                giver = self.rng.choice(guardians)
                learner.consents.append(
                    _Consent(
                        self.new_id(),
                        ConsentPurpose.TRANSFER,
                        giver,
                        giver,
                        max(self.working_time(spring), given_at),
                    )
                )

    def build(self) -> None:
        self.build_organisations()
        self.build_cohorts()
        self.build_staff()
        self.build_consents()

    # ---- rows

    def small_tables(self) -> list[_Table]:
        """Everything but assessments, closures and entries, in foreign-key order."""
        organisations = _organisation_rows(
            self.district_id, self.orgs, lambda _org: _at(self.setup_day, 11)
        )
        grants = _Table(RoleGrant, _GRANT_COLUMNS)
        _add_organisation_grants(grants, self.orgs, self.operator, self.new_id)
        return [
            _user_rows(self.users),
            organisations,
            grants,
            *_group_rows(self.groups.values(), self.new_id),
            *_learner_rows(self.district_id, self.learners, self.new_id, self.additional),
        ]

    def assessment_rows(self) -> Iterator[tuple[Any, ...]]:
        """FGOS_DO in kindergartens and PRIMARY_META in grades 1–4, START and END of every
        year, only while the learner's PROCESSING consent is active (C1). A generator: the
        rows are written in batches as they come."""
        fgos: _CatalogueFramework = self.catalogue["FGOS_DO"]
        primary: _CatalogueFramework = self.catalogue["PRIMARY_META"]
        periods = (AssessmentPeriod.START, AssessmentPeriod.END)
        gauss, new_id = self.rng.gauss, self.new_id
        for learner in self.learners:
            if not learner.consents:
                continue
            area_bias = [gauss(0.0, 0.25) for _ in range(6)]
            for enrollment in learner.enrollments:
                group = enrollment.group
                if group.preschool:
                    framework, progress = fgos, float(group.stage)
                elif group.grade is not None and group.grade <= 4:
                    framework, progress = primary, float(group.grade - 1)
                else:
                    continue
                supervisor = group.supervisor
                assert supervisor is not None
                for period in periods:
                    moment = self.moment(group.year, period)
                    if moment >= self.now or not learner.processing_active(moment):
                        continue
                    if enrollment.end is not None and moment.date() > enrollment.end:
                        continue
                    half = 0.5 if period is AssessmentPeriod.END else 0.0
                    base = 0.6 + learner.ability + 0.4 * (progress + half)
                    for indicator in framework.indicators:
                        score = base + area_bias[indicator.area_position] + gauss(0.0, 0.55)
                        yield (
                            new_id(),
                            learner.id,
                            indicator.id,
                            indicator.area_id,
                            framework.id,
                            group.year,
                            period.value,
                            1 if score < 0.5 else 3 if score > 1.6 else 2,
                            None,
                            group.org.id,
                            supervisor.id,
                            moment,
                        )

    def closures(self) -> _Table:
        """A2: kindergartens closed the END period of last year's diagnostics in June."""
        table = _Table(AssessmentPeriodClosure, _CLOSURE_COLUMNS)
        year = self.current - 1
        for group in self.groups.values():
            if group.year != year or not group.preschool:
                continue
            admin = group.org.admin
            assert admin is not None
            closed = self.working_time(_weekday(dt.date(year + 1, 6, self.rng.randint(2, 10))))
            table.add(self.new_id(), group.id, year, AssessmentPeriod.END.value, admin.id, closed)
        return table

    def entries(self) -> _Table:
        """A few achievements of schoolchildren, mostly verified by the class supervisor."""
        table = _Table(PortfolioEntry, _ENTRY_COLUMNS)
        categories = [c for c in _ENTRY_CATALOGUE if c is not EntryCategory.OTHER]
        for learner in self.learners:
            school_years = [e for e in learner.enrollments if not e.group.preschool]
            if not school_years or not learner.consents:
                continue
            for _ in range(self.rng.choices((0, 1, 2, 3), weights=(45, 30, 17, 8))[0]):
                group = self.rng.choice(school_years).group
                assert group.grade is not None and group.supervisor is not None
                first_day = dt.date(group.year, 9, 15)
                last_day = min(dt.date(group.year + 1, 5, 25), self.today - dt.timedelta(days=22))
                if last_day < first_day:
                    continue
                event = self.day_between(first_day, last_day)
                created = self.working_time(event + dt.timedelta(days=self.rng.randint(1, 20)))
                enrollment = learner.enrollment_on(event)
                if (
                    created >= self.now
                    or not learner.processing_active(created)
                    or enrollment is None
                    or enrollment.group is not group
                ):
                    continue
                category = self.rng.choice(categories)
                options = [o for o in _ENTRY_CATALOGUE[category] if group.grade >= o[3]]
                if not options:
                    continue
                title, level, results, _ = self.rng.choice(options)
                supervisor = group.supervisor
                roll = self.rng.random()
                status, submitted_by = EntryStatus.VERIFIED, supervisor
                verified_by: _Person | None = supervisor
                comment: str | None = None
                if roll < 0.10:
                    status, verified_by = EntryStatus.SUBMITTED, None
                    submitted_by = self.rng.choice(learner.family.guardians)
                elif roll < 0.13:
                    status = EntryStatus.REJECTED
                    submitted_by = self.rng.choice(learner.family.guardians)
                    comment = self.rng.choice(_REJECTION_COMMENTS)
                table.add(
                    self.new_id(),
                    learner.id,
                    category.value,
                    level.value,
                    title,
                    self.rng.choice(_DESCRIPTIONS),
                    self.rng.choice(results),
                    event,
                    status.value,
                    group.org.id,
                    submitted_by.id,
                    verified_by.id if verified_by else None,
                    comment,
                    1,
                    created,
                    created,
                )
        return table


# --------------------------------------------------------------------------- entry point


def _district_rows(
    district_id: uuid.UUID, people: random.Random, ids: random.Random, today: dt.date
) -> tuple[_Person, list[_Table]]:
    """The district, its operator, official and auditor (bench/bench_reports.py acts as the
    official) and their grants."""
    created = _at(dt.date(academic_year_of(today) - 2, 8, 15), 9)
    district = _Table(District, ("id", "name", "created_at"))
    district.add(district_id, REGION_DISTRICT_NAME, created)
    users = _Table(User, ("id", "login", "full_name", "created_at"))
    grants = _Table(RoleGrant, _GRANT_COLUMNS)
    operator: _Person | None = None
    for login, role, female in (
        ("operator", Role.DISTRICT_OPERATOR, True),
        ("official", Role.DISTRICT_OFFICIAL, True),
        ("auditor", Role.AUDITOR, False),
    ):
        last = people.choice(_SURNAMES)
        person = _Person(
            id=uuid.UUID(int=ids.getrandbits(128), version=4),
            last=_female_surname(last) if female else last,
            first=people.choice(_WOMEN_NAMES) if female else people.choice(_MALE_NAMES)[0],
            middle=people.choice(_MALE_NAMES)[2 if female else 1],
            created_at=created,
            login=LOGIN_PREFIX + login,
        )
        operator = operator or person
        users.add(person.id, person.login, person.full_name, created)
        granted_by = None if person is operator else operator.id
        grant_id = uuid.UUID(int=ids.getrandbits(128), version=4)
        grants.add(grant_id, person.id, role.value, district_id, None, granted_by, created)
    assert operator is not None
    return operator, [district, users, grants]


async def load_region(
    *,
    organisations: int = 1000,
    learners: int = 250_000,
    assessments_target: int = 10_000_000,
    seed: int = REGION_SEED,
    progress: Callable[[str], None] | None = None,
    organisations_per_chunk: int = ORGANISATIONS_PER_CHUNK,
) -> RegionSummary:
    """Fill a migrated database with one region-sized district, one transaction per chunk.

    Refuses (RegionAlreadyLoaded) when the district or its logins exist, so a run that failed
    midway is repeated on a fresh database. `progress` gets one line per chunk.
    """
    if organisations < 1 or learners < 1 or assessments_target < 0:
        raise ValueError(
            "organisations and learners must be positive and assessments_target not negative"
        )
    if organisations_per_chunk < 1:
        raise ValueError("organisations_per_chunk must be positive")
    started = time.perf_counter()
    report = progress or (lambda _line: None)
    if await District.filter(name=REGION_DISTRICT_NAME).exists():
        raise RegionAlreadyLoaded(
            f"district {REGION_DISTRICT_NAME!r} already exists: load the region into a fresh"
            " database"
        )
    if await User.filter(login__startswith=LOGIN_PREFIX).exists():
        raise RegionAlreadyLoaded(
            f"logins starting with {LOGIN_PREFIX!r} already exist: load the region into a"
            " fresh database"
        )
    await _check_catalogue()

    today = REGION_TODAY
    ids = random.Random(f"region-ids:{seed}")
    district_id = uuid.UUID(int=ids.getrandbits(128), version=4)
    operator, head = _district_rows(district_id, random.Random(f"region:{seed}"), ids, today)
    dialect = connections.get("default").capabilities.dialect
    counts: dict[str, int] = {}

    async def write(client: Any, table: _Table) -> None:
        await _write(client, dialect, table)
        counts[table.name] = counts.get(table.name, 0) + len(table.rows)
        table.rows.clear()

    async with in_transaction("default") as transaction:
        for table in head:
            await write(transaction, table)

    plan = _plan_organisations(organisations)
    chunks = [
        plan[i : i + organisations_per_chunk] for i in range(0, len(plan), organisations_per_chunk)
    ]
    made_learners = made_assessments = 0
    for number, planned in enumerate(chunks, 1):
        left = len(chunks) - number + 1
        kg_places, school_places = _places(
            max(0.0, (learners - made_learners) / left),
            max(0.0, (assessments_target - made_assessments) / left),
            kindergartens=sum(p.kind is OrganisationKind.PRESCHOOL for p in planned),
            schools=sum(p.kind is OrganisationKind.SCHOOL for p in planned),
        )
        chunk = _Chunk(
            seed=seed,
            number=number,
            district_id=district_id,
            planned=planned,
            kg_places=kg_places,
            school_places=school_places,
            operator=operator,
            today=today,
        )
        chunk.build()
        before = counts.get(Assessment._meta.db_table, 0)
        async with in_transaction("default") as transaction:
            for table in chunk.small_tables():
                await write(transaction, table)
            assessments = _Table(Assessment, _ASSESSMENT_COLUMNS)
            for row in chunk.assessment_rows():
                assessments.rows.append(row)
                if len(assessments.rows) >= _FLUSH_ROWS:
                    await write(transaction, assessments)
            await write(transaction, assessments)
            await write(transaction, chunk.closures())
            await write(transaction, chunk.entries())
        made_learners += len(chunk.learners)
        made_assessments += counts[Assessment._meta.db_table] - before
        elapsed = time.perf_counter() - started
        rows = sum(counts.values())
        report(
            f"chunk {number}/{len(chunks)}: {planned[-1].index:,}/{organisations:,} organisations,"
            f" {made_learners:,} learners, {made_assessments:,} assessments,"
            f" {rows:,} rows in {elapsed:,.0f} s ({rows / elapsed:,.0f} rows/s)"
        )
    seconds = time.perf_counter() - started
    return RegionSummary(
        district_id=district_id,
        counts=counts,
        targets={
            "organisations": organisations,
            "learners": learners,
            "assessments": assessments_target,
        },
        seconds=seconds,
    )
