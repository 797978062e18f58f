"""Joining a session at the kiosk: the trainer's live list of who joined (once per person, never an error on a
repeat or a race), a respondent of the wrong kind is refused, the QR link fills in the code, and a
training's post-test opens only when the trainer starts it."""

import re
import threading
from datetime import date

import pytest
from sqlalchemy import event, func, select

from surveyapp.extensions import db
from surveyapp.respondents.models import RespondentKind
from surveyapp.responses.models import Submission
from surveyapp.sessions.models import SessionJoin, SurveySession, Wave
from surveyapp.trainings.models import Training
from tests.factories import knowledge_instrument
from tests.responses.test_api import NOT_ACCEPTED
from tests.responses.test_consent import QUIZ_ANSWERS, answer_without_scripts
from tests.responses.test_kiosk import give_assent, join
from tests.responses.test_kiosk_devices import set_up_tablet


def joins() -> list[tuple[int, int]]:
    db.session.rollback()
    return list(db.session.execute(select(SessionJoin.session_id, SessionJoin.respondent_id)))


def test_a_join_is_noted_once_for_the_trainers_live_list(client, session_for, make_respondent):
    session, member = session_for(RespondentKind.STAFF), make_respondent(RespondentKind.STAFF)
    assert join(client, session, member).status_code == 302
    first_joined_at = db.session.scalar(select(SessionJoin.joined_at))
    assert join(client, session, member).status_code == 302  # back at the join page, e.g. after "start over"
    assert joins() == [(session.id, member.id)]
    assert db.session.scalar(select(SessionJoin.joined_at)) == first_joined_at


def test_two_joins_of_one_person_at_the_same_moment_are_noted_once_without_an_error(
    app, client, session_for, make_respondent
):
    """Two taps on two devices: the other join commits between this one's look-ups and its insert."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite runs one writer at a time (BEGIN IMMEDIATE): the two requests cannot interleave")
    session, member = session_for(RespondentKind.STAFF), make_respondent(RespondentKind.STAFF)
    other_replies = []
    this_thread = threading.get_ident()

    def other_join() -> None:
        other_replies.append(join(app.test_client(), session, member))

    def other_commits_before_this_insert(_conn, _cursor, statement, *_args) -> None:
        if (
            threading.get_ident() == this_thread
            and statement.startswith("INSERT INTO session_join")
            and not other_replies
        ):
            other = threading.Thread(target=other_join)
            other.start()
            other.join()

    event.listen(db.engine, "before_cursor_execute", other_commits_before_this_insert)
    try:
        reply = join(client, session, member)
    finally:
        event.remove(db.engine, "before_cursor_execute", other_commits_before_this_insert)
    assert [r.status_code for r in other_replies] == [302] and reply.status_code == 302
    assert reply.headers["Location"].endswith("/kiosk/assent")
    assert joins() == [(session.id, member.id)]


@pytest.mark.parametrize(
    ("session_kind", "respondent_kind"),
    [
        (RespondentKind.PARENT, RespondentKind.STAFF),
        (RespondentKind.STAFF, RespondentKind.PARENT),
        (RespondentKind.STAFF, RespondentKind.CHILD),
        (RespondentKind.CHILD, RespondentKind.PARENT),
    ],
)
def test_a_respondent_of_another_kind_is_refused(client, session_for, make_respondent, session_kind, respondent_kind):
    response = join(client, session_for(session_kind), make_respondent(respondent_kind), language="en")
    assert response.status_code == 403
    assert f'<div class="error-box" role="alert">{NOT_ACCEPTED["en"]}</div>' in response.text
    assert joins() == []
    assert client.get("/kiosk/assent").headers["Location"].endswith("/kiosk/")


def test_the_qr_link_fills_in_the_sessions_code(client):
    assert re.search(r'<input [^>]*name="join_code" [^>]*value="482913">', client.get("/kiosk/?code=482913").text)
    assert re.search(r'<input [^>]*name="join_code" [^>]*value="">', client.get("/kiosk/").text)


def test_a_tablet_set_up_for_the_session_notes_the_join_too(client, login, session_for, make_respondent):
    session, member = session_for(RespondentKind.STAFF), make_respondent(RespondentKind.STAFF)
    set_up_tablet(client, login, session)
    response = client.post("/kiosk/", data={"respondent_code": member.code})
    assert response.headers["Location"].endswith("/kiosk/assent")
    assert joins() == [(session.id, member.id)]


@pytest.fixture
def training(publish, make_session) -> Training:
    """A staff training: the pre-test open, the post-test closed until the trainer starts it."""
    training = Training(
        title="Child protection for staff",
        respondent_kind=RespondentKind.STAFF,
        held_on=date(2026, 12, 3),
        place="Mayor's office, Osh",
    )
    db.session.add(training)
    pre_version, post_version = publish(knowledge_instrument()), publish({**knowledge_instrument(), "id": "post_quiz"})
    for version, wave, is_open in ((pre_version, Wave.BASELINE, True), (post_version, Wave.POST, False)):
        session = make_session([version], wave=wave, is_open=is_open)
        session.training, session.respondent_kind = training, RespondentKind.STAFF
    db.session.commit()
    return training


def test_a_participant_takes_the_pre_test_then_the_post_test_once_the_trainer_starts_it(
    client, training, make_respondent
):
    member = make_respondent(RespondentKind.STAFF)
    pre, post = training.pre_session, training.post_session
    join(client, pre, member, language="en")
    give_assent(client)
    assert "Quiz" in client.get("/kiosk/questionnaire").text
    answer_without_scripts(client, QUIZ_ANSWERS)

    too_early = join(client, post, member, language="en")
    assert too_early.status_code == 409 and "This session is closed" in too_early.text
    db.session.get(SurveySession, post.id).reopen()
    db.session.commit()
    assert join(client, post, member, language="en").headers["Location"].endswith("/kiosk/assent")
    give_assent(client)
    answer_without_scripts(client, QUIZ_ANSWERS)

    stored = db.session.execute(select(Submission.session_id, Submission.consent_text).order_by(Submission.id)).all()
    assert stored == [(pre.id, "adult_consent-1"), (post.id, "adult_consent-1")]
    assert sorted(joins()) == sorted([(pre.id, member.id), (post.id, member.id)])
    assert db.session.scalar(select(func.count(Submission.id))) == 2
