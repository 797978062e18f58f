"""The words staff read for the data: respondent kinds, questionnaire titles with their version, and the scales
and score bands by the names the instrument file gives them, in the reader's language - never the codes
("parent", "asq 1.0", "low")."""

import uuid

import pytest
import yaml
from flask_babel import force_locale

from surveyapp.auth.models import Role
from surveyapp.definitions.documents import parse_definition
from surveyapp.extensions import db
from surveyapp.i18n import band_label, scale_label
from surveyapp.instruments.services import LIBRARY_DIR
from surveyapp.respondents.labels import kind_count, kind_label
from tests.factories import mood_instrument

RSES = parse_definition(yaml.safe_load((LIBRARY_DIR / "rses-1.0.yaml").read_text(encoding="utf-8")))


@pytest.mark.parametrize(
    ("language", "child", "staff", "parent"),
    [
        ("en", "Child", "Staff member", "Parent or guardian"),
        ("ky", "Бала", "Кызматкер", "Ата-эне же камкорчу"),  # the catalogs' words
        ("ru", "Ребёнок", "Сотрудник", "Родитель или опекун"),
    ],
)
def test_respondent_kinds_are_named_in_the_language(app_context, language, child, staff, parent):
    with force_locale(language):
        assert (kind_label("child"), kind_label("staff"), kind_label("parent")) == (child, staff, parent)


def test_a_number_of_people_takes_the_plural_form(app_context):
    with force_locale("en"):
        assert [
            kind_count("child", 1),
            kind_count("child", 500),
            kind_count("staff", 25),
            kind_count("parent", 100),
        ] == ["1 child", "500 children", "25 staff members", "100 parents or guardians"]


@pytest.mark.parametrize(
    ("language", "band", "scale"),
    [
        # rses-1.0.yaml, scale "total", band "low"
        ("ky", "Төмөн (15тен аз; шарттуу чек, автордун чеги эмес)", "Өзүн-өзү баалоо (жалпы упай)"),
        ("ru", "Низкая (меньше 15; условная граница, не авторская)", "Самооценка (общий балл)"),
        ("en", "Low (below 15; a convention, not an author cut-off)", "Self-esteem (total)"),
    ],
)
def test_bands_and_scales_are_named_by_the_instrument_file(app_context, language, band, scale):
    with force_locale(language):
        assert band_label(RSES, "total", "low") == band
        assert scale_label(RSES, "total") == scale


def test_an_unknown_band_or_scale_keeps_its_code(app_context):
    with force_locale("en"):
        assert band_label(RSES, "total", "very_low") == "very_low"
        assert band_label(RSES, "nonexistent", "low") == "low"
        assert scale_label(RSES, "nonexistent") == "nonexistent"


def test_a_version_is_named_by_its_title_and_its_version_number(app, publish):
    version = publish(mood_instrument("2.1"))
    for language, label in (("en", "Mood check (2.1)"), ("ru", "Mood check (ru) (2.1)")):
        with force_locale(language):
            assert version.label == label
            assert version.instrument.title == label.removesuffix(" (2.1)")


def test_a_submission_reads_in_the_staff_members_language(client, login, publish, make_session, make_respondent):
    coordinator = login(Role.COORDINATOR)
    coordinator.language = "ru"
    db.session.commit()
    session = make_session([publish(mood_instrument())])
    client.post(
        "/api/submissions",
        json={
            "uuid": str(uuid.uuid4()),
            "join_code": session.join_code,
            "respondent_code": make_respondent().code,
            "instrument": "mood",
            "version": "1.0",
            "language": "ru",
            "assent": True,
            "answers": {"m1": 0, "m2": 3, "m3": 0, "m4": 1, "worry": 0},
        },
    )
    page = client.get("/submissions/1").text
    # Sum 0 + (3 - 3) + 0 + 1 = 1 <= 5: band "low", shown by the file's Russian label.
    assert "Mood check (ru) (1.0)" in page and "<td>Mood (ru)</td>" in page and "<td>Low (ru)</td>" in page
    assert "<td>total</td>" not in page and "<td>low</td>" not in page
