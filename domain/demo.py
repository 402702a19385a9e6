"""A demo district: invented people and records for trying the portfolio end to end.

The district is generated in memory from one seed (same seed, same rows and ids) and written
with multi-row INSERT statements (COPY on PostgreSQL) in a single transaction: a failed load
leaves nothing behind, so it can simply be run again, and 200k rows take seconds instead of
minutes through the ORM.
Every name is combined from lists of common Russian names; no real person is described.
"""

from __future__ import annotations

import datetime as dt
import random
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from tortoise import connections, fields
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.models import Model
from tortoise.transactions import in_transaction

from domain.academic_year import academic_year_of
from domain.names import name_key, normalise_name_part
from migrations._catalogue import FRAMEWORKS, catalogue_id
from models import (
    Assessment,
    AssessmentPeriodClosure,
    Consent,
    District,
    Enrollment,
    Group,
    GroupStaff,
    Guardianship,
    Indicator,
    Learner,
    Organisation,
    PortfolioEntry,
    RoleGrant,
    User,
)
from models.enums import (
    AssessmentPeriod,
    ConsentPurpose,
    EducationLevel,
    EntryCategory,
    EntryLevel,
    EntryStatus,
    OrganisationKind,
    Role,
)

DEMO_DISTRICT_NAME = "Новооскольский городской округ"
DEMO_SEED = 20261204
DEMO_TODAY = dt.date(2026, 12, 4)
# Logins every demo load creates; a second demo in the same database would collide on them.
DEMO_FIXED_LOGINS = ("operator", "official", "auditor", "parent")

_MSK = dt.timezone(dt.timedelta(hours=3), "MSK")
# Both backends accept well over 30,000 parameters per statement; stay below that.
_MAX_PARAMETERS = 30_000
_MAX_ROWS_PER_STATEMENT = 1_000


class DemoAlreadyLoaded(Exception):
    """The demo district (or another demo's fixed logins) is already in the database."""


@dataclass(frozen=True)
class DemoSummary:
    """What a load wrote: the district, rows per table and the wall-clock time it took."""

    district_id: uuid.UUID
    counts: dict[str, int]
    seconds: float


# --------------------------------------------------------------------------- vocabulary

_SURNAMES = (
    "Иванов",
    "Смирнов",
    "Кузнецов",
    "Попов",
    "Васильев",
    "Петров",
    "Соколов",
    "Михайлов",
    "Новиков",
    "Фёдоров",
    "Морозов",
    "Волков",
    "Алексеев",
    "Лебедев",
    "Семёнов",
    "Егоров",
    "Павлов",
    "Козлов",
    "Степанов",
    "Николаев",
    "Орлов",
    "Андреев",
    "Макаров",
    "Никитин",
    "Захаров",
    "Зайцев",
    "Соловьёв",
    "Борисов",
    "Яковлев",
    "Григорьев",
    "Романов",
    "Воробьёв",
    "Сергеев",
    "Фролов",
    "Белов",
    "Медведев",
    "Тарасов",
    "Беляев",
    "Комаров",
    "Киселёв",
    "Ковалёв",
    "Ильин",
    "Гусев",
    "Титов",
    "Кудрявцев",
    "Баранов",
    "Куликов",
    "Сорокин",
    "Виноградов",
    "Богданов",
    "Осипов",
    "Калинин",
    "Мельников",
    "Щербаков",
    "Поляков",
    "Ершов",
    "Фомин",
    "Дроздов",
    "Трофимов",
    "Мартынов",
    "Жуков",
    "Голубев",
    "Пономарёв",
    "Евдокимов",
    "Анисимов",
    "Кондратьев",
    "Логинов",
    "Гончаров",
    "Рябов",
    "Чернов",
    "Шевцов",
    "Бондарев",
    "Толмачёв",
    "Дорохов",
    "Самойлов",
    "Панкратов",
    "Савельев",
    "Полянский",
    "Каменский",
    "Луговской",
    "Черных",
    "Белых",
    "Седых",
    "Коваленко",
    "Шевченко",
    "Бондаренко",
    "Ткаченко",
    "Литвиненко",
    "Головко",
    "Гребенюк",
)

# Fathers' first names with the patronymics they give to a son and to a daughter.
_MALE_NAMES = (
    ("Александр", "Александрович", "Александровна"),
    ("Алексей", "Алексеевич", "Алексеевна"),
    ("Андрей", "Андреевич", "Андреевна"),
    ("Антон", "Антонович", "Антоновна"),
    ("Артём", "Артёмович", "Артёмовна"),
    ("Вадим", "Вадимович", "Вадимовна"),
    ("Василий", "Васильевич", "Васильевна"),
    ("Виктор", "Викторович", "Викторовна"),
    ("Владимир", "Владимирович", "Владимировна"),
    ("Вячеслав", "Вячеславович", "Вячеславовна"),
    ("Геннадий", "Геннадьевич", "Геннадьевна"),
    ("Денис", "Денисович", "Денисовна"),
    ("Дмитрий", "Дмитриевич", "Дмитриевна"),
    ("Евгений", "Евгеньевич", "Евгеньевна"),
    ("Егор", "Егорович", "Егоровна"),
    ("Иван", "Иванович", "Ивановна"),
    ("Игорь", "Игоревич", "Игоревна"),
    ("Илья", "Ильич", "Ильинична"),
    ("Кирилл", "Кириллович", "Кирилловна"),
    ("Константин", "Константинович", "Константиновна"),
    ("Максим", "Максимович", "Максимовна"),
    ("Михаил", "Михайлович", "Михайловна"),
    ("Никита", "Никитич", "Никитична"),
    ("Николай", "Николаевич", "Николаевна"),
    ("Олег", "Олегович", "Олеговна"),
    ("Павел", "Павлович", "Павловна"),
    ("Роман", "Романович", "Романовна"),
    ("Руслан", "Русланович", "Руслановна"),
    ("Сергей", "Сергеевич", "Сергеевна"),
    ("Станислав", "Станиславович", "Станиславовна"),
    ("Тимофей", "Тимофеевич", "Тимофеевна"),
    ("Юрий", "Юрьевич", "Юрьевна"),
    ("Ярослав", "Ярославович", "Ярославовна"),
)

_WOMEN_NAMES = (
    "Елена",
    "Ольга",
    "Наталья",
    "Татьяна",
    "Ирина",
    "Светлана",
    "Юлия",
    "Анна",
    "Марина",
    "Екатерина",
    "Оксана",
    "Людмила",
    "Галина",
    "Надежда",
    "Валентина",
    "Евгения",
    "Алёна",
    "Кристина",
    "Вера",
    "Любовь",
    "Лариса",
    "Инна",
    "Виктория",
    "Дарья",
    "Мария",
    "Анастасия",
)

