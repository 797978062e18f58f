"""Hand-written XLSForms in the style of real KoboToolbox / ODK forms (issue 16), built as .xlsx (openpyxl) or .xls
(xlwt) by the tests, so that no opaque binary is committed. Each form is a dict sheet name -> rows (header first);
None is an empty cell."""

from __future__ import annotations

from io import BytesIO

import xlwt  # type: ignore[import-untyped]
from openpyxl import Workbook

Sheets = dict[str, list[list]]


def xlsx(sheets: Sheets) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xls(sheets: Sheets) -> bytes:
    """The same sheets as Excel 97-2003 writes them."""
    workbook = xlwt.Workbook(encoding="utf-8")
    for name, rows in sheets.items():
        sheet = workbook.add_sheet(name)
        for row_number, row in enumerate(rows):
            for column, value in enumerate(row):
                if value is not None:
                    sheet.write(row_number, column, value)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# A household form as Kobo's form builder exports it: metadata, named languages with codes, hints, required and
# constraint messages, nested groups, a cascading select, or_other, a date, calculates and ${} in labels.
HOUSEHOLD: Sheets = {
    "survey": [
        [
            "type",
            "name",
            "label::English (en)",
            "label::Français (fr)",
            "label::Кыргызча (ky)",
            "hint::English (en)",
            "hint::Français (fr)",
            "required",
            "required_message::English (en)",
            "relevant",
            "constraint",
            "constraint_message::English (en)",
            "constraint_message::Français (fr)",
            "choice_filter",
            "appearance",
            "calculation",
            "$kuid",
        ],
        ["start", "start"],
        ["end", "end"],
        ["today", "today"],
        ["deviceid", "deviceid"],
        ["username", "username"],
        ["note", "intro", "Welcome", "Bienvenue", "Кош келиңиз", None, None, "false"],
        [
            "select_one yes_no",
            "consent",
            "Do you agree to answer?",
            "Acceptez-vous de répondre ?",
            "Жооп берүүгө макулсузбу?",
            None,
            None,
            "yes",
            "Please answer",
            None,
            None,
            None,
            None,
            None,
            "horizontal",
        ],
        ["begin_group", "household", "Household", "Ménage", "Үй-бүлө", None, None, None, None, "${consent} = 'yes'"],
        [
            "integer",
            "hh_size",
            "How many people live here?",
            "Combien de personnes vivent ici ?",
            "Бул жерде канча адам жашайт?",
            "Count yourself too",
            "Comptez-vous aussi",
            "yes",
            None,
            None,
            ". > 0 and . < 24",
            "Between 1 and 23",
            "Entre 1 et 23",
        ],
        [
            "begin group",
            "place",
            "Place",
            "Lieu",
            "Жер",
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            "field-list",
        ],
        ["select_one county", "county", "County", "Comté", "Облус"],
        [
            "select_one city",
            "city",
            "City",
            "Ville",
            "Шаар",
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            "county=${county}",
            "minimal",
        ],
        ["end group", "place"],
        [
            "select_multiple assets or_other",
            "assets",
            "What does the household own?",
            "Que possède le ménage ?",
            "Үй-бүлөдө эмне бар?",
            None,
            None,
            None,
            None,
            None,
            "not(selected(., 'none') and count-selected(.) > 1)",
            "'None' goes alone",
        ],
        ["end group", "household"],
        [
            "date",
            "birth_date",
            "Your date of birth",
            "Votre date de naissance",
            "Туулган күнүңүз",
            None,
            None,
            "yes",
            None,
            None,
            ". <= today()",
            "Not in the future",
        ],
        [
            "calculate",
            "age_years",
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            "int((today() - ${birth_date}) div 365.25)",
        ],
        [
            "calculate",
            "adult",
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            "if(${age_years} >= 18, 'yes', 'no')",
        ],
        [
            "note",
            "summary",
            "You are ${age_years}; ${hh_size} people",
            "Vous avez ${age_years} ans",
            "Сиз ${age_years} жаштасыз",
        ],
        [
            "text",
            "comments",
            "Anything else?",
            "Autre chose ?",
            "Дагы эмне?",
            None,
            None,
            None,
            None,
            "${adult} = 'yes'",
            None,
            None,
            None,
            None,
            "multiline",
        ],
    ],
    "choices": [
        ["list_name", "name", "label::English (en)", "label::Français (fr)", "label::Кыргызча (ky)", "county"],
        ["yes_no", "yes", "Yes", "Oui", "Ооба"],
        ["yes_no", "no", "No", "Non", "Жок"],
        ["county", "chui", "Chui", "Tchouï", "Чүй"],
        ["county", "osh", "Osh", "Och", "Ош"],
        ["city", "bishkek", "Bishkek", "Bichkek", "Бишкек", "chui"],
        ["city", "tokmok", "Tokmok", "Tokmok", "Токмок", "chui"],
        ["city", "osh_city", "Osh", "Och", "Ош", "osh"],
        ["assets", "radio", "Radio", "Radio", "Радио"],
        ["assets", "bicycle", "Bicycle", "Vélo", "Велосипед"],
        ["assets", "none", "None", "Aucun", "Эч нерсе"],
    ],
    "settings": [["form_title", "form_id", "version"], ["Household survey", "household_2024", "3"]],
}

