"""XLSForm import/export: forms as a Kobo user authors them, round trips, and refused files."""

from __future__ import annotations

import copy
from io import BytesIO
from pathlib import Path

import pytest
import yaml
from openpyxl import Workbook, load_workbook

from surveyapp.definitions.documents import parse_definition
from surveyapp.instruments.services import InvalidDefinition, draft_from_xlsform
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
    survey: list[list] = [
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
        "metadata": [{"type": "start", "name": "start"}],
        "option_sets": {
            "yesno": [{"value": 1, "label": ru_ky("Да", "Ооба")}, {"value": 0, "label": ru_ky("Нет", "Жок")}],
            "help": [
                {"value": 1, "label": ru_ky("Мама", "Апам")},
                {"value": 2, "label": ru_ky("Папа", "Атам")},
                {"value": 3, "label": ru_ky("Другой", "Башка")},
            ],
        },
        "sections": [{"id": "family", "title": ru_ky("Семья", "Үй-бүлө"), "appearance": "field-list"}],
        "items": [
            {"id": "welcome", "type": "note", "text": ru_ky("Здравствуйте!", "Саламатсызбы!")},
            {
                "id": "siblings",
                "type": "choice",
                "text": ru_ky("Есть ли братья или сёстры?", "Бир туугандарың барбы?"),
                "options": "yesno",
                "required": True,
                "section": "family",
            },
            {
                "id": "sibling_count",
                "type": "integer",
                "text": ru_ky("Сколько?", "Канча?"),
                "required": True,
                "relevant": {"expression": "${siblings} = '1'"},
                "min": 1,
                "max": 15,
                "section": "family",
            },
            {
                "id": "help",
                "type": "multi",
                "text": ru_ky("Кто помогает?", "Ким жардам берет?"),
                "options": "help",
                "appearance": "minimal",
            },
            {
                "id": "help_other",
                "type": "text",
                "text": ru_ky("Кто ещё?", "Дагы ким?"),
                "relevant": {"expression": "selected(${help}, '3')"},
            },
            {
                "id": "height",
                "type": "decimal",
                "text": ru_ky("Рост (м)", "Бою (м)"),
                "relevant": {"expression": "string-length(${help_other}) > 0"},
                "max": 2.5,
            },
        ],
    }
    parse_definition(imported)


@pytest.mark.parametrize(
    "expression",
    ["${q} = 1", "${q}='0'", "${n} >= 2 and ${n} < 10.5", "selected(${m}, '1')", "count-selected(${m}) > 1"],
)
def test_keeps_a_relevant_expression_as_written(expression):
    content = small_form(
        ["select_one yesno", "q", "В", "С"],
        ["select_multiple yesno", "m", "В", "С"],
        ["integer", "n", "Ч", "С"],
        ["note", "end_note", "Спасибо", "Рахмат", None, expression],
    )
    assert import_xlsform(content)["items"][-1]["relevant"] == {"expression": expression}


@pytest.mark.parametrize(
    ("constraint", "kept"),
    [
        (". >= 0 and . <= 10", {"min": 0, "max": 10}),
        (". >= -5", {"min": -5}),
        (". <= 7.5", {"max": 7.5}),
        # Any other spelling stays the expression, so that the export writes it back as written.
        (".<=10 and .>=0", {"constraint": ".<=10 and .>=0"}),
        (". > 0 and . < 24", {"constraint": ". > 0 and . < 24"}),
        (". >= 1.50", {"constraint": ". >= 1.50"}),
        (". >= 1 and (. mod 2 = 0)", {"min": 1, "constraint": ". mod 2 = 0"}),
        (". >= 0 and (. != 3) and (. != 5)", {"constraint": ". >= 0 and (. != 3) and (. != 5)"}),
    ],
)
def test_reads_a_range_constraint_as_min_and_max_and_keeps_any_other(constraint, kept):
    item = import_xlsform(small_form(["decimal", "n", "Ч", "С", None, None, constraint]))["items"][0]
    assert {key: item[key] for key in ("min", "max", "constraint") if key in item} == kept