_BOYS_NAMES = (
    "Александр",
    "Максим",
    "Михаил",
    "Артём",
    "Матвей",
    "Иван",
    "Дмитрий",
    "Кирилл",
    "Тимофей",
    "Егор",
    "Даниил",
    "Лев",
    "Марк",
    "Фёдор",
    "Никита",
    "Илья",
    "Роман",
    "Андрей",
    "Алексей",
    "Ярослав",
    "Степан",
    "Владимир",
    "Арсений",
    "Глеб",
    "Макар",
    "Сергей",
    "Денис",
    "Павел",
    "Богдан",
    "Савелий",
)

_GIRLS_NAMES = (
    "Анна",
    "Мария",
    "София",
    "Ева",
    "Виктория",
    "Полина",
    "Алиса",
    "Варвара",
    "Александра",
    "Дарья",
    "Елизавета",
    "Анастасия",
    "Ксения",
    "Вероника",
    "Милана",
    "Таисия",
    "Ульяна",
    "Василиса",
    "Екатерина",
    "Арина",
    "Валерия",
    "Кира",
    "Есения",
    "Злата",
    "Маргарита",
    "Ангелина",
    "Софья",
    "Диана",
)

_KINDERGARTENS = (
    (3, "Солнышко"),
    (5, "Теремок"),
    (7, "Колокольчик"),
    (8, "Радуга"),
    (9, "Ромашка"),
    (11, "Сказка"),
    (12, "Берёзка"),
    (14, "Золотой ключик"),
    (15, "Звёздочка"),
    (17, "Ласточка"),
    (18, "Журавушка"),
    (21, "Родничок"),
)

# (full name, short name, parallel classes in grades 1–9, pupils per class)
_SCHOOLS: tuple[tuple[str, str, tuple[str, ...], int], ...] = (
    ("МБОУ СОШ № 1", "СОШ № 1", ("А", "Б"), 24),
    ("МБОУ СОШ № 2", "СОШ № 2", ("А", "Б"), 25),
    ("МБОУ «Гимназия № 3»", "Гимназия № 3", ("А", "Б"), 24),
    ("МБОУ СОШ № 4 с углублённым изучением отдельных предметов", "СОШ № 4", ("А", "Б"), 23),
    ("МБОУ «Лицей № 5»", "Лицей № 5", ("А",), 26),
    ("МБОУ СОШ № 6", "СОШ № 6", ("А",), 22),
    ("МБОУ ООШ № 7", "ООШ № 7", ("А",), 16),
    ("МБОУ СОШ № 8", "СОШ № 8", ("А",), 19),
    ("МБОУ СОШ № 9", "СОШ № 9", ("А",), 17),
)

_ADDITIONAL = ("МБУ ДО «Дом детского творчества»", "ДДТ")

_KG_GROUP_NAMES = (
    "Младшая группа",
    "Средняя группа",
    "Старшая группа",
    "Подготовительная группа",
)
_KG_GROUP_SIZE = (20, 25)

_SPECIAL_NEEDS = (
    "ОВЗ: тяжёлые нарушения речи",
    "ОВЗ: задержка психического развития",
    "ОВЗ: нарушения опорно-двигательного аппарата",
    "ОВЗ: слабовидящий",
    "Ребёнок-инвалид",
)

_SUBJECTS = (
    "математике",
    "русскому языку",
    "литературе",
    "биологии",
    "истории",
    "обществознанию",
    "физике",
    "химии",
    "информатике",
    "английскому языку",
    "географии",
    "экологии",
)

_OLYMPIAD_STAGES = (
    ("Школьный", EntryLevel.ORGANISATION, 4),
    ("Муниципальный", EntryLevel.MUNICIPAL, 7),
    ("Региональный", EntryLevel.REGIONAL, 9),
)

# (title, level, possible results, lowest grade)
_ENTRY_CATALOGUE: dict[EntryCategory, tuple[tuple[str, EntryLevel, tuple[str, ...], int], ...]] = {
    EntryCategory.CONTEST: (
        (
            "Конкурс чтецов «Живое слово»",
            EntryLevel.MUNICIPAL,
            ("участник", "лауреат", "диплом I степени", "диплом II степени"),
            1,
        ),
        (
            "Конкурс рисунков «Мой родной край»",
            EntryLevel.ORGANISATION,
            ("участник", "диплом I степени", "диплом III степени"),
            1,
        ),
        (
            "Региональный конкурс исследовательских работ «Юный исследователь»",
            EntryLevel.REGIONAL,
            ("участник", "лауреат", "диплом II степени"),
            3,
        ),
        (
            "Всероссийский конкурс сочинений «Моя малая родина»",
            EntryLevel.FEDERAL,
            ("участник", "лауреат"),
            5,
        ),
        (
            "Международная игра-конкурс «Языкознайка»",
            EntryLevel.INTERNATIONAL,
            ("участник", "диплом призёра"),
            2,
        ),
    ),
    EntryCategory.SPORT: (
        (
            "Первенство округа по лёгкой атлетике",
            EntryLevel.MUNICIPAL,
            ("1 место", "2 место", "3 место", "участник"),
            3,
        ),
        (
            "Школьные соревнования «Весёлые старты»",
            EntryLevel.ORGANISATION,
            ("1 место", "2 место", "участник"),
            1,
        ),
        (
            "Областной турнир по мини-футболу",
            EntryLevel.REGIONAL,
            ("2 место", "3 место", "участник"),
            5,
        ),
        (
            "Первенство округа по шахматам",
            EntryLevel.MUNICIPAL,
            ("1 место", "3 место", "участник"),
            2,
        ),
        (
            "Открытое первенство округа по плаванию",
            EntryLevel.MUNICIPAL,
            ("2 место", "участник"),
            4,
        ),
    ),
    EntryCategory.PROJECT: (
        (
            "Индивидуальный проект «История моей улицы»",
            EntryLevel.ORGANISATION,
            ("защищён", "защищён с отличием"),
            5,
        ),
        (
            "Индивидуальный проект «Экология родного края»",
            EntryLevel.ORGANISATION,
            ("защищён", "защищён с отличием"),
            5,
        ),
        (
            "Научно-практическая конференция «Первые открытия»",
            EntryLevel.MUNICIPAL,
            ("участник", "призёр", "победитель"),
            3,
        ),
        (
            "Проект «Меловые холмы Белогорья»",
            EntryLevel.REGIONAL,
            ("участник", "диплом лауреата"),
            7,
        ),
    ),
    EntryCategory.CREATIVE: (
        ("Отчётный концерт вокальной студии", EntryLevel.ORGANISATION, ("солист", "участник"), 1),
        (
            "Фестиваль детского творчества «Оскольская весна»",
            EntryLevel.MUNICIPAL,
            ("диплом лауреата", "участник", "грамота"),
            1,
        ),
        (
            "Выставка декоративно-прикладного творчества «Мастерица»",
            EntryLevel.MUNICIPAL,
            ("диплом I степени", "участник"),
            2,
        ),
    ),
    EntryCategory.ADDITIONAL_EDUCATION: (
        (
            "Программа «Робототехника» в Доме детского творчества",
            EntryLevel.MUNICIPAL,
            ("освоил программу", "сертификат об окончании"),
            3,
        ),
        (
            "Программа «Юный эколог» в Доме детского творчества",
            EntryLevel.MUNICIPAL,
            ("освоил программу",),
            2,
        ),
        (
            "Программа «Театральная студия» в Доме детского творчества",
            EntryLevel.MUNICIPAL,
            ("освоил программу", "сертификат об окончании"),
            1,
        ),
    ),
    EntryCategory.VOLUNTEERING: (
        (
            "Экологическая акция «Чистый берег»",
            EntryLevel.MUNICIPAL,
            ("благодарственное письмо", "участник"),
            5,
        ),
        ("Акция «Подари книгу»", EntryLevel.ORGANISATION, ("благодарность",), 1),
        (
            "Волонтёрский отряд «Доброе сердце»: помощь пожилым людям",
            EntryLevel.MUNICIPAL,
            ("благодарственное письмо",),
            7,
        ),
    ),
    EntryCategory.CERTIFICATE: (
        (
            "Сертификат онлайн-курса «Основы финансовой грамотности»",
            EntryLevel.FEDERAL,
            ("сертификат",),
            6,
        ),
        ("Сертификат курса «Первая помощь»", EntryLevel.REGIONAL, ("сертификат",), 8),
        ("Сертификат курса «Основы программирования»", EntryLevel.FEDERAL, ("сертификат",), 5),
    ),
    EntryCategory.OTHER: (
        ("Член совета обучающихся", EntryLevel.ORGANISATION, ("избран",), 7),
        ("Староста класса", EntryLevel.ORGANISATION, ("избран",), 3),
    ),
}