# The spellings pyxform accepts that an earlier importer refused (issue 16): `label:English` with one colon,
# `select one from`, `select all that apply from`, `int`, `string`, `bind:relevant`, `required` false on a note,
# `table-list`, languages named without a code; no form_id and no default_language. Written as .xls.
SPELLINGS: Sheets = {
    "survey": [
        ["type", "name", "label:English", "label:Russian", "bind:relevant", "required", "appearance", "hint:English"],
        ["note", "hello", "Hello", "Здравствуйте", None, "false"],
        ["begin group", "grid", "Grid", "Таблица", None, None, "table-list"],
        ["select one from agree", "calm", "I feel calm", "Я спокоен", None, "yes", None, "Choose one"],
        ["select one from agree", "rested", "I feel rested", "Я отдохнул"],
        ["end group"],
        ["select all that apply from worries", "worries", "What worries you?", "Что вас беспокоит?"],
        ["int", "hours", "Hours of sleep", "Часы сна", "selected(${worries}, 'sleep')"],
        ["string", "other", "Anything else?", "Что-то ещё?", "${hours} < 6 or ${calm} = 3"],
    ],
    "choices": [
        ["list name", "name", "label:English", "label:Russian"],
        ["agree", "1", "Not at all", "Совсем нет"],
        ["agree", "2", "Somewhat", "Отчасти"],
        ["agree", "3", "Very", "Очень"],
        ["worries", "school", "School", "Школа"],
        ["worries", "sleep", "Sleep", "Сон"],
        ["worries", "family", "Family", "Семья"],
    ],
    "settings": [["form_title"], ["Mood check"]],
}

# A school questionnaire written in Russian and Kyrgyz by a local NGO: language names without codes in the
# languages' own words, numeric choices with a "refused" code, a plain `label` column as the default language.
SCHOOL: Sheets = {
    "survey": [
        [
            "type",
            "name",
            "label",
            "label::Кыргызча",
            "hint",
            "hint::Кыргызча",
            "required",
            "relevant",
            "constraint",
            "constraint_message",
            "constraint_message::Кыргызча",
        ],
        [
            "integer",
            "grade",
            "В каком ты классе?",
            "Канчанчы класста окуйсуң?",
            "От 1 до 11",
            "1ден 11ге чейин",
            "yes",
            None,
            ". >= 1 and . <= 11",
            "От 1 до 11",
            "1ден 11ге чейин",
        ],
        ["select_one often", "bullied", "Тебя обижали в школе?", "Мектепте сени капа кылышканбы?", None, None, "yes"],
        [
            "select_multiple where",
            "where",
            "Где это было?",
            "Бул кайда болду?",
            None,
            None,
            None,
            "${bullied} = 1 or ${bullied} = 2",
        ],
        [
            "decimal",
            "distance",
            "Сколько км до школы?",
            "Мектепке чейин канча км?",
            None,
            None,
            None,
            None,
            ". >= 0 and . <= 50.5",
        ],
    ],
    "choices": [
        ["list_name", "name", "label", "label::Кыргызча"],
        ["often", "0", "Никогда", "Эч качан"],
        ["often", "1", "Иногда", "Кээде"],
        ["often", "2", "Часто", "Көп"],
        ["often", "-99", "Не хочу отвечать", "Жооп бергим келбейт"],
        ["where", "1", "В классе", "Класста"],
        ["where", "2", "Во дворе", "Короодо"],
        ["where", "3", "В интернете", "Интернетте"],
    ],
    "settings": [["form_title", "form_id", "version", "default_language"], ["Школа", "school", "1.2", "Русский"]],
}

FORMS = {"household (.xlsx)": (HOUSEHOLD, xlsx), "spellings (.xls)": (SPELLINGS, xls), "school (.xlsx)": (SCHOOL, xlsx)}
