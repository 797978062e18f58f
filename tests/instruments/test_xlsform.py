"""XLSForm import/export: forms as a Kobo user authors them, round trips, and refused files."""

from __future__ import annotations

import copy
from io import BytesIO
from pathlib import Path

import pytest
import yaml
from openpyxl import Workbook, load_workbook

from surveyapp.definitions.documents import parse_definition
from surveyapp.instruments.xlsform import XLSFormError, export_xlsform, import_xlsform
from surveyapp.instruments.xlsform_common import CONDITION_COLUMN, PLACEHOLDER
from tests.definition_builders import choice, definition, flag, item, options, scale, text

DEFINITIONS = sorted((Path(__file__).parents[2] / "surveyapp" / "instruments" / "library").glob("*.yaml"))

SETTINGS = [["form_title", "form_id", "version", "default_language"], ["Үй-бүлө", "family", "2", "Russian (ru)"]]
YES_NO = [["yesno", "1", "Да", "Ооба"], ["yesno", "0", "Нет", "Жок"]]
CHOICES_HEADER = ["list_name", "name", "label", "label::Kyrgyz (ky)"]
SURVEY_HEADER = ["type", "name", "label", "label::Kyrgyz (ky)", "required", "relevant", "constraint"]


def xlsform(survey: list[list], choices: list[list] | None = None, settings: list[list] | None = SETTINGS) -> bytes:
    """An .xlsx with the given sheets, each a header row then data rows (None = an empty cell or sheet)."""
    workbook = Workbook()
    sheets = {"survey": survey, "choices": choices, "settings": settings}
    workbook.active.title = "survey"
    for name, rows in sheets.items():
        if rows is not None:
            sheet = workbook["survey"] if name == "survey" else workbook.create_sheet(name)
            for row in rows:
                sheet.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def small_form(*rows: list, choices: list[list] | None = None) -> bytes:
    """A Russian (plain label) + Kyrgyz form with the yes/no list and the given survey rows."""
    return xlsform([SURVEY_HEADER, *rows], [CHOICES_HEADER, *(choices or YES_NO)])


def problems_of(content: bytes) -> list[str]:
    with pytest.raises(XLSFormError) as raised:
        import_xlsform(content)
    return raised.value.problems


def ru_ky(russian: str, kyrgyz: str) -> dict[str, str]:
    return {"ru": russian, "ky": kyrgyz}


# ---- a form authored in Kobo --------------------------------------------------------------------------------


def test_imports_a_kobo_form_in_russian_and_kyrgyz_as_a_draft_definition():
    survey = [
        SURVEY_HEADER + ["appearance", "$kuid"],
        ["start", "start"],
        ["note", "welcome", "Здравствуйте!", "Саламатсызбы!"],
        ["begin group", "family", "Семья", "Үй-бүлө", None, None, None, "field-list", "abc1"],
        ["select_one yesno", "siblings", "Есть ли братья или сёстры?", "Бир туугандарың барбы?", "yes"],
        ["integer", "sibling_count", "Сколько?", "Канча?", "TRUE()", "${siblings} = '1'", ". >= 1 and . <= 15"],
        [],
        ["end group", "family"],
        ["select_multiple help", "help", "Кто помогает?", "Ким жардам берет?", None, None, None, "minimal"],
        ["text", "help_other", "Кто ещё?", "Дагы ким?", None, "selected(${help}, '3')"],
        ["decimal", "height", "Рост (м)", "Бою (м)", "no", "string-length(${help_other}) > 0", ". <= 2.5"],
    ]
    choices = [
        CHOICES_HEADER,
        *YES_NO,
        ["help", "1", "Мама", "Апам"],
        ["help", "2", "Папа", "Атам"],
        ["help", "3", "Другой", "Башка"],
    ]

    imported = import_xlsform(xlsform(survey, choices))

    assert imported == {
        "id": "family",
        "version": "2",
        "respondent_kind": "child",
        "title": ru_ky("Үй-бүлө", "Үй-бүлө"),
        "languages": ["ru", "ky"],
        "source": PLACEHOLDER,
        "licence": PLACEHOLDER,
        "translation_status": {"ru": "draft", "ky": "draft"},
        "sections": [{"id": "family", "title": ru_ky("Семья", "Үй-бүлө")}],
        "items": [
            {"id": "welcome", "type": "note", "text": ru_ky("Здравствуйте!", "Саламатсызбы!")},
            {
                "id": "siblings",
                "type": "choice",
                "text": ru_ky("Есть ли братья или сёстры?", "Бир туугандарың барбы?"),
                "options": [{"value": 1, "label": ru_ky("Да", "Ооба")}, {"value": 0, "label": ru_ky("Нет", "Жок")}],
                "required": True,
                "section": "family",
            },
            {
                "id": "sibling_count",
                "type": "integer",
                "text": ru_ky("Сколько?", "Канча?"),
                "required": True,
                "relevant": {"item": "siblings", "equals": 1},
                "min": 1,
                "max": 15,
                "section": "family",
            },
            {
                "id": "help",
                "type": "multi",
                "text": ru_ky("Кто помогает?", "Ким жардам берет?"),
                "options": [
                    {"value": 1, "label": ru_ky("Мама", "Апам")},
                    {"value": 2, "label": ru_ky("Папа", "Атам")},
                    {"value": 3, "label": ru_ky("Другой", "Башка")},
                ],
            },
            {
                "id": "help_other",
                "type": "text",
                "text": ru_ky("Кто ещё?", "Дагы ким?"),
                "relevant": {"item": "help", "contains": 3},
            },
            {
                "id": "height",
                "type": "decimal",
                "text": ru_ky("Рост (м)", "Бою (м)"),
                "relevant": {"item": "help_other", "answered": True},
                "max": 2.5,
            },
        ],
    }
    parse_definition(imported)


