"""Issue 16's required parts for the XLSForm import: hand-written forms in the style of real ones (several languages
with names and codes, text choice names, .xls and .xlsx, groups in groups, a cascading select, calculates,
constraints with messages, hints, or_other, metadata) - pyxform accepts each, surveyapp imports each, and the form
exported again converts with pyxform to the same questions, choices, languages, relevance and constraints."""

from __future__ import annotations

import re
from io import BytesIO
from pathlib import Path

import pytest
import yaml
from pyxform import aliases
from pyxform.question_type_dictionary import QUESTION_TYPE_DICT
from pyxform.xls2json import workbook_to_json
from pyxform.xls2json_backends import get_xlsform
from pyxform.xls2xform import convert

from surveyapp.definitions.documents import parse_definition
from surveyapp.instruments.workbook_limits import OLE2_MAGIC
from surveyapp.instruments.xlsform import export_xlsform, import_xlsform
from tests.instruments.xlsforms import FORMS, HOUSEHOLD, SPELLINGS, xls, xlsx

LIBRARY = sorted((Path(__file__).parents[2] / "surveyapp" / "instruments" / "library").glob("*.yaml"))
GENERATED_NAME = re.compile(r"^(generated_table_list_label_|reserved_name_for_field_list_labels_)\d+$")
PARENT_REFERENCE = re.compile(r"\.\./([A-Za-z_][\w.-]*)")


def file_type(content: bytes) -> str:
    return ".xls" if content.startswith(OLE2_MAGIC) else ".xlsx"


def pyxform_form(content: bytes) -> dict:
    return workbook_to_json(get_xlsform(BytesIO(content), file_type=file_type(content)), warnings=[])


def what_pyxform_makes_of(content: bytes) -> dict:
    """The form as pyxform reads it, in the terms that decide what ODK and Kobo ask and store: each question's
    path, kind, texts in every language, required, relevance, constraint, calculation, choice filter, appearance
    and choices; and the languages. Spellings that mean the same are made equal: `int` and `integer` (the same
    XForm type), `yes` and `true()`, `../name` (pyxform's or_other) and `${name}`, a text without a language (shown
    in every language) and the same text in each, names pyxform numbers by row (table-list)."""
    form = pyxform_form(content)
    languages = sorted({name for text in texts(form) if isinstance(text, dict) for name in text})
    return {"languages": languages, "questions": questions(form.get("children", []), "", languages)}


def texts(parent: dict) -> list:
    found: list = []
    for element in parent.get("children", []):
        found += [element[key] for key in ("label", "hint") if key in element]
        found += [value for key, value in element.get("bind", {}).items() if key.endswith("Msg")]
        found += [choice.get("label") for choice in element.get("choices", [])]
        found += texts(element)
    return found


def questions(children: list[dict], path: str, languages: list[str]) -> list[dict]:
    found = []
    for element in children:
        name = "<generated>" if GENERATED_NAME.match(element["name"]) else element["name"]
        bind = element.get("bind", {})
        found.append(
            {
                "path": path + name,
                "kind": kind(element["type"]),
                "label": in_languages(element.get("label"), languages),
                "hint": in_languages(element.get("hint"), languages),
                "required": aliases.yes_no.get(bind.get("required", "no"), bind.get("required")),
                "required_message": in_languages(bind.get("jr:requiredMsg"), languages),
                "relevant": expression(bind.get("relevant")),
                "constraint": expression(bind.get("constraint")),
                "constraint_message": in_languages(bind.get("jr:constraintMsg"), languages),
                "calculation": expression(bind.get("calculate")),
                "choice_filter": element.get("choice_filter"),
                "appearance": element.get("control", {}).get("appearance"),
                "choices": [
                    {**choice, "label": in_languages(choice.get("label"), languages)}
                    for choice in element.get("choices", [])
                ],
            }
        )
        found += questions(element.get("children", []), f"{path}{name}/", languages)
    return found


def kind(pyxform_type: str) -> object:
    spec = QUESTION_TYPE_DICT.get(pyxform_type)
    return pyxform_type if spec is None else (spec.get("bind"), spec.get("control"))


def in_languages(text: object, languages: list[str]) -> dict | None:
    if text is None:
        return None
    if isinstance(text, dict):
        return {language: value for language, value in text.items() if value}
    return {language: text for language in languages or ["default"]}


def expression(text: str | None) -> str | None:
    return None if text is None else " ".join(PARENT_REFERENCE.sub(r"${\1}", text).split())


@pytest.mark.parametrize(("sheets", "write"), FORMS.values(), ids=FORMS.keys())
def test_pyxform_accepts_each_hand_written_form(sheets, write):
    content = write(sheets)
    assert "<h:html" in convert(content, file_type=file_type(content)).xform


@pytest.mark.parametrize(("sheets", "write"), FORMS.values(), ids=FORMS.keys())
def test_surveyapp_imports_each_form_as_a_valid_definition(sheets, write):
    parse_definition(import_xlsform(write(sheets)))


@pytest.mark.parametrize(("sheets", "write"), FORMS.values(), ids=FORMS.keys())
def test_each_form_exported_again_is_the_same_form_for_pyxform(sheets, write):
    content = write(sheets)
    exported = export_xlsform(import_xlsform(content))
    assert "<h:html" in convert(exported, file_type=".xlsx").xform
    assert what_pyxform_makes_of(exported) == what_pyxform_makes_of(content)


@pytest.mark.parametrize(("sheets", "write"), FORMS.values(), ids=FORMS.keys())
def test_each_form_imported_from_its_export_is_the_same_definition(sheets, write):
    imported = import_xlsform(write(sheets))
    assert import_xlsform(export_xlsform(imported)) == imported


