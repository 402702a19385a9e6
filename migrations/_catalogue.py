"""Reference catalogue installed by migration: frameworks, areas, indicators (names in Russian)."""

from __future__ import annotations

import json
import uuid
from typing import Any

CATALOGUE_NAMESPACE = uuid.UUID("6f1d3c1e-7a55-4c86-9a43-1c5d2a0f9b10")

PRESCHOOL_SCALE = [
    {"value": 1, "label": "не сформирован"},
    {"value": 2, "label": "в стадии формирования"},
    {"value": 3, "label": "сформирован"},
]

FRAMEWORKS: list[dict[str, Any]] = [
    {
        "code": "FGOS_DO",
        "name": "Педагогическая диагностика по ФГОС ДО",
        "level": "PRESCHOOL",
        "sensitive": False,
        "scale": PRESCHOOL_SCALE,
        "areas": [
            ("SOCIAL", "Социально-коммуникативное развитие", [
                "Усваивает нормы и ценности, принятые в обществе",
                "Общается и взаимодействует со взрослыми и сверстниками",
                "Проявляет самостоятельность и целенаправленность действий",
                "Эмоционально отзывчив, сопереживает другим",
                "Соблюдает правила безопасного поведения в быту и на улице",
            ]),
            ("COGNITIVE", "Познавательное развитие", [
                "Проявляет любознательность и познавательную мотивацию",
                "Различает форму, цвет, размер и количество предметов",
                "Ориентируется в пространстве и во времени",
                "Имеет представления о малой родине и природе родного края",
                "Создаёт постройки по образцу и собственному замыслу",
            ]),
            ("SPEECH", "Речевое развитие", [
                "Использует речь как средство общения",
                "Обладает активным словарём, соответствующим возрасту",
                "Строит связную, грамматически правильную речь",
                "Различает звуки, выполняет звуковой анализ слова",
                "Знаком с книжной культурой и детской литературой",
            ]),
            ("ARTISTIC", "Художественно-эстетическое развитие", [
                "Эмоционально воспринимает музыку, литературу, фольклор",
                "Проявляет себя в изобразительной деятельности",
                "Проявляет себя в музыкальной деятельности",
                "Участвует в конструктивно-модельной деятельности",
            ]),
            ("PHYSICAL", "Физическое развитие", [
                "Развита крупная и мелкая моторика",
                "Выполняет основные движения (ходьба, бег, прыжки, метание)",
                "Владеет элементарными нормами здорового образа жизни",
                "Участвует в подвижных играх с правилами",
            ]),
        ],
    },
    {
        "code": "SCHOOL_READINESS",
        "name": "Готовность к обучению в школе",
        "level": "PRESCHOOL",
        "sensitive": False,
        "scale": PRESCHOOL_SCALE,
        "areas": [
            ("MOTIVATION", "Мотивационная готовность", [
                "Положительно относится к школе и учению",
                "Проявляет интерес к новым знаниям",
                "Сформирована внутренняя позиция школьника",
            ]),
            ("INTELLECTUAL", "Интеллектуальная готовность", [
                "Сравнивает и обобщает предметы по признакам",
                "Устанавливает причинно-следственные связи",
                "Ориентируется в количестве в пределах десяти",
            ]),
            ("SPEECH_READINESS", "Речевая готовность", [
                "Пересказывает знакомый текст",
                "Делит слова на слоги",
                "Отвечает на вопросы полным предложением",
            ]),
            ("VOLITION", "Произвольность поведения", [
                "Действует по словесной инструкции взрослого",
                "Удерживает учебную задачу до конца",
                "Контролирует свои действия по образцу",
            ]),
        ],
    },
    {
        "code": "PRIMARY_META",
        "name": "Метапредметные результаты начального общего образования",
        "level": "PRIMARY",
        "sensitive": False,
        "scale": [
            {"value": 1, "label": "недостаточный"},
            {"value": 2, "label": "базовый"},
            {"value": 3, "label": "повышенный"},
        ],
        "areas": [
            ("REGULATIVE", "Регулятивные универсальные учебные действия", [
                "Принимает и сохраняет учебную задачу",
                "Планирует свои действия",
                "Оценивает результат своей работы",
            ]),
            ("COGNITIVE_UUD", "Познавательные универсальные учебные действия", [
                "Находит информацию в учебнике и справочниках",
                "Сравнивает и классифицирует объекты",
                "Строит простые рассуждения",
            ]),
            ("COMMUNICATIVE", "Коммуникативные универсальные учебные действия", [
                "Договаривается и работает в паре и группе",
                "Формулирует собственное мнение",
                "Задаёт вопросы для организации работы",
            ]),
        ],
    },
    {
        "code": "PSYCHOLOGICAL",
        "name": "Психологическая диагностика",
        "level": "PRESCHOOL",
        "sensitive": True,
        "scale": [
            {"value": 1, "label": "требуется внимание специалиста"},
            {"value": 2, "label": "вариант возрастной нормы"},
            {"value": 3, "label": "без особенностей"},
        ],
        "areas": [
            ("EMOTIONAL", "Эмоционально-волевая сфера", [
                "Уровень тревожности",
                "Самооценка",
                "Эмоциональная устойчивость",
            ]),
            ("COGNITIVE_PROCESSES", "Познавательные процессы", [
                "Произвольное внимание",
                "Память",
                "Наглядно-образное мышление",
            ]),
            ("ADAPTATION", "Адаптация и взаимоотношения", [
                "Адаптация к условиям группы",
                "Взаимоотношения со сверстниками",
            ]),
        ],
    },
]