@pytest.mark.parametrize(
    ("expression", "condition"),
    [
        ("${q} = 1", {"item": "q", "equals": 1}),
        ("${q}='0'", {"item": "q", "equals": 0}),
        ("${q} != 1", {"not": {"item": "q", "equals": 1}}),
        ("${n} >= 2 and ${n} < 10.5", {"all": [{"item": "n", "gte": 2}, {"item": "n", "lt": 10.5}]}),
        ("${n} > -1 or ${n} <= 0", {"any": [{"item": "n", "gt": -1}, {"item": "n", "lte": 0}]}),
        ("selected(${q}, '1')", {"item": "q", "equals": 1}),
        ("selected(${m}, '2')", {"item": "m", "contains": 2}),
        ("string-length(${t}) > 0", {"item": "t", "answered": True}),
        ("string-length(${t}) = 0", {"item": "t", "answered": False}),
        ("${t} != ''", {"item": "t", "answered": True}),
        ('${m} = ""', {"item": "m", "answered": False}),
        ("not(${q} = 1)", {"not": {"item": "q", "equals": 1}}),
        (
            "(${q} = 1 or ${q} = 0) and not(selected(${m}, '1'))",
            {
                "all": [
                    {"any": [{"item": "q", "equals": 1}, {"item": "q", "equals": 0}]},
                    {"not": {"item": "m", "contains": 1}},
                ]
            },
        ),
    ],
)
def test_translates_simple_relevant_expressions(expression, condition):
    content = small_form(
        ["select_one yesno", "q", "В", "С"],
        ["select_multiple yesno", "m", "В", "С"],
        ["integer", "n", "Ч", "С"],
        ["text", "t", "Т", "Т"],
        ["note", "end_note", "Спасибо", "Рахмат", None, expression],
    )
    assert import_xlsform(content)["items"][-1]["relevant"] == condition


@pytest.mark.parametrize(
    ("constraint", "bounds"),
    [
        (". >= 0 and . <= 10", {"min": 0, "max": 10}),
        (".<=10 and .>=0", {"min": 0, "max": 10}),
        (". >= -5", {"min": -5}),
        (". <= 7.5", {"max": 7.5}),
    ],
)
def test_reads_range_constraints(constraint, bounds):
    content = small_form(["decimal", "n", "Ч", "С", None, None, constraint])
    assert {key: import_xlsform(content)["items"][0].get(key) for key in bounds} == bounds


