"""The trainer's results page and the training report downloads: what they show, in which language, and to whom."""

import io

import pytest
from flask_babel import force_locale
from openpyxl import load_workbook
from sqlalchemy import select

from surveyapp.audit.models import AuditEvent
from surveyapp.auth.models import Role
from surveyapp.extensions import db
from surveyapp.trainings import result_tables
from surveyapp.trainings.results import training_result
from tests.reports.conftest import pdf_text

NAMES = ("Айгүл Өмүрова", "Бакыт Исаев", "Нурлан Жээнбеков", "Өмүр Ташиева")


@pytest.fixture
def own_training(held_training, login):
    """A training of the logged-in trainer, held as held_training (conftest.py) says."""
    return held_training(login(Role.TRAINER, "trainer-aigul"))


def results_page(client, training) -> str:
    response = client.get(f"/trainings/{training.id}/results")
    assert response.status_code == 200, response.text
    return response.text


def download(client, training, file_format: str, lang: str):
    response = client.get(f"/trainings/{training.id}/report?format={file_format}&lang={lang}")
    assert response.status_code == 200, response.text
    return response


def test_the_trainer_reads_each_participant_the_group_both_gains_and_the_questions(client, own_training):
    training, unlisted = own_training
    page = results_page(client, training)
    for name in NAMES:
        assert name in page
    assert unlisted in page and "not on the participant list" in page
    # Held training: 3 took both tests, 58.3% before and 83.3% after (+25 points), Hake's gain 0.6, mean of
    # individual gains 5/6 = 0.83 over 2 participants (test_results.py works them out).
    assert (
        "3 participants took both tests. Correct answers went from 58% before the training to 83% after it "
        "(+25.0 percentage points)." in page
    )
    assert "58.3%" in page and "83.3%" in page
    assert "Hake&#39;s gain (on the group&#39;s averages)</td><td>0.60" in page
    assert "Mean of individual gains</td><td>0.83 (2 participants)" in page
    assert "Too few participants took both tests for a statistical test: at least 6 are needed." in page
    assert "Hake&#39;s gain: the share of what the group did not know before that it learned" in page
    # Question 4 was not learned: 33% before and after.
    assert "Question 4 before</td><td>33%</td><td>33%</td><td>+0" in page
    assert '<img src="data:image/png;base64,' in page


def test_with_six_pairs_the_page_gives_both_paired_tests(client, login, six_pair_training):
    # t = sqrt(15) = 3.87, df 5, p = 0.0117; Wilcoxon p = 2/32 = 0.0625 (test_results.py works them out).
    page = results_page(client, six_pair_training(login(Role.TRAINER)))
    assert "Paired t-test</td><td>t = 3.87, df = 5, p = 0.012 (n = 6)" in page
    assert "Wilcoxon signed-rank test</td><td>p = 0.062 (n = 5 with a change; exact permutation (ties))" in page
    assert "Too few participants" not in page


def test_before_the_post_test_the_page_shows_the_test_before_and_waits_for_the_group_result(
    client, login, make_training, add_participant, take_test
):
    training = make_training(login(Role.TRAINER))
    take_test(training, "pre", add_participant(training, "Айгүл Өмүрова"), "RRW-")  # 2 of 4: 50%
    page = results_page(client, training)
    assert "Айгүл Өмүрова</td><td></td><td>" in page and "<td>50%</td><td>—</td>" in page
    assert "Nobody has taken both tests yet" in page
    assert "<img" not in page
    assert download(client, training, "pdf", "ky").data.startswith(b"%PDF")


def test_the_page_is_in_the_users_language(client, own_training):
    training, _unlisted = own_training
    client.post("/auth/language", data={"language": "ky", "next": "/"})
    page = results_page(client, training)
    assert "Окууга чейинки 1-суроо" in page and "Бала менен сүйлөшүү" in page


def test_each_view_and_download_of_the_names_is_audited(client, own_training):
    training, _unlisted = own_training
    results_page(client, training)
    download(client, training, "xlsx", "ru")
    events = db.session.execute(
        select(AuditEvent.action, AuditEvent.object_id, AuditEvent.details)
        .where(AuditEvent.object_type == "Training")
        .order_by(AuditEvent.id)
    ).all()
    assert [tuple(event) for event in events] == [
        ("view_training_results", str(training.id), {}),
        ("export_training_report", str(training.id), {"format": "xlsx", "language": "ru"}),
    ]


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.ADMIN, 200),
        (Role.COORDINATOR, 200),
        (Role.TRAINER, 403),
        (Role.PSYCHOLOGIST, 403),
        (Role.VIEWER, 403),
    ],
)
def test_only_the_trainer_and_the_managers_see_a_training(client, login, held_training, make_user, role, status):
    training, _unlisted = held_training(make_user(Role.TRAINER, "the-trainer")[0])
    login(role, "someone-else")  # a trainer, but not this training's
    assert client.get(f"/trainings/{training.id}/results").status_code == status
    assert client.get(f"/trainings/{training.id}/report?format=pdf&lang=en").status_code == status