_GTO_RESULTS = ("золотой знак отличия", "серебряный знак отличия", "бронзовый знак отличия")
_REJECTION_COMMENTS = (
    "Не приложен подтверждающий документ",
    "Дата мероприятия не совпадает с грамотой",
    "Запись дублирует уже подтверждённое достижение",
)
_DESCRIPTIONS = (
    None,
    None,
    None,
    "Грамота хранится у классного руководителя",
    "Работа представлена на школьной выставке",
    "Подготовка под руководством учителя",
)


def _female_surname(male: str) -> str:
    """Russian surnames in -ов/-ин/-ский agree with gender; -ых, -енко and the like do not."""
    if male.endswith(("ский", "цкий", "ской")):
        return male[:-2] + "ая"
    if male.endswith(("ов", "ев", "ёв", "ин", "ын")):
        return male + "а"
    return male


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """A Moscow working-hours moment stored in UTC, like every timestamp the API writes."""
    return dt.datetime.combine(day, dt.time(hour, minute), _MSK).astimezone(dt.UTC)


def _last_friday_of_may(year: int) -> dt.date:
    day = dt.date(year, 5, 31)
    return day - dt.timedelta(days=(day.weekday() - 4) % 7)


def _weekday(day: dt.date) -> dt.date:
    """Move a weekend day back to Friday: diagnostics happen on working days."""
    return day - dt.timedelta(days=max(0, day.weekday() - 4))


# --------------------------------------------------------------------------- in-memory model


@dataclass(eq=False)
class _Person:
    id: uuid.UUID
    last: str
    first: str
    middle: str
    created_at: dt.datetime
    login: str = ""

    @property
    def full_name(self) -> str:
        return f"{self.last} {self.first} {self.middle}"


@dataclass(eq=False)
class _Family:
    surname: str
    father: tuple[str, str, str]
    guardians: list[_Person] = field(default_factory=list)
    children: list[_Learner] = field(default_factory=list)


@dataclass(eq=False)
class _Org:
    id: uuid.UUID
    index: int
    kind: OrganisationKind
    name: str
    short_name: str
    letters: tuple[str, ...] = ()
    class_size: int = 0
    admin: _Person | None = None
    teachers: list[_Person] = field(default_factory=list)
    psychologist: _Person | None = None


@dataclass(eq=False)
class _Group:
    id: uuid.UUID
    org: _Org
    year: int
    stage: int
    letter: str
    name: str
    level: EducationLevel
    grade: int | None
    created_at: dt.datetime
    members: list[_Learner] = field(default_factory=list)
    supervisor: _Person | None = None
    assistants: list[_Person] = field(default_factory=list)

    @property
    def preschool(self) -> bool:
        return self.org.kind is OrganisationKind.PRESCHOOL


@dataclass(eq=False)
class _Enrollment:
    id: uuid.UUID
    learner: _Learner
    group: _Group
    start: dt.date
    end: dt.date | None = None


@dataclass(eq=False)
class _Consent:
    id: uuid.UUID
    purpose: ConsentPurpose
    given_by: _Person
    recorded_by: _Person
    given_at: dt.datetime
    document_ref: str | None = None
    withdrawn_at: dt.datetime | None = None


@dataclass(eq=False)
class _Learner:
    id: uuid.UUID
    family: _Family
    female: bool
    first: str
    birth: dt.date
    health: int
    special: str | None
    created_at: dt.datetime
    ability: float
    enrollments: list[_Enrollment] = field(default_factory=list)
    consents: list[_Consent] = field(default_factory=list)
    psychological: bool = False
    account: _Person | None = None

    @property
    def last(self) -> str:
        return _female_surname(self.family.surname) if self.female else self.family.surname

    @property
    def middle(self) -> str:
        return self.family.father[2] if self.female else self.family.father[1]

    @property
    def full_name(self) -> str:
        return f"{self.last} {self.first} {self.middle}"

    def processing_active(self, moment: dt.datetime) -> bool:
        """C1: content may be recorded only while a PROCESSING consent is in force."""
        return any(
            c.purpose is ConsentPurpose.PROCESSING
            and c.given_at <= moment
            and (c.withdrawn_at is None or moment < c.withdrawn_at)
            for c in self.consents
        )

    def enrollment_on(self, day: dt.date) -> _Enrollment | None:
        for enrollment in self.enrollments:
            if enrollment.start <= day and (enrollment.end is None or day <= enrollment.end):
                return enrollment
        return None


@dataclass(frozen=True)
class _CatalogueIndicator:
    id: uuid.UUID
    area_id: uuid.UUID
    area_position: int


@dataclass(frozen=True)
class _CatalogueFramework:
    id: uuid.UUID
    indicators: tuple[_CatalogueIndicator, ...]


def _catalogue() -> dict[str, _CatalogueFramework]:
    """The catalogue ids exactly as the migration derives them."""
    result: dict[str, _CatalogueFramework] = {}
    for framework in FRAMEWORKS:
        code = str(framework["code"])
        indicators: list[_CatalogueIndicator] = []
        for area_position, (area_code, _name, names) in enumerate(framework["areas"], 1):
            area_id = catalogue_id(code, area_code)
            for position in range(1, len(names) + 1):
                indicator_id = catalogue_id(code, area_code, f"{area_code}_{position}")
                indicators.append(_CatalogueIndicator(indicator_id, area_id, area_position))
        result[code] = _CatalogueFramework(catalogue_id(code), tuple(indicators))
    return result


# --------------------------------------------------------------------------- tables