@pytest.mark.parametrize(
    ("header", "language", "name"),
    [
        ("label::Russian (ru)", "ru", None),
        ("label::Russian", "ru", "Russian"),
        ("label::ru", "ru", "ru"),
        ("Label::Русский (ru)", "ru", "Русский (ru)"),
        ("label:Русский", "ru", "Русский"),
        ("label::Кыргыз тили", "ky", "Кыргыз тили"),
        ("label::Кыргызча", "ky", "Кыргызча"),
        ("label::Français", "fr", "Français"),
        ("label::fr", "fr", None),
        ("label::Uzbek (uz)", "uz", "Uzbek (uz)"),
        ("label::Chinese (zh-Hans)", "zh-hans", "Chinese (zh-Hans)"),
        ("label::Dari", "und-dari", "Dari"),
        ("label", "und", "default"),
    ],
)
def test_reads_a_language_by_code_or_name_and_keeps_its_name(header, language, name):
    imported = import_xlsform(xlsform([["type", "name", header], ["text", "t", "Имя"]], settings=None))
    assert (imported["languages"], imported["items"][0]["text"]) == ([language], {language: "Имя"})
    assert imported.get("language_names") == ({language: name} if name else None)


@pytest.mark.parametrize("cell", ["yes", "Yes", "TRUE()", "true", 1, True])
def test_reads_the_spellings_of_required(cell):
    assert import_xlsform(small_form(["text", "t", "Т", "Т", cell]))["items"][0]["required"] is True


def test_a_list_with_a_name_that_is_not_an_id_gives_each_question_its_options():
    imported = import_xlsform(small_form(["select_one Yes-No", "a", "А", "А"], choices=[["Yes-No", "1", "Да", "Ооба"]]))
    assert "option_sets" not in imported
    assert imported["items"][0]["options"] == [{"value": 1, "label": ru_ky("Да", "Ооба")}]