def test_a_visitor_is_sent_to_log_in(client, held_training, make_user):
    training, _unlisted = held_training(make_user(Role.TRAINER)[0])
    response = client.get(f"/trainings/{training.id}/results")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


@pytest.mark.parametrize("query", ["format=doc&lang=en", "format=pdf&lang=de"])
def test_an_unknown_format_or_language_is_refused_with_the_choices(client, own_training, query):
    training, _unlisted = own_training
    response = client.get(f"/trainings/{training.id}/report?{query}")
    assert response.status_code == 422
    assert "Choose a PDF or XLSX file in Kyrgyz (ky), Russian (ru) or English (en)." in response.text


def test_an_unknown_training_is_not_found(client, login):
    login(Role.COORDINATOR)
    assert client.get("/trainings/999/results").status_code == 404


def test_a_training_without_its_tests_says_what_is_missing(client, login, make_training):
    training = make_training(login(Role.TRAINER))
    db.session.delete(training.post_session)
    db.session.commit()
    response = client.get(f"/trainings/{training.id}/results")
    assert response.status_code == 409
    assert "its pre-test session and its post-test session each need a knowledge test" in response.text


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "ky",
            [
                "Балдарга жаркын келечек",
                "Окууга чейинки 4-суроо",
                "Бала менен сүйлөшүү",
                "Билим тести (Окууга чейинки)",
                "Мэрия, балдарды коргоо бөлүмү",
                "Ош, мэриянын залы",
            ],
        ),
        ("ru", ["Светлое будущее для детей", "Вопрос 4 до обучения", "Разговор с ребёнком"]),
        (
            "en",
            [
                "A bright future for children",
                "Question 4 before",
                "Talking with a child",
                "Hake's gain",
                "Mean of individual gains",
                "November 20, 2026",
            ],
        ),
    ],
)
def test_the_pdf_report_has_the_training_the_list_the_gains_and_the_questions_in_the_chosen_language(
    client, own_training, lang, expected
):
    training, unlisted = own_training
    response = download(client, training, "pdf", lang)
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"] == (
        f"attachment; filename=training-2026-11-20-{training.id}-{lang}.pdf"
    )
    text = " ".join(pdf_text(response.data).split())
    for phrase in [*expected, *NAMES, unlisted, "Балдарды коргоо: окуу", "0.60" if lang == "en" else "0,60"]:
        assert phrase in text, phrase


@pytest.mark.parametrize("lang", ["ky", "ru", "en"])
def test_no_pdf_table_header_is_broken_inside_a_word(client, own_training, lang):
    training, _unlisted = own_training
    words = set(pdf_text(download(client, training, "pdf", lang).data).split())
    with client.application.test_request_context(), force_locale(lang):
        result = training_result(training)
        headers = [
            column
            for table in (
                result_tables.participant_table(result),
                result_tables.group_table(result),
                result_tables.question_table(result),
            )
            for column in table.columns
        ]
    for header in headers:
        for word in header.split():
            assert word in words, (header, word)


def test_the_xlsx_report_reads_back_with_numbers_as_numbers(client, own_training):
    training, unlisted = own_training
    book = load_workbook(io.BytesIO(download(client, training, "xlsx", "en").data))
    assert book.sheetnames == ["Training", "Participants", "Questions"]
    details = list(book["Training"].iter_rows(values_only=True))
    assert details[0][:4] == ("Training", "Date", "Place", "Trainer")
    assert details[1][:4] == ("Балдарды коргоо: окуу", "2026-11-20", "Ош, мэриянын залы", "trainer-aigul")
    group = {row[0]: row[1] for row in details[5:] if row and row[0]}
    assert group["Took both tests"] == 3
    assert group["Correct answers before (group average)"] == pytest.approx(175 / 3)
    assert group["Hake's gain (on the group's averages)"] == pytest.approx(0.6)
    assert group["Mean of individual gains"] == pytest.approx(5 / 6)
    participants = list(book["Participants"].iter_rows(values_only=True))
    assert participants[0] == ("Name", "Organisation", "Code", "Correct before (%)", "Correct after (%)")
    assert participants[1][0] == "Айгүл Өмүрова" and participants[1][3:] == (25, 75)
    assert participants[4][3:] == (25, None) and participants[5][:3] == (
        unlisted,
        "not on the participant list",
        unlisted,
    )
    questions = list(book["Questions"].iter_rows(values_only=True))
    assert questions[4][:3] == (4, "Talking with a child", "Question 4 before")
    assert questions[4][3:] == pytest.approx((100 / 3, 100 / 3, 0))


def test_a_name_typed_as_a_formula_stays_text_in_the_xlsx(client, own_training, add_participant):
    training, _unlisted = own_training
    add_participant(training, '=HYPERLINK("http://example.org","x")', "+1-2")
    book = load_workbook(io.BytesIO(download(client, training, "xlsx", "en").data))
    typed = book["Participants"]["A6"]  # after the four listed before it, before the unlisted code
    assert typed.value == '=HYPERLINK("http://example.org","x")' and typed.data_type == "s"
    assert book["Participants"]["B6"].value == "+1-2"