class _Table:
    """Rows for one model, checked against the model so a schema change fails loudly."""

    def __init__(self, model: type[Model], columns: Sequence[str]) -> None:
        meta = model._meta
        self.name: str = meta.db_table
        self.columns = tuple(columns)
        projection = meta.fields_db_projection
        known = set(projection.values())
        unknown = [c for c in self.columns if c not in known]
        required = {column for name, column in projection.items() if not meta.fields_map[name].null}
        missing = sorted(required - set(self.columns))
        if unknown or missing:
            raise RuntimeError(
                f"demo rows for {self.name} do not match the model:"
                f" unknown {unknown}, missing {missing}"
            )
        by_column = {column: meta.fields_map[name] for name, column in projection.items()}
        self.fields = tuple(by_column[c] for c in self.columns)
        self.rows: list[tuple[Any, ...]] = []

    def add(self, *values: Any) -> None:
        self.rows.append(values)


def _sqlite_converter(model_field: Any) -> Callable[[Any], Any] | None:
    """SQLite stores uuids, dates and times as text in the formats tortoise writes."""
    if isinstance(model_field, fields.UUIDField):
        return str
    if isinstance(model_field, fields.DatetimeField):
        return lambda value: value.isoformat(" ")
    if isinstance(model_field, fields.DateField):
        return dt.date.isoformat
    if isinstance(model_field, fields.BooleanField):
        return int
    return None