@pytest.mark.parametrize("header", ["label::Russian (ru)", "label::Russian", "label::ru", "Label::Русский (ru)"])
def test_reads_the_spellings_of_a_language_column(header):
    content = xlsform([["type", "name", header], ["text", "t", "Имя"]], settings=[["form_id"], ["names"]])
    imported = import_xlsform(content)
    assert (imported["languages"], imported["items"][0]["text"]) == (["ru"], {"ru": "Имя"})


@pytest.mark.parametrize("cell", ["yes", "Yes", "TRUE()", "true", 1, True])
def test_reads_the_spellings_of_required(cell):
    assert import_xlsform(small_form(["text", "t", "Т", "Т", cell]))["items"][0]["required"] is True


def test_a_list_used_by_several_questions_becomes_an_option_set():
    imported = import_xlsform(small_form(["select_one yesno", "a", "А", "А"], ["select_one yesno", "b", "Б", "Б"]))
    assert imported["option_sets"] == {
        "yesno": [{"value": 1, "label": ru_ky("Да", "Ооба")}, {"value": 0, "label": ru_ky("Нет", "Жок")}]
    }
    assert [question["options"] for question in imported["items"]] == ["yesno", "yesno"]
    parse_definition(imported)


def test_a_group_relevant_applies_to_each_of_its_questions():
    imported = import_xlsform(
        small_form(
            ["select_one yesno", "school", "Учишься?", "Окуйсуңбу?"],
            ["begin group", "studies", "Учёба", "Окуу", None, "${school} = 1"],
            ["integer", "grade", "Класс", "Класс", None, None, ". >= 1 and . <= 11"],
            ["integer", "marks", "Оценка", "Баа", None, "${grade} > 4"],
            ["end group"],
        )
    )
    school = {"item": "school", "equals": 1}
    assert [question.get("relevant") for question in imported["items"]] == [
        None,
        school,
        {"all": [school, {"item": "grade", "gt": 4}]},
    ]
    parse_definition(imported)


def test_draft_takes_respondent_kind_from_settings_and_defaults_the_version():
    content = xlsform(
        [["type", "name", "label::English (en)"], ["text", "t", "Name"]],
        settings=[["form_id", "respondent_kind"], ["staff_form", "staff"]],
    )
    imported = import_xlsform(content)
    assert (imported["respondent_kind"], imported["version"], imported["title"]) == (
        "staff",
        "1.0",
        {"en": "staff_form"},
    )
    parse_definition(imported)


# ---- export and round trips ---------------------------------------------------------------------------------

KY_RU_EN = {"ky": "Кыргызча", "ru": "Русский", "en": "English"}