def test_a_group_relevant_is_its_sections_and_groups_in_groups_are_sections_with_parents():
    imported = import_xlsform(
        small_form(
            ["select_one yesno", "school", "Учишься?", "Окуйсуңбу?"],
            ["begin group", "studies", "Учёба", "Окуу", None, "${school} = 1"],
            ["integer", "grade", "Класс", "Класс", None, None, ". >= 1 and . <= 11"],
            ["begin group", "marks", None, None, None, "${grade} > 4"],
            ["integer", "mark", "Оценка", "Баа"],
            ["end group"],
            ["end group"],
        )
    )
    assert imported["sections"] == [
        {"id": "studies", "title": ru_ky("Учёба", "Окуу"), "relevant": {"expression": "${school} = 1"}},
        {"id": "marks", "parent": "studies", "relevant": {"expression": "${grade} > 4"}},
    ]
    assert [(item["id"], item.get("section"), item.get("relevant")) for item in imported["items"]] == [
        ("school", None, None),
        ("grade", "studies", None),
        ("mark", "marks", None),
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


@pytest.mark.parametrize(
    ("settings", "instrument_id"),
    [
        (None, "form"),
        ([["form_title"], ["Школа 2024"]], "form_2024"),
        ([["form_title"], ["Well-being survey"]], "well_being_survey"),
        ([["form_id", "form_title"], ["aXk3Lm9", "Any"]], "axk3lm9"),
        ([["id_string"], ["2024_wave"]], "form_2024_wave"),
    ],
)
def test_needs_no_form_id_and_makes_an_id_from_what_there_is(settings, instrument_id):
    imported = import_xlsform(xlsform([["type", "name", "label"], ["text", "t", "Имя"]], settings=settings))
    assert imported["id"] == instrument_id


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
FORM_LOGIC = definition(
    languages=["en", "ru", "fr"],
    language_names={"en": "English", "fr": "Français"},
    title={"en": "Logic", "ru": "Логика", "fr": "Logique"},
    translation_status={"en": "original", "ru": "draft", "fr": "draft"},
    metadata=[{"type": "start", "name": "start"}, {"type": "deviceid", "name": "deviceid"}],
    option_sets={
        "region": [{"value": "chui", "label": {"en": "Chui"}}, {"value": "osh", "label": {"en": "Osh"}}],
        "town": [
            {"value": "tokmok", "label": {"en": "Tokmok"}, "filter": {"region": "chui"}},
            {"value": 7, "label": {"en": "Osh"}, "filter": {"region": "osh"}},
        ],
    },
    sections=[
        {"id": "outer", "title": {"en": "Outer"}, "relevant": {"expression": "${age} >= 10"}},
        {"id": "inner", "parent": "outer", "appearance": "field-list"},
    ],
    items=[
        {
            "id": "age",
            "type": "integer",
            "text": {"en": "Age", "ru": "Возраст", "fr": "Âge"},
            "hint": {"en": "In years"},
            "required": True,
            "required_message": {"en": "Needed", "fr": "Requis"},
            "min": 5,
            "max": 18,
            "constraint": ". != 13",
            "constraint_message": {"en": "Not 13"},
        },
        {"id": "born", "type": "date", "text": {"en": "Born"}, "constraint": ". <= today()", "section": "outer"},
        {"id": "region", "type": "choice", "text": {"en": "Region"}, "options": "region", "section": "inner"},
        {
            "id": "town",
            "type": "choice",
            "text": {"en": "Town ${region}"},
            "options": "town",
            "choice_filter": "region = ${region}",
            "appearance": "minimal",
            "section": "inner",
        },
        {"id": "double", "type": "calculate", "calculation": "${age} * 2"},
        {"id": "shown", "type": "note", "text": {"en": "Twice: ${double}"}, "relevant": {"item": "age", "gte": 6}},
    ],
)
ROUND_TRIPS = {
    "reverse items": SELF_ESTEEM,
    "knowledge test": KNOWLEDGE_TEST,
    "screening with flags": SCREENING,
    "sections and multi": SECTIONS_AND_MULTI,
    "form logic (issue 16)": FORM_LOGIC,
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
    assert import_xlsform(buffer.getvalue())["items"][2]["relevant"] == {"expression": "${s1} = 1"}


# ---- refused files ------------------------------------------------------------------------------------------

UNSUPPORTED = "surveyapp supports note, integer, decimal, text, date, calculate, select_one, select_multiple and"


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        (
            [["begin repeat", "kids", "Дети", "Балдар"], ["text", "kid", "Имя", "Аты"], ["end repeat"]],
            "survey sheet, row 2, column 'type': repeats are not supported by surveyapp",
        ),
        ([["image", "photo", "Фото", "Сүрөт"]], "survey sheet, row 2, column 'type': media questions ('image')"),
        ([["audio", "a", "А", "А"]], "survey sheet, row 2, column 'type': media questions ('audio')"),
        ([["video", "v", "В", "В"]], "survey sheet, row 2, column 'type': media questions ('video')"),
        ([["file", "f", "Ф", "Ф"]], "survey sheet, row 2, column 'type': media questions ('file')"),
        ([["background-audio", "ba"]], "survey sheet, row 2, column 'type': media questions ('background-audio')"),
        ([["geopoint", "where", "Где?", "Кайда?"]], "survey sheet, row 2, column 'type': geo questions ('geopoint')"),
        ([["geotrace", "path", "Путь", "Жол"]], "survey sheet, row 2, column 'type': geo questions ('geotrace')"),
        ([["geoshape", "area", "Поле", "Талаа"]], "survey sheet, row 2, column 'type': geo questions ('geoshape')"),
        (
            [["select_one_from_file cities.csv", "city", "Город", "Шаар"]],
            "survey sheet, row 2, column 'type': external choices ('select_one_from_file cities.csv')",
        ),
        (
            [
                ["integer", "age", "Возраст", "Жашы"],
                ["calculate", "c", None, None, None, None, None, None, None, "pulldata('a', 'b', 'c', 'd')"],
            ],
            "survey sheet, row 3, column 'calculation': external data (pulldata()) is not supported by surveyapp",
        ),
        (
            [["select_one yesno", "q", "В", "С", None, None, None, None, "search('kids')"]],
            "survey sheet, row 2, column 'appearance': external data (search()) is not supported by surveyapp",
        ),
        (
            [["time", "when", "Когда?", "Качан?"]],
            f"survey sheet, row 2, column 'type': type 'time' is not supported; {UNSUPPORTED}",
        ),
        ([["barcode", "b", "Код", "Код"]], "survey sheet, row 2, column 'type': type 'barcode' is not supported"),
        ([["audit", "audit"]], "survey sheet, row 2, column 'type': type 'audit' is not supported"),
        (
            [["phonenumber", "phone"]],
            "survey sheet, row 2, column 'type': metadata 'phonenumber' is not supported by surveyapp (it keeps "
            "start, end, today, deviceid, username)",
        ),
        ([["text", "t", "Т", "Т", "maybe"]], "survey sheet, row 2, column 'required': expected yes or no, not 'maybe'"),
        (
            [["text", "вопрос", "Имя", "Аты"]],
            "survey sheet, row 2, column 'name': 'вопрос' is not a name surveyapp keeps (a letter or _, then letters, "
            "digits, _ . - in Latin script)",
        ),
        (
            [["select_one odd", "q", "В", "С"]],
            "choices sheet, row 4, column 'name': choice name '01' is neither a whole number nor a name",
        ),
        (
            [
                ["begin group", "g", "Г", "Г"],
                ["text", "t", "Т", "Т"],
                ["end group"],
                ["note", "n", "Н", "Н", None, None, None, None, None, None, "3"],
            ],
            "survey sheet, row 5, column 'default': surveyapp does not support this column",
        ),
        # pyxform's own refusals, in its words with the row
        ([["end group"]], "pyxform (which KoboToolbox and ODK use) refuses the form: row 2: Unmatched 'end_group'."),
        (
            [[None, "orphan", "Сирота", "Жетим"]],
            "pyxform (which KoboToolbox and ODK use) refuses the form: row 2: Question with no type.",
        ),
        (
            [["select_one sizes", "size", "Размер", "Өлчөм"]],
            "pyxform (which KoboToolbox and ODK use) refuses the form: row 2: List name not in choices sheet: sizes",
        ),
        (
            [["text", "t", "Т", "Т", None, "${nope} = 1"]],
            "pyxform (which KoboToolbox and ODK use) refuses the form: row 2: On the 'survey' sheet, the 'relevant' "
            "value is invalid. Reference variables must contain a name from the 'survey' sheet. Could not find the "
            "name 'nope'.",
        ),
    ],
)
def test_refuses_each_unsupported_feature_naming_sheet_row_and_column(rows, expected):
    header = [*SURVEY_HEADER, "choice_filter", "appearance", "calculation", "default"]
    choices = [*YES_NO, ["odd", "01", "Ноль один", "Нөл бир"]]
    content = xlsform([header, *rows], [CHOICES_HEADER, *choices])
    problems = problems_of(content)
    assert any(problem.startswith(expected) for problem in problems), problems