def catalogue_id(*parts: str) -> uuid.UUID:
    """Stable ids, so every installation has the same catalogue identifiers."""
    return uuid.uuid5(CATALOGUE_NAMESPACE, "/".join(parts))


def _placeholders(dialect: str, count: int, casts: dict[int, str] | None = None) -> str:
    casts = casts or {}
    if dialect == "sqlite":
        return ", ".join("?" for _ in range(count))
    return ", ".join(f"${i + 1}{casts.get(i, '')}" for i in range(count))


async def install_catalogue(apps: Any, schema_editor: Any) -> None:
    client = schema_editor.client
    dialect = client.capabilities.dialect

    def key(value: uuid.UUID) -> Any:
        return str(value) if dialect == "sqlite" else value

    for framework in FRAMEWORKS:
        framework_id = catalogue_id(framework["code"])
        await client.execute_query(
            "INSERT INTO framework (id, code, name, level, sensitive, scale) VALUES ("
            + _placeholders(dialect, 6, {5: "::jsonb"})
            + ")",
            [
                key(framework_id),
                framework["code"],
                framework["name"],
                framework["level"],
                framework["sensitive"],
                json.dumps(framework["scale"], ensure_ascii=False),
            ],
        )
        for area_position, (area_code, area_name, indicators) in enumerate(framework["areas"], 1):
            area_id = catalogue_id(framework["code"], area_code)
            await client.execute_query(
                "INSERT INTO development_area (id, framework_id, code, name, position) VALUES ("
                + _placeholders(dialect, 5)
                + ")",
                [key(area_id), key(framework_id), area_code, area_name, area_position],
            )
            for position, indicator_name in enumerate(indicators, 1):
                code = f"{area_code}_{position}"
                await client.execute_query(
                    "INSERT INTO indicator (id, area_id, code, name, position) VALUES ("
                    + _placeholders(dialect, 5)
                    + ")",
                    [
                        key(catalogue_id(framework["code"], area_code, code)),
                        key(area_id),
                        code,
                        indicator_name,
                        position,
                    ],
                )


async def remove_catalogue(apps: Any, schema_editor: Any) -> None:
    client = schema_editor.client
    for table in ("indicator", "development_area", "framework"):
        await client.execute_script(f"DELETE FROM {table}")