SELF_ESTEEM = definition(
    items=[
        choice("se_1", (1, 2, 3, 4)),
        choice("se_2", (1, 2, 3, 4), reverse=True),
        choice("se_3", (1, 2, 3, 4), reverse=True, required=True),
    ],
    instructions=text("Answer every statement."),
    staff_notes=text("Read the statements aloud if asked."),
    administration="self",
    questions_per_screen=3,
    scales=[
        scale(
            "total",
            ["se_1", "se_2", "se_3"],
            [3, 12],
            missing={"max_missing": 1, "rule": "prorate"},
            bands=[{"code": "low", "max": 6, "label": text("low")}, {"code": "high", "label": text("high")}],
            band_source="convention",
        )
    ],
)
KNOWLEDGE_TEST = definition(
    items=[
        choice("k1", (1, 2, 3), correct=2),
        choice("k2", (1, 2, 3, 9), correct=1),
        item("k_note", "note"),
        choice("k3", (1, 2), correct=1, required=True),
    ],
    scales=[
        scale(
            "known", ["k1", "k2", "k3"], [0, 100], method="percent_correct", missing={"max_missing": 1, "rule": "zero"}
        )
    ],
)
SCREENING = definition(
    option_sets={"yes_no_refused": options(1, 0, 9, missing=(9,)), "yes_no": options(1, 0)},
    items=[choice(f"s{number}", options="yes_no_refused", required=True) for number in (1, 2)]
    + [
        choice(
            "s5",
            options="yes_no",
            relevant={"any": [{"item": "s1", "in": [1, 9]}, {"item": "s2", "in": [1, 9]}]},
            if_not_relevant="keep",
        ),
        item(
            "s6",
            "integer",
            min=0,
            max=30,
            relevant={
                "all": [
                    {"item": "s5", "not_equals": 0},
                    {"not": {"any": [{"item": "s1", "answered": False}, {"item": "s2", "lte": 0}]}},
                ]
            },
        ),
    ],
    scales=[scale("positive", ["s1", "s2"], [0, 2])],
    flags=[
        flag("acute", "acute", {"item": "s5", "equals": 1}),
        flag("screen", "non_acute", {"all": [{"scale": "positive", "gte": 1}, {"not": {"item": "s5", "equals": 1}}]}),
    ],
)
SECTIONS_AND_MULTI = definition(
    languages=["ky", "ru", "en"],
    title=KY_RU_EN,
    translation_status={"ky": "draft", "ru": "reviewed", "en": "back-translated"},
    option_sets={"m": [{"value": 1, "label": KY_RU_EN}, {"value": 2, "label": KY_RU_EN}]},
    sections=[
        {"id": "home", "title": KY_RU_EN},
        {"id": "school", "title": KY_RU_EN},
        {"id": "unused", "title": KY_RU_EN},
    ],
    items=[
        {
            "id": "m",
            "type": "multi",
            "text": KY_RU_EN,
            "section": "home",
            "options": [{"value": 1, "label": KY_RU_EN}, {"value": 4, "label": KY_RU_EN}],
        },
        {
            "id": "m_more",
            "type": "multi",
            "text": KY_RU_EN,
            "options": "m",
            "section": "home",
            "relevant": {"item": "m", "contains": 4},
        },
        {"id": "grade", "type": "decimal", "text": KY_RU_EN, "min": 0.5, "max": 5.0, "section": "school"},
        {"id": "comment", "type": "text", "text": KY_RU_EN, "relevant": {"item": "m_more", "answered": True}},
        {"id": "instructions", "type": "integer", "text": KY_RU_EN, "section": "home", "min": -3},
    ],
    instructions=KY_RU_EN,
    respondent_kind="parent",
)
ROUND_TRIPS = {
    "reverse items": SELF_ESTEEM,
    "knowledge test": KNOWLEDGE_TEST,
    "screening with flags": SCREENING,
    "sections and multi": SECTIONS_AND_MULTI,
}


@pytest.mark.parametrize("data", ROUND_TRIPS.values(), ids=ROUND_TRIPS.keys())
def test_export_then_import_gives_the_same_definition(data):
    parse_definition(data)
    assert import_xlsform(export_xlsform(copy.deepcopy(data))) == data