@pytest.mark.parametrize(
    ("sheet", "rows", "expected"),
    [
        ("entities", [["list_name", "label"], ["households", "${q}"]], "entities sheet: entities are not supported"),
        (
            "external_choices",
            [["list_name", "name", "label"], ["cities", "osh", "Ош"]],
            "external_choices sheet: external choices are not supported",
        ),
    ],
)
def test_refuses_a_sheet_of_an_unsupported_feature(sheet, rows, expected):
    workbook = Workbook()
    workbook.active.title = "survey"
    for row in [["type", "name", "label"], ["text", "q", "Вопрос"]]:
        workbook.active.append(row)
    for row in rows:
        workbook.create_sheet(sheet).append(row) if sheet not in workbook.sheetnames else workbook[sheet].append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    assert expected in problems_of(buffer.getvalue())[0]


def test_refuses_an_entity_save_to_column():
    content = xlsform(
        [["type", "name", "label", "save_to"], ["text", "q", "Вопрос", "q"]],
        settings=None,
    )
    assert any("entities" in problem for problem in problems_of(content))


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
        "expression": "(${s1} = 1 or ${s1} = 9) or (${s2} = 1 or ${s2} = 9)"
    }


def test_a_survey_with_label_in_named_languages_and_choices_with_a_plain_label_imports_without_a_crash():
    """The StopIteration of issue 16: pyxform reads the plain `label` of the choices as its default language, so
    the form has that language too (pyxform writes it in the XForm the same way)."""
    content = xlsform(
        [["type", "name", "label::English (en)"], ["select_one yesno", "q", "Question"]],
        [["list_name", "name", "label"], ["yesno", "1", "Yes"], ["yesno", "0", "No"]],
        settings=None,
    )
    imported = import_xlsform(content)
    assert (imported["languages"], imported["language_names"]) == (["en", "und"], {"und": "default"})
    assert imported["option_sets"]["yesno"][0] == {"value": 1, "label": {"und": "Yes"}}