async def _write(client: BaseDBAsyncClient, dialect: str, table: _Table) -> None:
    """Insert the table's rows: COPY on asyncpg, multi-row INSERT statements elsewhere.

    COPY is about twice as fast as INSERT for the 175k assessment rows on PostgreSQL.
    """
    if not table.rows:
        return
    if dialect == "postgres":
        async with client.acquire_connection() as raw:
            copy = getattr(raw, "copy_records_to_table", None)
            if copy is not None:
                await copy(table.name, records=table.rows, columns=list(table.columns))
                return
    width = len(table.columns)
    per_statement = max(1, min(_MAX_ROWS_PER_STATEMENT, _MAX_PARAMETERS // width))
    columns = ", ".join(f'"{c}"' for c in table.columns)
    head = f'INSERT INTO "{table.name}" ({columns}) VALUES '
    converters: list[Callable[[Any], Any] | None] = (
        [_sqlite_converter(f) for f in table.fields] if dialect == "sqlite" else [None] * width
    )
    statements: dict[int, str] = {}
    for offset in range(0, len(table.rows), per_statement):
        chunk = table.rows[offset : offset + per_statement]
        sql = statements.get(len(chunk))
        if sql is None:
            sql = head + _values_clause(dialect, len(chunk), width)
            statements[len(chunk)] = sql
        params: list[Any] = []
        for row in chunk:
            params.extend(
                value if convert is None or value is None else convert(value)
                for value, convert in zip(row, converters, strict=True)
            )
        await client.execute_query(sql, params)


def _values_clause(dialect: str, rows: int, width: int) -> str:
    if dialect == "sqlite":
        one = "(" + ", ".join("?" * width) + ")"
        return ", ".join([one] * rows)
    groups = []
    for row in range(rows):
        base = row * width
        groups.append("(" + ", ".join(f"${base + i + 1}" for i in range(width)) + ")")
    return ", ".join(groups)


# --------------------------------------------------------------------------- shared rows
# The region generator (domain/region.py) builds the same in-memory objects per chunk, so the
# objects become rows here once: a column added to a model is added for both generators.

_GRANT_COLUMNS = (
    "id",
    "user_id",
    "role",
    "district_id",
    "organisation_id",
    "granted_by_id",
    "granted_at",
)
_ASSESSMENT_COLUMNS = (
    "id",
    "learner_id",
    "indicator_id",
    "area_id",
    "framework_id",
    "academic_year",
    "period",
    "level",
    "comment",
    "organisation_id",
    "assessed_by_id",
    "assessed_at",
)
_CLOSURE_COLUMNS = ("id", "group_id", "academic_year", "period", "closed_by_id", "closed_at")
_ENTRY_COLUMNS = (
    "id",
    "learner_id",
    "category",
    "level",
    "title",
    "description",
    "result",
    "event_date",
    "status",
    "organisation_id",
    "submitted_by_id",
    "verified_by_id",
    "verification_comment",
    "version",
    "created_at",
    "updated_at",
)


def _user_rows(people: Iterable[_Person]) -> _Table:
    users = _Table(User, ("id", "login", "full_name", "created_at"))
    for person in people:
        users.add(person.id, person.login, person.full_name.strip(), person.created_at)
    return users


def _organisation_rows(
    district_id: uuid.UUID, orgs: Iterable[_Org], created_at: Callable[[_Org], dt.datetime]
) -> _Table:
    """`created_at` differs: the demo spreads its few organisations over minutes."""
    organisations = _Table(
        Organisation, ("id", "district_id", "name", "short_name", "kind", "created_at")
    )
    for org in orgs:
        organisations.add(
            org.id, district_id, org.name, org.short_name, org.kind.value, created_at(org)
        )
    return organisations


def _add_organisation_grants(
    grants: _Table, orgs: Iterable[_Org], operator: _Person, new_id: Callable[[], uuid.UUID]
) -> None:
    """The operator appoints each organisation's admin, who appoints its staff."""
    for org in orgs:
        admin = org.admin
        assert admin is not None
        grants.add(
            new_id(), admin.id, Role.ORG_ADMIN.value, None, org.id, operator.id, admin.created_at
        )
        staff = [(t, Role.EDUCATOR) for t in org.teachers]
        if org.psychologist:
            staff.append((org.psychologist, Role.PSYCHOLOGIST))
        for person, role in staff:
            grants.add(new_id(), person.id, role.value, None, org.id, admin.id, person.created_at)


def _group_rows(groups: Iterable[_Group], new_id: Callable[[], uuid.UUID]) -> tuple[_Table, _Table]:
    """Groups and their staff (the supervisor first, then assistants)."""
    table = _Table(
        Group,
        ("id", "organisation_id", "name", "academic_year", "level", "grade", "created_at"),
    )
    group_staff = _Table(GroupStaff, ("id", "group_id", "user_id", "supervisor", "assigned_at"))
    for group in groups:
        table.add(
            group.id,
            group.org.id,
            group.name,
            group.year,
            group.level.value,
            group.grade,
            group.created_at,
        )
        assert group.supervisor is not None
        group_staff.add(new_id(), group.id, group.supervisor.id, True, group.created_at)
        for assistant in group.assistants:
            group_staff.add(new_id(), group.id, assistant.id, False, group.created_at)
    return table, group_staff


def _learner_rows(
    district_id: uuid.UUID,
    learners: Sequence[_Learner],
    new_id: Callable[[], uuid.UUID],
    extra_enrollments: Sequence[_Enrollment] = (),
) -> list[_Table]:
    """Learners, guardianships, enrollments and consents, in foreign-key order.

    `extra_enrollments` are enrollments kept outside `learner.enrollments` (the region's
    additional education), written after them.
    """
    table = _Table(
        Learner,
        (
            "id",
            "district_id",
            "created_by_organisation_id",
            "last_name",
            "first_name",
            "middle_name",
            "birth_date",
            "health_group",
            "special_needs",
            "name_key",
            "last_name_key",
            "account_id",
            "created_at",
        ),
    )
    guardianships = _Table(Guardianship, ("id", "learner_id", "user_id", "created_at"))
    enrollments = _Table(
        Enrollment,
        (
            "id",
            "learner_id",
            "group_id",
            "organisation_id",
            "academic_year",
            "start_date",
            "end_date",
            "created_at",
        ),
    )
    consents = _Table(
        Consent,
        (
            "id",
            "learner_id",
            "purpose",
            "given_by_id",
            "recorded_by_id",
            "document_ref",
            "given_at",
            "withdrawn_at",
            "withdrawn_by_id",
        ),
    )
    for learner in learners:
        last, first, middle = learner.last, learner.first, learner.middle
        table.add(
            learner.id,
            district_id,
            learner.enrollments[0].group.org.id,
            last,
            first,
            middle,
            learner.birth,
            learner.health,
            learner.special,
            name_key(last, first, middle),
            normalise_name_part(last),
            learner.account.id if learner.account else None,
            learner.created_at,
        )
        for guardian in learner.family.guardians:
            guardianships.add(new_id(), learner.id, guardian.id, learner.created_at)
        for c in learner.consents:
            consents.add(
                c.id,
                learner.id,
                c.purpose.value,
                c.given_by.id,
                c.recorded_by.id,
                c.document_ref,
                c.given_at,
                c.withdrawn_at,
                c.given_by.id if c.withdrawn_at else None,
            )
    for e in [x for learner in learners for x in learner.enrollments] + list(extra_enrollments):
        enrollments.add(
            e.id,
            e.learner.id,
            e.group.id,
            e.group.org.id,
            e.group.year,
            e.start,
            e.end,
            _at(e.start, 8),
        )
    return [table, guardianships, enrollments, consents]


# --------------------------------------------------------------------------- the builder


class _Generator:
    """Draws ids, dates and people the same way for the demo and for each region chunk.

    Content comes from `rng` and ids from their own stream `_ids`, so a change in what is
    generated does not shift every id after it.
    """

    # Prepended to staff logins (the region keeps its logins apart from the demo's).
    login_prefix = ""
    rng: random.Random
    _ids: random.Random
    setup_day: dt.date
    users: list[_Person]

    def new_id(self) -> uuid.UUID:
        return uuid.UUID(int=self._ids.getrandbits(128), version=4)

    def day_between(self, first: dt.date, last: dt.date) -> dt.date:
        return first + dt.timedelta(days=self.rng.randint(0, (last - first).days))

    def working_time(self, day: dt.date) -> dt.datetime:
        return _at(day, self.rng.randint(9, 16), self.rng.randrange(0, 60))

    def adult(self, *, female: bool, surname: str | None = None) -> _Person:
        last = surname or self.rng.choice(_SURNAMES)
        return _Person(
            id=self.new_id(),
            last=_female_surname(last) if female else last,
            first=self.rng.choice(_WOMEN_NAMES) if female else self.rng.choice(_MALE_NAMES)[0],
            middle=self.rng.choice(_MALE_NAMES)[2 if female else 1],
            created_at=_at(self.setup_day, 10),
        )

    def staff(self, login: str, *, female: bool) -> _Person:
        person = self.adult(female=female)
        person.login = self.login_prefix + login
        person.created_at = self.working_time(self.setup_day)
        self.users.append(person)
        return person

    def moment(self, year: int, period: AssessmentPeriod) -> dt.datetime:
        if period is AssessmentPeriod.START:
            day = self.day_between(dt.date(year, 9, 8), dt.date(year, 10, 20))
        else:
            day = self.day_between(dt.date(year + 1, 4, 10), dt.date(year + 1, 5, 22))
        return self.working_time(_weekday(day))


class _DemoBuilder(_Generator):
    """Generates the whole district in memory; `tables()` turns it into rows."""

    def __init__(self, *, district_name: str, seed: int, today: dt.date) -> None:
        self.rng = random.Random(seed)
        self._ids = random.Random(f"demo-ids:{seed}")
        self.district_name = district_name
        self.today = today
        # Nothing is dated after the morning of "today".
        self.now = _at(today, 8)
        self.current = academic_year_of(today)
        self.years = (self.current - 2, self.current - 1, self.current)
        self.setup_day = dt.date(self.years[0], 8, 15)
        self.catalogue = _catalogue()
        self.district_id = self.new_id()
        self.users: list[_Person] = []
        self.orgs: list[_Org] = []
        self.groups: dict[tuple[int, int, int, str], _Group] = {}
        self.learners: list[_Learner] = []
        self.families: list[_Family] = []
        self.enrollments: list[_Enrollment] = []
        self.showcase: _Learner | None = None
        self.district_staff: list[tuple[_Person, Role]] = []

    # ---- organisations and staff

    def build_organisations(self) -> None:
        operator = self.staff("operator", female=True)
        operator.last, operator.first, operator.middle = "Оператор", "округа", ""
        self.district_staff = [
            (operator, Role.DISTRICT_OPERATOR),
            (self.staff("official", female=True), Role.DISTRICT_OFFICIAL),
            (self.staff("auditor", female=False), Role.AUDITOR),
        ]
        entries: list[tuple[OrganisationKind, str, str, tuple[str, ...], int]] = []
        for number, title in _KINDERGARTENS:
            entries.append(
                (
                    OrganisationKind.PRESCHOOL,
                    f"МБДОУ детский сад № {number} «{title}»",
                    f"Д/с № {number} «{title}»",
                    ("",),
                    self.rng.randint(*_KG_GROUP_SIZE),
                )
            )
        for name, short, letters, size in _SCHOOLS:
            entries.append((OrganisationKind.SCHOOL, name, short, letters, size))
        entries.append((OrganisationKind.ADDITIONAL_EDUCATION, *_ADDITIONAL, (), 0))
        for index, (kind, name, short, letters, size) in enumerate(entries, 1):
            org = _Org(self.new_id(), index, kind, name, short, letters, size)
            org.admin = self.staff(f"admin{index}", female=self.rng.random() < 0.8)
            if kind is OrganisationKind.PRESCHOOL:
                org.psychologist = self.staff(f"psy{index}", female=True)
            self.orgs.append(org)

    def kindergartens(self) -> list[_Org]:
        return [o for o in self.orgs if o.kind is OrganisationKind.PRESCHOOL]

    def schools(self) -> list[_Org]:
        return [o for o in self.orgs if o.kind is OrganisationKind.SCHOOL]

    def group(self, org: _Org, year: int, stage: int, letter: str) -> _Group:
        if org.kind is OrganisationKind.PRESCHOOL:
            name, level, grade = _KG_GROUP_NAMES[stage], EducationLevel.PRESCHOOL, None
        else:
            name, grade = f"{stage}{letter}", stage
            level = (
                EducationLevel.PRIMARY
                if stage <= 4
                else EducationLevel.BASIC
                if stage <= 9
                else EducationLevel.SECONDARY
            )
        created = self.working_time(dt.date(year, 8, self.rng.randint(20, 28)))
        group = _Group(self.new_id(), org, year, stage, letter, name, level, grade, created)
        self.groups[(year, org.index, stage, letter)] = group
        return group

    # ---- learners

    def new_learner(self, org: _Org, year: int, stage: int) -> _Learner:
        """A child joining `org` on 1 Sep of `year`, of the age that fits the group."""
        offset = stage + 4 if org.kind is OrganisationKind.PRESCHOOL else stage + 7
        birth = self.day_between(dt.date(year - offset, 9, 1), dt.date(year - offset + 1, 8, 31))
        family = self.family_for(birth)
        female = self.rng.random() < 0.49
        health = self.rng.choices((1, 2, 3), weights=(55, 39, 6))[0]
        special = self.rng.choice(_SPECIAL_NEEDS) if self.rng.random() < 0.03 else None
        learner = _Learner(
            id=self.new_id(),
            family=family,
            female=female,
            first=self.rng.choice(_GIRLS_NAMES if female else _BOYS_NAMES),
            birth=birth,
            health=health,
            special=special,
            created_at=self.working_time(dt.date(year, 8, self.rng.randint(15, 31))),
            ability=self.rng.gauss(0.0, 0.45),
            psychological=(org.kind is OrganisationKind.PRESCHOOL and self.rng.random() < 0.15),
        )
        family.children.append(learner)
        self.learners.append(learner)
        return learner

    def family_for(self, birth: dt.date) -> _Family:
        """Mostly a new family; sometimes a younger or older sibling of an earlier child."""
        if self.families and self.rng.random() < 0.08:
            candidate = self.rng.choice(self.families[-400:])
            if len(candidate.children) < 4 and all(
                abs((c.birth - birth).days) > 330 for c in candidate.children
            ):
                return candidate
        surname = self.rng.choice(_SURNAMES)
        family = _Family(surname=surname, father=self.rng.choice(_MALE_NAMES))
        roll = self.rng.random()
        if roll < 0.85:
            family.guardians.append(self.adult(female=True, surname=surname))
        if roll >= 0.85 or self.rng.random() < 0.45:
            father = self.adult(female=False, surname=surname)
            father.first = family.father[0]
            family.guardians.append(father)
        self.families.append(family)
        return family

    def enrol(self, learner: _Learner, group: _Group) -> None:
        enrollment = _Enrollment(self.new_id(), learner, group, dt.date(group.year, 9, 1))
        learner.enrollments.append(enrollment)
        group.members.append(learner)
        self.enrollments.append(enrollment)

    def build_cohorts(self) -> None:
        """Three academic years: children move up a group or grade each September."""
        for year in self.years:
            self.kindergarten_year(year)
            self.school_year(year)
        for enrollment in self.enrollments:
            year = enrollment.group.year
            if year == self.current:
                continue
            leaves_kindergarten = enrollment.group.preschool and enrollment.group.stage == 3
            enrollment.end = (
                _last_friday_of_may(year + 1) if leaves_kindergarten else dt.date(year + 1, 8, 31)
            )

    def kindergarten_year(self, year: int) -> None:
        for org in self.kindergartens():
            for stage in range(4):
                group = self.group(org, year, stage, "")
                previous = self.groups.get((year - 1, org.index, stage - 1, ""))
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
        schools = self.schools()
        movers: dict[int, list[_Learner]] = {s.index: [] for s in schools}
        slots = [s for s in schools for _ in s.letters]
        for kindergarten in self.kindergartens():
            leaving = self.groups.get((year - 1, kindergarten.index, 3, ""))
            for child in leaving.members if leaving else []:
                if self.rng.random() < 0.05:
                    continue  # moved away from the district
                movers[self.rng.choice(slots).index].append(child)
        for school in schools:
            for grade in range(1, 12):
                letters = school.letters if grade <= 9 else school.letters[:1]
                for letter in letters:
                    self.school_class(school, year, grade, letter, movers[school.index])

    def school_class(
        self, school: _Org, year: int, grade: int, letter: str, movers: list[_Learner]
    ) -> None:
        group = self.group(school, year, grade, letter)
        first_year = year == self.years[0]
        senior_size = round(school.class_size * len(school.letters) * 0.55)
        pupils: list[_Learner] = []
        if first_year:
            size = (senior_size if grade >= 10 else school.class_size) + self.rng.randint(-3, 3)
            pupils = [self.new_learner(school, year, grade) for _ in range(size)]
        elif grade == 1:
            share = len(school.letters)
            index = school.letters.index(letter)
            pupils = movers[index::share]
            if self.rng.random() < 0.4:
                pupils.append(self.new_learner(school, year, grade))
        elif grade == 10:
            for previous_letter in school.letters:
                previous = self.groups.get((year - 1, school.index, 9, previous_letter))
                if previous:
                    pupils += [p for p in previous.members if self.rng.random() < 0.55]
        else:
            previous = self.groups.get((year - 1, school.index, grade - 1, letter))
            if previous:
                pupils = [p for p in previous.members if self.rng.random() > 0.02]
            if self.rng.random() < 0.25:
                pupils.append(self.new_learner(school, year, grade))
        for pupil in pupils:
            self.enrol(pupil, group)

    # ---- staff assignments

    def build_staff(self) -> None:
        """One supervisor per group; an educator supervises 1–2 groups of the current year."""
        for org in self.orgs:
            current = [g for g in self.groups.values() if g.org is org and g.year == self.current]
            if not current:
                continue
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
                if self.rng.random() < 0.5:
                    group = self.rng.choice(current)
                    if group.supervisor is not teacher and teacher not in group.assistants:
                        group.assistants.append(teacher)
            # Past groups: the educator who has the class now usually had it before.
            for year in (self.current - 1, self.current - 2):
                load = {id(t): 0 for t in org.teachers}
                past = [g for g in self.groups.values() if g.org is org and g.year == year]
                orphans = []
                for group in past:
                    key = (year + 1, org.index, group.stage + 1, group.letter)
                    successor = self.groups.get(key)
                    if successor and successor.supervisor:
                        group.supervisor = successor.supervisor
                        group.assistants = list(successor.assistants)
                        load[id(successor.supervisor)] += 1
                    else:
                        orphans.append(group)
                for group in orphans:
                    teacher = min(org.teachers, key=lambda t: load[id(t)])
                    group.supervisor = teacher
                    load[id(teacher)] += 1

    # ---- people around the learner

    def choose_showcase(self) -> None:
        """The guardian `parent` gets a child who moved from kindergarten to 1st grade."""
        first_kindergarten = self.kindergartens()[0]
        for learner in self.learners:
            groups = [e.group for e in learner.enrollments]
            if (
                len(learner.family.children) == 1
                and len(groups) == 3
                and groups[0].org is first_kindergarten
                and groups[0].stage == 2
                and groups[2].org.kind is OrganisationKind.SCHOOL
                and groups[2].grade == 1
                and groups[2].year == self.current
                and learner.special is None
            ):
                self.showcase = learner
                learner.psychological = True
                self.learners.remove(learner)
                self.learners.insert(0, learner)
                first_day = dt.date(self.years[0], 8, 15)
                learner.created_at = min(_at(first_day, 9), *(x.created_at for x in self.learners))
                return
        raise RuntimeError("demo generation found no kindergarten-to-school mover")

    def build_accounts(self) -> None:
        """Guardian and learner logins, numbered in learner order (`parent` comes first)."""
        number = 0
        for learner in self.learners:
            for guardian in learner.family.guardians:
                if guardian.login:
                    continue
                if learner is self.showcase and not any(
                    g.login == "parent" for g in learner.family.guardians
                ):
                    guardian.login = "parent"
                else:
                    number += 1
                    guardian.login = f"guardian{number}"
                guardian.created_at = learner.created_at
                self.users.append(guardian)
        teen = 0
        for learner in self.learners:
            last = learner.enrollments[-1].group
            if (
                last.year == self.current
                and last.grade is not None
                and last.grade >= 9
                and self.age(learner.birth) >= 14
                and self.rng.random() < 0.10
            ):
                teen += 1
                created = self.working_time(
                    self.day_between(dt.date(self.current, 9, 10), dt.date(self.current, 11, 20))
                )
                account = _Person(
                    self.new_id(),
                    learner.last,
                    learner.first,
                    learner.middle,
                    min(created, self.now - dt.timedelta(days=1)),
                    login=f"learner{teen}",
                )
                learner.account = account
                self.users.append(account)

    def age(self, birth: dt.date) -> int:
        today = self.today
        return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))

    def build_consents(self) -> None:
        """~92% active PROCESSING, ~2% withdrawn lately, the rest none; TRANSFER for movers."""
        paper_numbers: dict[tuple[int, int], int] = {}
        for learner in self.learners:
            guardians = learner.family.guardians
            first = learner.enrollments[0]
            showcase = learner is self.showcase
            roll = self.rng.random()
            if roll < 0.06 and not showcase:
                continue
            given_by = guardians[0] if showcase else self.rng.choice(guardians)
            given_at = self.working_time(first.start)
            admin = first.group.org.admin
            assert admin is not None
            consent = _Consent(
                self.new_id(), ConsentPurpose.PROCESSING, given_by, given_by, given_at
            )
            if not showcase and self.rng.random() < 0.15:
                key = (first.group.org.index, given_at.year)
                paper_numbers[key] = paper_numbers.get(key, 0) + self.rng.randint(1, 4)
                consent.recorded_by = admin
                consent.document_ref = f"ПД-{given_at.year}/{paper_numbers[key]:03d}"
            if roll < 0.08 and not showcase:
                day = self.today - dt.timedelta(days=self.rng.randint(5, 29))
                consent.withdrawn_at = max(self.working_time(day), given_at)
            learner.consents.append(consent)
            move = self.move_year(learner)
            if move is not None and (showcase or self.rng.random() < 0.7):
                spring = self.day_between(dt.date(move, 3, 1), dt.date(move, 5, 20))
                giver = guardians[0] if showcase else self.rng.choice(guardians)
                learner.consents.append(
                    _Consent(
                        self.new_id(),
                        ConsentPurpose.TRANSFER,
                        giver,
                        giver,
                        max(self.working_time(spring), given_at),
                    )
                )

    @staticmethod
    def move_year(learner: _Learner) -> int | None:
        """The calendar year a learner went from kindergarten to school, if they did."""
        for before, after in zip(learner.enrollments, learner.enrollments[1:], strict=False):
            if before.group.preschool and not after.group.preschool:
                return after.group.year
        return None

    # ---- content

    def level(self, value: float) -> int:
        score = value + self.rng.gauss(0.0, 0.55)
        return 1 if score < 0.5 else 3 if score > 1.6 else 2

    def build_assessments(self, table: _Table) -> None:
        """Diagnostics per enrollment, only while the learner's PROCESSING consent is active."""
        frameworks = self.catalogue
        periods = (AssessmentPeriod.START, AssessmentPeriod.END)
        for learner in self.learners:
            if not learner.consents:
                continue
            area_bias = [self.rng.gauss(0.0, 0.25) for _ in range(6)]
            for enrollment in learner.enrollments:
                group = enrollment.group
                org = group.org
                supervisor = group.supervisor
                assert supervisor is not None
                for period in periods:
                    half = 0.5 if period is AssessmentPeriod.END else 0.0
                    batches: list[tuple[str, _Person, float]] = []
                    if group.preschool:
                        batches.append(("FGOS_DO", supervisor, group.stage + half))
                        if group.stage == 3 and period is AssessmentPeriod.END:
                            batches.append(("SCHOOL_READINESS", supervisor, 3.5))
                        if learner.psychological and period is AssessmentPeriod.START:
                            assert org.psychologist is not None
                            batches.append(("PSYCHOLOGICAL", org.psychologist, 2.0))
                    elif group.grade is not None and group.grade <= 4:
                        batches.append(("PRIMARY_META", supervisor, group.grade - 1 + half))
                    for code, author, progress in batches:
                        moment = self.moment(group.year, period)
                        if moment >= self.now or not learner.processing_active(moment):
                            continue
                        if enrollment.end is not None and moment.date() > enrollment.end:
                            continue
                        framework = frameworks[code]
                        base = 0.6 + learner.ability + 0.4 * progress
                        for indicator in framework.indicators:
                            table.add(
                                self.new_id(),
                                learner.id,
                                indicator.id,
                                indicator.area_id,
                                framework.id,
                                group.year,
                                period.value,
                                self.level(base + area_bias[indicator.area_position]),
                                None,
                                org.id,
                                author.id,
                                moment,
                            )

    def build_closures(self, table: _Table) -> None:
        """A2: kindergartens closed the END period of last year's diagnostics in June."""
        year = self.current - 1
        for group in self.groups.values():
            if group.year != year or not group.preschool:
                continue
            admin = group.org.admin
            assert admin is not None
            closed = self.working_time(_weekday(dt.date(year + 1, 6, self.rng.randint(2, 10))))
            table.add(self.new_id(), group.id, year, AssessmentPeriod.END.value, admin.id, closed)

    def entry_content(
        self, grade: int, age: int
    ) -> tuple[EntryCategory, EntryLevel, str, str | None]:
        weights = {
            EntryCategory.OLYMPIAD: 0 if grade < 4 else 4,
            EntryCategory.CONTEST: 4,
            EntryCategory.SPORT: 3,
            EntryCategory.GTO: 2,
            EntryCategory.PROJECT: 1 if grade < 5 else 3,
            EntryCategory.CREATIVE: 3,
            EntryCategory.ADDITIONAL_EDUCATION: 2,
            EntryCategory.VOLUNTEERING: 0 if grade < 5 else 2,
            EntryCategory.CERTIFICATE: 0 if grade < 6 else 1,
            EntryCategory.OTHER: 1,
        }
        while True:
            category = self.rng.choices(list(weights), weights=list(weights.values()))[0]
            if category is EntryCategory.OLYMPIAD:
                stages = [s for s in _OLYMPIAD_STAGES if grade >= s[2]]
                stage, level, _ = self.rng.choices(stages, weights=(6, 3, 1)[: len(stages)])[0]
                subject = self.rng.choice(_SUBJECTS)
                title = f"{stage} этап Всероссийской олимпиады школьников по {subject}"
                result = self.rng.choices(("участник", "призёр", "победитель"), (6, 3, 1))[0]
                return category, level, title, result
            if category is EntryCategory.GTO:
                step = 1 if age < 9 else 2 if age < 11 else 3 if age < 13 else 4 if age < 16 else 5
                title = f"Выполнение нормативов комплекса ГТО, {step} ступень"
                return category, EntryLevel.MUNICIPAL, title, self.rng.choice(_GTO_RESULTS)
            options = [o for o in _ENTRY_CATALOGUE[category] if grade >= o[3]]
            if options:
                title, level, results, _ = self.rng.choice(options)
                return category, level, title, self.rng.choice(results)

    def build_entries(self, table: _Table) -> None:
        """About two achievements per school learner, verified by the class supervisor."""
        for learner in self.learners:
            school_years = [e for e in learner.enrollments if not e.group.preschool]
            if not school_years or not learner.consents:
                continue
            count = self.rng.choices((0, 1, 2, 3, 4, 5), weights=(12, 24, 28, 20, 10, 6))[0]
            for _ in range(count):
                group = self.rng.choice(school_years).group
                first_day = dt.date(group.year, 9, 15)
                last_day = min(dt.date(group.year + 1, 5, 25), self.today - dt.timedelta(days=22))
                if last_day < first_day:
                    continue
                event = self.day_between(first_day, last_day)
                created = self.working_time(event + dt.timedelta(days=self.rng.randint(1, 20)))
                if created >= self.now or not learner.processing_active(created):
                    continue
                where = learner.enrollment_on(event)
                if where is None:
                    continue
                supervisor = where.group.supervisor
                assert supervisor is not None and where.group.grade is not None
                age = event.year - learner.birth.year
                category, level, title, result = self.entry_content(where.group.grade, age)
                roll = self.rng.random()
                submitted_by = supervisor
                verified_by: _Person | None = supervisor
                status, comment = EntryStatus.VERIFIED, None
                updated = created
                if roll < 0.10:
                    status, verified_by = EntryStatus.SUBMITTED, None
                    submitted_by = (
                        learner.account
                        if learner.account and learner.account.created_at <= created
                        else self.rng.choice(learner.family.guardians)
                    )
                elif roll < 0.13:
                    status = EntryStatus.REJECTED
                    submitted_by = self.rng.choice(learner.family.guardians)
                    comment = self.rng.choice(_REJECTION_COMMENTS)
                    updated = min(created + dt.timedelta(days=self.rng.randint(1, 6)), self.now)
                elif roll < 0.25:
                    submitted_by = self.rng.choice(learner.family.guardians)
                    updated = min(created + dt.timedelta(days=self.rng.randint(1, 10)), self.now)
                table.add(
                    self.new_id(),
                    learner.id,
                    category.value,
                    level.value,
                    title,
                    self.rng.choice(_DESCRIPTIONS),
                    result,
                    event,
                    status.value,
                    where.group.org.id,
                    submitted_by.id,
                    verified_by.id if verified_by else None,
                    comment,
                    1,
                    created,
                    updated,
                )

    # ---- rows

    def tables(self) -> list[_Table]:
        """All rows, in an order that satisfies every foreign key."""
        district = _Table(District, ("id", "name", "created_at"))
        district.add(self.district_id, self.district_name, _at(self.setup_day, 9))
        users = _user_rows(self.users)
        organisations = _organisation_rows(
            self.district_id, self.orgs, lambda org: _at(self.setup_day, 11, org.index)
        )
        grants = _Table(RoleGrant, _GRANT_COLUMNS)
        operator = self.district_staff[0][0]
        for person, role in self.district_staff:
            granted_by = None if person is operator else operator.id
            grants.add(
                self.new_id(),
                person.id,
                role.value,
                self.district_id,
                None,
                granted_by,
                person.created_at,
            )
        _add_organisation_grants(grants, self.orgs, operator, self.new_id)
        groups = _group_rows(self.groups.values(), self.new_id)
        learners = _learner_rows(self.district_id, self.learners, self.new_id)
        assessments = _Table(Assessment, _ASSESSMENT_COLUMNS)
        self.build_assessments(assessments)
        closures = _Table(AssessmentPeriodClosure, _CLOSURE_COLUMNS)
        self.build_closures(closures)
        entries = _Table(PortfolioEntry, _ENTRY_COLUMNS)
        self.build_entries(entries)
        return [
            district,
            users,
            organisations,
            grants,
            *groups,
            *learners,
            assessments,
            closures,
            entries,
        ]

    def build(self) -> list[_Table]:
        self.build_organisations()
        self.build_cohorts()
        self.build_staff()
        self.choose_showcase()
        self.build_accounts()
        self.build_consents()
        return self.tables()