@pytest.mark.parametrize("path", DEFINITIONS, ids=[path.stem for path in DEFINITIONS])
def test_every_instrument_file_survives_a_round_trip(path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert import_xlsform(export_xlsform(data)) == data


def sheet_rows(content: bytes, sheet: str) -> list[tuple]:
    return list(load_workbook(BytesIO(content))[sheet].iter_rows(values_only=True))


def test_export_writes_standard_xlsform_sheets_and_columns():
    content = export_xlsform(SCREENING)
    survey = sheet_rows(content, "survey")
    assert survey[0][:6] == ("type", "name", "label::English (en)", "label::Russian (ru)", "required", "relevant")
    by_name = {row[1]: dict(zip(survey[0], row)) for row in survey[1:]}
    assert by_name["s1"]["type"] == "select_one yes_no_refused"
    assert by_name["s5"]["relevant"] == "(${s1} = 1 or ${s1} = 9) or (${s2} = 1 or ${s2} = 9)"
    assert by_name["s5"]["surveyapp_if_not_relevant"] == "keep"  # for the round trip; ODK never sends such answers
    assert by_name["s6"]["relevant"] == "(${s5} != 0 and ${s5} != '') and not(${s1} = '' or ${s2} <= 0)"
    assert by_name["s6"]["constraint"] == ". >= 0 and . <= 30"
    choices = sheet_rows(content, "choices")
    assert choices[0] == ("list_name", "name", "label::English (en)", "label::Russian (ru)", "surveyapp_missing")
    assert choices[3] == ("yes_no_refused", "9", "option 9", "option 9 (ru)", "yes")
    assert sheet_rows(content, "settings") == [
        ("form_title", "form_id", "version", "default_language"),
        ("Demo questionnaire", "demo", "1.0", "English (en)"),
    ]


def test_export_puts_split_sections_in_distinct_groups():
    survey = sheet_rows(
        export_xlsform(
            definition(
                sections=[{"id": "a", "title": text("A")}],
                items=[choice("q1", section="a"), choice("q2"), choice("q3", section="a")],
            )
        ),
        "survey",
    )
    assert [row[:2] for row in survey if "group" in row[0]] == [
        ("begin group", "a"),
        ("end group", "a"),
        ("begin group", "a_2"),
        ("end group", "a_2"),
    ]


def test_an_expression_edited_in_kobo_wins_over_the_stored_condition():
    workbook = load_workbook(BytesIO(export_xlsform(SCREENING)))
    survey = workbook["survey"]
    relevant_column = [cell.value for cell in survey[1]].index("relevant") + 1
    s5_row = next(row[0].row for row in survey.iter_rows(min_row=2) if row[1].value == "s5")
    survey.cell(s5_row, relevant_column, "${s1} = 1")
    buffer = BytesIO()
    workbook.save(buffer)
    assert import_xlsform(buffer.getvalue())["items"][2]["relevant"] == {"item": "s1", "equals": 1}


# ---- refused files ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rows", "choices", "expected"),
    [
        (
            [["begin repeat", "kids", "Дети", "Балдар"], ["text", "kid", "Имя", "Аты"], ["end repeat"]],
            None,
            "survey sheet, row 2, column 'type': repeats are not supported",
        ),
        (
            [["integer", "age", "Возраст", "Жашы"], ["calculate", "double", None, None]],
            None,
            "survey sheet, row 3, column 'type': type 'calculate' is not supported",
        ),
        (
            [
                ["begin group", "a", "А", "А"],
                ["begin group", "b", "Б", "Б"],
                ["text", "t", "Т", "Т"],
                ["end group"],
                ["end group"],
            ],
            None,
            "survey sheet, row 3, column 'type': groups inside groups are not supported",
        ),
        (
            [["select_one colours", "colour", "Цвет", "Түс"]],
            [["colours", "red", "Красный", "Кызыл"]],
            "choices sheet, row 2, column 'name': choice name 'red' is not a whole number",
        ),
        (
            [["integer", "age", "Возраст", "Жашы"], ["text", "t", "Т", "Т", None, "${age} + 1 > 5"]],
            None,
            "survey sheet, row 3, column 'relevant': cannot translate '${age} + 1 > 5'",
        ),
        (
            [["select_multiple yesno", "m", "М", "М"], ["text", "t", "Т", "Т", None, "count-selected(${m}) > 1"]],
            None,
            "survey sheet, row 3, column 'relevant': cannot translate",
        ),
        ([["geopoint", "where", "Где?", "Кайда?"]], None, "survey sheet, row 2, column 'type': type 'geopoint'"),
        ([["date", "born", "Дата", "Күнү"]], None, "survey sheet, row 2, column 'type': type 'date' is not supported"),
        (
            [["select_one sizes", "size", "Размер", "Өлчөм"]],
            None,
            "survey sheet, row 2, column 'type': choice list 'sizes' is not in the choices sheet",
        ),
        (
            [["select_one yesno or_other", "q", "В", "С"]],
            None,
            "survey sheet, row 2, column 'type': 'or_other' is not supported",
        ),
        (
            [["text", "t", "Т", "Т", None, "${later} = 1"], ["integer", "later", "П", "К"]],
            None,
            "survey sheet, row 2, column 'relevant': cannot translate '${later} = 1': ${later} is not an earlier",
        ),
        ([["text", "t", "Т", "Т", "${x} = 1"]], None, "survey sheet, row 2, column 'required': expected yes or no"),
        (
            [["integer", "n", "Ч", "С", None, None, ". != 3"]],
            None,
            "survey sheet, row 2, column 'constraint': only a range like",
        ),
        (
            [["text", "Name", "Имя", "Аты"]],
            None,
            "survey sheet, row 2, column 'name': 'Name' is not a valid surveyapp id",
        ),
        (
            [["text", "t", "Т", "Т"], ["text", "u", "У", None]],
            None,
            "survey sheet, row 3, column 'label::Kyrgyz (ky)': the Kyrgyz (ky) label is empty",
        ),
        ([["end group"]], None, "survey sheet, row 2, column 'type': end group without a begin group"),
        ([[None, "orphan", "Сирота", "Жетим"]], None, "survey sheet, row 2, column 'type': the type is empty"),
        (
            [["text", "t", "Т", "Т"], ["integer", "t", "Ч", "С"]],
            None,
            "survey sheet, row 3, column 'name': 't' is used twice",
        ),
    ],
)
def test_refuses_what_surveyapp_cannot_represent(rows, choices, expected):
    problems = problems_of(small_form(*rows, choices=choices))
    assert any(problem.startswith(expected) for problem in problems), problems


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("calculation", "${a} * 2"),
        ("default", "3"),
        ("hint", "Подсказка"),
        ("choice_filter", "x = 1"),
        ("appearance", "search('kids')"),
    ],
)
def test_refuses_unsupported_columns_with_values(column, value):
    content = xlsform(
        [["type", "name", "label", column], ["integer", "a", "А"], ["integer", "b", "Б", value]],
        settings=[["form_id", "default_language"], ["f", "ru"]],
    )
    assert problems_of(content) == [
        f"survey sheet, row 3, column '{column}': surveyapp cannot keep this column here: clear the cell"
    ]