def test_a_choice_without_a_label_is_refused_naming_its_row():
    content = xlsform(
        [["type", "name", "label::English (en)"], ["select_one yesno", "q", "Question"]],
        [["list_name", "name", "label::English (en)"], ["yesno", "1", "Yes"], ["yesno", "0"]],
        settings=None,
    )
    with pytest.raises(InvalidDefinition) as raised:
        draft_from_xlsform(content)
    assert raised.value.problems == [
        "choices sheet, row 3: option_sets.yesno[1].label: needs a text in at least one of the listed languages"
    ]


def test_xlsform_names_are_kept_as_written():
    imported = import_xlsform(small_form(["text", "Q1.childAge", "Имя", "Аты"], ["begin group", "G_1"], ["end group"]))
    assert imported["items"][0]["id"] == "Q1.childAge"


def test_collects_every_problem_of_the_form():
    content = xlsform(
        [SURVEY_HEADER, ["time", "c", "Ч", "Ч"], [], [None], ["geopoint", "g", "Г", "Г"]],
        settings=[["form_id", "version", "default_language"], ["bad_id", "v2", "ru"]],
    )
    assert problems_of(content) == [
        "settings sheet, row 2, column 'version': 'v2' is not a version such as 1.0",
        "survey sheet, row 2, column 'type': type 'time' is not supported; surveyapp supports note, integer, "
        "decimal, text, date, calculate, select_one, select_multiple and (nested) groups",
        "survey sheet, row 5, column 'type': geo questions ('geopoint') are not supported by surveyapp",
    ]


@pytest.mark.parametrize("content", [b"type,name,label\ntext,t,T\n", b"", b"PK\x03\x04 broken zip"])
def test_refuses_a_file_that_is_not_a_workbook(content):
    assert problems_of(content) == [
        "the file is not an .xlsx or .xls workbook, or it is damaged: save the XLSForm again from Excel"
    ]


def test_a_plain_label_column_with_named_ones_round_trips_with_the_plain_one_first():
    """pyxform reads a plain `label` after translated ones as the whole text: the export writes it first."""
    both = {"en": "Name", "und": "Аты"}
    data = definition(
        languages=["en", "und"],
        language_names={"und": "default"},
        title=both,
        translation_status={"en": "original", "und": "draft"},
        items=[{"id": "t", "type": "text", "text": both}],
    )
    parse_definition(data)
    exported = export_xlsform(data)
    assert sheet_rows(exported, "survey")[0][:4] == ("type", "name", "label", "label::English (en)")
    assert import_xlsform(exported) == data


def test_choice_columns_are_kept_as_filters_only_for_a_list_a_question_filters():
    content = xlsform(
        [["type", "name", "label", "choice_filter"], ["select_one a", "p", "P"], ["select_one b", "q", "Q", "x = 1"]],
        [["list_name", "name", "label", "x"], ["a", "1", "A1", "1"], ["b", "1", "B1", "1"], ["b", "2", "B2"]],
        settings=None,
    )
    assert problems_of(content) == [
        "choices sheet, row 2, column 'x': no question filters list 'a' with a choice_filter, and surveyapp keeps "
        "choice columns only for that"
    ]


def test_a_problem_of_the_instrument_names_the_row_of_its_question():
    content = small_form(["text", "t", "Т", "Т", None, "${later} = 1"], ["integer", "later", "П", "К"])
    with pytest.raises(InvalidDefinition) as raised:
        draft_from_xlsform(content)
    assert raised.value.problems[0].startswith("survey sheet, row 2 ('t'): items[0].relevant")


def test_settings_that_change_only_the_xform_or_its_sms_encoding_are_ignored_and_one_that_adds_a_choice_is_refused():
    """omit_instanceID, xml_root and the sms_* settings shape the XForm ODK Collect sends, not the questions; a form
    carrying them imports. add_none_option adds a "None" choice to every select_multiple: refused, never dropped."""
    harmless = [["form_title", "omit_instanceID", "xml_root", "sms_date_format"], ["Mood", "yes", "data", "%Y-%m-%d"]]
    survey = [["type", "name", "label"], ["text", "q", "Question"]]
    assert [item["id"] for item in import_xlsform(xlsform(survey, settings=harmless))["items"]] == ["q"]
    adds_a_choice = [["form_title", "add_none_option"], ["Mood", "yes"]]
    assert problems_of(xlsform(survey, settings=adds_a_choice)) == [
        "settings sheet, row 2, column 'add_none_option': this setting is not supported by surveyapp"
    ]