# --------------------------------------------------------------------------- entry point


async def load_demo(
    *,
    district_name: str = DEMO_DISTRICT_NAME,
    seed: int = DEMO_SEED,
    today: dt.date | None = None,
    progress: Callable[[str], None] | None = None,
) -> DemoSummary:
    """Fill a migrated database with the demo district, in one transaction.

    The same seed gives the same rows and ids. `today` fixes the current academic year
    (the demo covers it and the two before) and nothing is dated after it.
    """
    started = time.perf_counter()
    report = progress or (lambda _line: None)
    if await District.filter(name=district_name).exists():
        raise DemoAlreadyLoaded(f"district {district_name!r} already exists")
    if await User.filter(login__in=DEMO_FIXED_LOGINS).exists():
        raise DemoAlreadyLoaded("the demo logins (operator, parent, …) already exist")
    await _check_catalogue()

    builder = _DemoBuilder(district_name=district_name, seed=seed, today=today or DEMO_TODAY)
    tables = builder.build()
    report(
        f"generated {sum(len(t.rows) for t in tables):,} rows"
        f" in {time.perf_counter() - started:.1f} s"
    )

    client = connections.get("default")
    dialect = client.capabilities.dialect
    async with in_transaction("default") as transaction:
        for table in tables:
            await _write(transaction, dialect, table)
            report(f"{table.name} {len(table.rows):,}")
    seconds = time.perf_counter() - started
    report(f"demo district loaded in {seconds:.1f} s")
    return DemoSummary(
        district_id=builder.district_id,
        counts={t.name: len(t.rows) for t in tables},
        seconds=seconds,
    )


async def _check_catalogue() -> None:
    """Assessments point at catalogue rows by id; refuse early if the migration is missing."""
    expected = [i.id for f in _catalogue().values() for i in f.indicators]
    found = await Indicator.filter(id__in=expected).count()
    if found != len(expected):
        raise RuntimeError("the reference catalogue is missing: run the migrations first")