@pytest.mark.parametrize(
    ("rows", "choices", "expected"),
    [
        (
            [["integer", "a", "А", "А"], ["text", "t", "Т", "Т", None, "(" * 4000 + "${a} = 1" + ")" * 4000]],
            None,
            "survey sheet, row 3, column 'relevant': cannot translate '"
            + "(" * 80
            + "...': parentheses nested more than 16 "
            "deep",
        ),
        (
            [["integer", "a", "А", "А"], ["text", "t", "Т", "Т", None, "${a} = " + "9" * 5000]],
            None,
            "survey sheet, row 3, column 'relevant': cannot translate '${a} = "
            + "9" * 73
            + "...': a number of more than 20 "
            "characters",
        ),  # the expression shortened to 80 characters
        (
            [["integer", "a", "А", "А", None, None, ". >= " + "9" * 5000]],
            None,
            "survey sheet, row 2, column 'constraint': a number of more than 20 characters",
        ),
        (
            [["select_one yesno", "q", "В", "С"]],
            [["yesno", "1" * 5000, "Да", "Ооба"]],
            "choices sheet, row 2, column 'name': choice name '11111",
        ),
    ],
)
def test_refuses_numbers_and_nesting_too_large_for_the_parsers(rows, choices, expected):
    """Found by fuzzing the upload (issue 15): each was a server error (RecursionError, or int() refusing a string
    of more than 4,300 digits)."""
    problems = problems_of(small_form(*rows, choices=choices))
    assert any(problem.startswith(expected) for problem in problems), problems


def with_metadata(key: str, value: str) -> bytes:
    """SCREENING exported, with one more row in its surveyapp sheet."""
    workbook = load_workbook(BytesIO(export_xlsform(SCREENING)))
    workbook["surveyapp"].append([key, value])
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("option_sets", "1", "'option_sets' must be a list of option set names"),
        ("option_sets", '[["yes_no"]]', "'option_sets' must be a list of option set names"),
        ("sections", '["a"]', "'sections' must be a list of sections, each with an id"),
        ("sections", '[{"title": "A"}]', "'sections' must be a list of sections, each with an id"),
        (
            "flag",
            '{"id": "f", "level": "acute", "reason": {"ru": "-"}, "when": '
            + '{"not": ' * 450
            + '{"item": "s1", "equals": 1}'
            + "}" * 451,
            "nested more than 16 levels deep",
        ),
        ("scale", "[" * 5000 + "]" * 5000, "JSON nested too deeply or with a number too long"),
        ("questions_per_screen", "9" * 5000, "JSON nested too deeply or with a number too long"),
    ],
)
def test_refuses_surveyapp_sheet_values_the_importer_cannot_use(key, value, expected):
    """Found by fuzzing the upload (issue 15): each was a server error (TypeError, KeyError, or a RecursionError in
    parsing the JSON or, 450 levels deep, the flag's condition); the shipped instruments nest 8 levels at most."""
    problems = problems_of(with_metadata(key, value))
    assert any(
        problem.startswith("surveyapp sheet, row ") and f"column 'value': {expected}" in problem for problem in problems
    ), problems