def test_the_comparison_after_pyxform_sees_a_changed_constraint():
    """The round-trip check itself: it is not blind to a change."""
    changed = {**HOUSEHOLD, "survey": [list(row) for row in HOUSEHOLD["survey"]]}
    changed["survey"][9][10] = ". > 0 and . < 25"
    assert what_pyxform_makes_of(xlsx(changed)) != what_pyxform_makes_of(xlsx(HOUSEHOLD))


@pytest.mark.parametrize("path", LIBRARY, ids=[path.stem for path in LIBRARY])
def test_pyxform_accepts_the_export_of_every_shipped_instrument(path):
    exported = export_xlsform(yaml.safe_load(path.read_text(encoding="utf-8")))
    assert "<h:html" in convert(exported, file_type=".xlsx").xform


# ---- what the household form becomes ---------------------------------------------------------------------------

EN_FR_KY = ("en", "fr", "ky")


def trilingual(english: str, french: str, kyrgyz: str) -> dict[str, str]:
    return dict(zip(EN_FR_KY, (english, french, kyrgyz)))


@pytest.fixture(scope="module")
def household() -> dict:
    return import_xlsform(xlsx(HOUSEHOLD))


def item(data: dict, item_id: str) -> dict:
    return next(found for found in data["items"] if found["id"] == item_id)


def test_household_languages_keep_their_names_and_metadata_is_kept(household):
    assert household["languages"] == ["en", "fr", "ky"]
    assert household["language_names"] == {"fr": "Français (fr)", "ky": "Кыргызча (ky)"}
    assert household["metadata"] == [
        {"type": "start", "name": "start"},
        {"type": "end", "name": "end"},
        {"type": "today", "name": "today"},
        {"type": "deviceid", "name": "deviceid"},
        {"type": "username", "name": "username"},
    ]
    assert (household["id"], household["version"], household["title"]["fr"]) == (
        "household_2024",
        "3",
        "Household survey",
    )


def test_household_groups_in_groups_are_sections_with_parents(household):
    assert household["sections"] == [
        {
            "id": "household",
            "title": trilingual("Household", "Ménage", "Үй-бүлө"),
            "relevant": {"expression": "${consent} = 'yes'"},
        },
        {"id": "place", "title": trilingual("Place", "Lieu", "Жер"), "parent": "household", "appearance": "field-list"},
    ]
    assert [(found["id"], found.get("section")) for found in household["items"]][1:6] == [
        ("consent", None),
        ("hh_size", "household"),
        ("county", "place"),
        ("city", "place"),
        ("assets", "household"),
    ]


def test_household_text_choice_names_and_the_cascading_select(household):
    assert household["option_sets"]["yes_no"] == [
        {"value": "yes", "label": trilingual("Yes", "Oui", "Ооба")},
        {"value": "no", "label": trilingual("No", "Non", "Жок")},
    ]
    city = item(household, "city")
    assert (city["options"], city["choice_filter"], city["appearance"]) == ("city", "county=${county}", "minimal")
    assert household["option_sets"]["city"][2] == {
        "value": "osh_city",
        "label": trilingual("Osh", "Och", "Ош"),
        "filter": {"county": "osh"},
    }


def test_household_hints_constraints_and_messages(household):
    assert item(household, "hh_size") == {
        "id": "hh_size",
        "type": "integer",
        "text": trilingual(
            "How many people live here?", "Combien de personnes vivent ici ?", "Бул жерде канча адам жашайт?"
        ),
        "hint": {"en": "Count yourself too", "fr": "Comptez-vous aussi"},
        "required": True,
        "constraint": ". > 0 and . < 24",
        "constraint_message": {"en": "Between 1 and 23", "fr": "Entre 1 et 23"},
        "section": "household",
    }
    assert item(household, "consent")["required_message"] == {"en": "Please answer"}
    assert "required" not in item(household, "intro")  # required "false" on a note


def test_household_or_other_as_pyxform_expands_it(household):
    assert household["option_sets"]["assets"][-1] == {"value": "other", "label": trilingual("Other", "Other", "Other")}
    assert item(household, "assets_other") == {
        "id": "assets_other",
        "type": "text",
        "text": trilingual("Specify other.", "Specify other.", "Specify other."),
        "relevant": {"expression": "selected(${assets}, 'other')"},
        "section": "household",
    }


def test_household_dates_calculates_and_references_in_labels(household):
    assert item(household, "birth_date")["type"] == "date"
    assert item(household, "age_years") == {
        "id": "age_years",
        "type": "calculate",
        "calculation": "int((today() - ${birth_date}) div 365.25)",
    }
    assert item(household, "summary")["text"]["en"] == "You are ${age_years}; ${hh_size} people"
    assert item(household, "comments")["relevant"] == {"expression": "${adult} = 'yes'"}


def test_the_spellings_of_issue_16_are_read_as_pyxform_reads_them():
    imported = import_xlsform(xls(SPELLINGS))
    assert (imported["id"], imported["languages"], imported["language_names"]) == (
        "mood_check",
        ["en", "ru"],
        {"en": "English", "ru": "Russian"},
    )
    assert [(found["id"], found["type"]) for found in imported["items"]] == [
        ("hello", "note"),
        ("calm", "choice"),
        ("rested", "choice"),
        ("worries", "multi"),
        ("hours", "integer"),
        ("other", "text"),
    ]
    assert imported["sections"] == [
        {"id": "grid", "title": {"en": "Grid", "ru": "Таблица"}, "appearance": "table-list"}
    ]
    assert item(imported, "hours")["relevant"] == {"expression": "selected(${worries}, 'sleep')"}
    assert item(imported, "calm")["hint"] == {"en": "Choose one"}
    assert "appearance" not in item(imported, "calm")  # pyxform's list-nolabel for the table is not the author's