def test_a_stored_condition_nested_too_deeply_gives_way_to_the_expression():
    workbook = load_workbook(BytesIO(export_xlsform(SCREENING)))
    survey = workbook["survey"]
    headers = [cell.value for cell in survey[1]]
    s5_row = next(row[0].row for row in survey.iter_rows(min_row=2) if row[1].value == "s5")
    survey.cell(s5_row, headers.index(CONDITION_COLUMN) + 1, "[" * 5000 + "]" * 5000)
    buffer = BytesIO()
    workbook.save(buffer)
    assert import_xlsform(buffer.getvalue())["items"][2]["relevant"] == {
        "any": [  # "in: [1, 9]" as XLSForm says it
            {"any": [{"item": "s1", "equals": 1}, {"item": "s1", "equals": 9}]},
            {"any": [{"item": "s2", "equals": 1}, {"item": "s2", "equals": 9}]},
        ]
    }


def test_refuses_choices_without_the_label_column_of_a_survey_language():
    """Found by fuzzing the upload (issue 15): this was a StopIteration, a server error."""
    content = xlsform(
        [SURVEY_HEADER, ["select_one yesno", "q", "Вопрос", "Суроо"]],
        [["list_name", "name", "label"], ["yesno", "1", "Да"], ["yesno", "0", "Нет"]],
    )
    assert problems_of(content) == [
        "choices sheet, row 2, column 'label::Kyrgyz (ky)': the Kyrgyz (ky) label is empty",
        "choices sheet, row 3, column 'label::Kyrgyz (ky)': the Kyrgyz (ky) label is empty",
    ]


def test_refuses_an_unknown_language_and_a_plain_label_without_default_language():
    content = xlsform(
        [["type", "name", "label", "label::Uzbek (uz)"], ["text", "t", "Т", "T"]], settings=[["form_id"], ["f"]]
    )
    assert problems_of(content) == [
        "survey sheet, row 1, column 'label': a plain 'label' column needs default_language in the settings sheet, "
        "e.g. 'Russian (ru)'",
        "survey sheet, row 1, column 'label::Uzbek (uz)': unknown language 'Uzbek (uz)'; surveyapp carries "
        "Kyrgyz (ky), Russian (ru), English (en)",
        "survey sheet: no label column (e.g. 'label::Russian (ru)')",
    ]


def test_collects_every_problem_and_counts_rows_past_empty_ones():
    content = xlsform(
        [SURVEY_HEADER, ["calculate", "c"], [], [None], ["geopoint", "g", "Г", "Г"]],
        settings=[["form_id", "version", "default_language"], ["Bad-Id", "v2", "ru"]],
    )
    assert problems_of(content) == [
        "settings sheet, row 2, column 'form_id': 'Bad-Id' is not a valid instrument id "
        "(lower-case letters, digits, _)",
        "settings sheet, row 2, column 'version': 'v2' is not a version such as 1.0",
        "survey sheet, row 2, column 'type': type 'calculate' is not supported; surveyapp supports select_one, "
        "select_multiple, integer, decimal, text, note and begin/end group",
        "survey sheet, row 5, column 'type': type 'geopoint' is not supported; surveyapp supports select_one, "
        "select_multiple, integer, decimal, text, note and begin/end group",
    ]


@pytest.mark.parametrize("content", [b"type,name,label\ntext,t,T\n", b"", b"PK\x03\x04 broken zip"])
def test_refuses_a_file_that_is_not_an_xlsx(content):
    assert problems_of(content) == [
        "the file is not an .xlsx workbook: save the XLSForm as .xlsx (Excel 2007 or later)"
    ]
