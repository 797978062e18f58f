"""Each list page issues as many SQL statements with 30 rows as with 3: an N+1 query comes back as a failing test.

Every case builds its page's rows at the small size, views the page once (so that anything a process loads once
is loaded), counts the statements of a second view (with the page's own cache emptied, if it has one), grows the
rows to the large size and does the same again.
"""

import re
import uuid
from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy import select

from surveyapp.activities.models import Activity
from surveyapp.alerts import services as alerts
from surveyapp.alerts.models import ActionKind, Alert
from surveyapp.auth.models import Role
from surveyapp.auth.services import create_user
from surveyapp.db import utc_now
from surveyapp.extensions import db
from surveyapp.respondents import services as respondents
from surveyapp.respondents.models import RespondentKind
from surveyapp.responses.queries import RELIABILITY_CACHE_KEY
from surveyapp.responses.services import SubmissionRequest, record_submission
from surveyapp.sessions.models import Wave
from surveyapp.sessions.services import plan_session
from surveyapp.trainings.models import Training, TrainingParticipant
from tests.factories import knowledge_instrument, mood_instrument
from tests.statements import counted_statements

SMALL, LARGE = 3, 30
"""Both within one page of every list (the shortest pages hold 30 rows)."""

CALM = {"m1": 2, "m2": 1, "m3": 2, "m4": 2, "worry": 0}
WORRIED_NOW = {**CALM, "worry": 1, "worry_now": 1}
"""The mood test instrument (tests/factories.py): worry_now = yes raises an acute alert."""


def statements_of(app, client, url: str, cache_key: str | None = None) -> list[str]:
    """The statements of one view of the page, made in an application context of its own (as in production), so
    that it starts with an empty identity map instead of the test's objects."""
    app.extensions.pop(cache_key, None)
    with app.app_context(), counted_statements() as statements:
        response = client.get(url)
    assert response.status_code == 200, response.text
    return statements


@dataclass
class Rows:
    """What a case made: its page's address, and how to add the page's rows up to a count."""

    url: str
    grow_to: object
    cache_key: str | None = None
    """A per-process cache (in app.extensions) emptied before each counted view, to count the page's work."""


@dataclass
class Fixtures:
    """The factory fixtures of tests/conftest.py that the cases build their rows with."""

    login: object
    publish: object
    make_session: object
    make_respondent: object


def submit(session, respondent, answers: dict, instrument: str = "mood") -> None:
    """Store answers through the intake's service, scored and with their alert, as from a tablet."""
    record_submission(
        SubmissionRequest(
            client_uuid=uuid.uuid4(),
            join_code=session.join_code,
            respondent_code=respondent.code,
            instrument=instrument,
            version="1.0",
            language="ru",
            answers=answers,
            has_assent=True,
        )
    )
    db.session.commit()


def growing(add_one):
    """grow_to(n): call ``add_one(i)`` for each row not made yet, then commit."""
    made = []

    def grow_to(count: int) -> None:
        for index in range(len(made), count):
            made.append(add_one(index))
        db.session.commit()

    return grow_to


def sessions_list(fixtures) -> Rows:
    fixtures.login(Role.COORDINATOR)
    version = fixtures.publish(mood_instrument())
    return Rows("/sessions/", growing(lambda _index: fixtures.make_session([version])))


def session_page(fixtures) -> Rows:
    fixtures.login(Role.COORDINATOR)
    session = fixtures.make_session([fixtures.publish(mood_instrument())])
    return Rows(f"/sessions/{session.id}", growing(lambda _index: submit(session, fixtures.make_respondent(), CALM)))


def reliability_page(fixtures) -> Rows:
    """Cronbach's alpha over every answer set of the session, read in one statement however many there are."""
    fixtures.login(Role.COORDINATOR)
    session = fixtures.make_session([fixtures.publish(mood_instrument())])
    return Rows(
        f"/sessions/{session.id}/reliability",
        growing(lambda _index: submit(session, fixtures.make_respondent(), CALM)),
        RELIABILITY_CACHE_KEY,
    )


def users_list(fixtures) -> Rows:
    fixtures.login(Role.ADMIN)
    return Rows("/users/", growing(lambda index: create_user(f"user-{index}", Role.TRAINER)))


def respondents_list(fixtures) -> Rows:
    fixtures.login(Role.COORDINATOR)
    return Rows("/respondents/", growing(lambda _index: fixtures.make_respondent()))


def alert_inbox(fixtures) -> Rows:
    fixtures.login(Role.PSYCHOLOGIST)
    session = fixtures.make_session([fixtures.publish(mood_instrument())])
    return Rows("/alerts/", growing(lambda _index: submit(session, fixtures.make_respondent(), WORRIED_NOW)))


def alert_page(fixtures) -> Rows:
    """One alert, acknowledged, with more and more actions recorded on it."""
    psychologist = fixtures.login(Role.PSYCHOLOGIST)
    session = fixtures.make_session([fixtures.publish(mood_instrument())])
    submit(session, fixtures.make_respondent(), WORRIED_NOW)
    alert = db.session.scalar(select(Alert))
    alerts.acknowledge(alert, psychologist, utc_now())
    db.session.commit()
    return Rows(
        f"/alerts/{alert.id}",
        growing(lambda index: alerts.record_action(alert, psychologist, ActionKind.NOTE, f"Note {index}", utc_now())),
    )


def _training(trainer, version, title: str = "Training") -> Training:
    """A staff training with its pre-test and post-test sessions."""
    training = Training(
        title=title,
        respondent_kind=RespondentKind.STAFF,
        held_on=date(2026, 11, 20),
        place="Osh",
        trainer_id=trainer.id,
    )
    db.session.add(training)
    db.session.flush()
    for wave in (Wave.BASELINE, Wave.POST):
        session = plan_session(
            title=f"{title} ({wave})",
            held_on=training.held_on,
            place=training.place,
            wave=wave,
            territory_id=None,
            trainer_id=trainer.id,
            instrument_version_ids=[version.id],
        )
        session.training_id = training.id
    return training


def _participant(training: Training, index: int) -> TrainingParticipant:
    participant = TrainingParticipant(
        training=training,
        name=f"Participant {index}",
        respondent=respondents.register(RespondentKind.STAFF, None, None, None),
    )
    db.session.add(participant)
    return participant


def trainings_list(fixtures) -> Rows:
    """Trainings of one trainer, each with a participant."""
    trainer = fixtures.login(Role.TRAINER)
    version = fixtures.publish(knowledge_instrument())
    return Rows(
        "/trainings/", growing(lambda index: _participant(_training(trainer, version, f"Training {index}"), index))
    )


def training_page(fixtures) -> Rows:
    trainer = fixtures.login(Role.TRAINER)
    training = _training(trainer, fixtures.publish(knowledge_instrument()))
    db.session.commit()
    return Rows(f"/trainings/{training.id}", growing(lambda index: _participant(training, index)))


def activities_page(fixtures) -> Rows:
    """Activities, each with a session at which one child answered."""
    fixtures.login(Role.VIEWER)
    version = fixtures.publish(mood_instrument())

    def add_one(index: int) -> None:
        activity = Activity(
            code=f"activity_{index}",
            position=index,
            planned_participants=10,
            title={"ky": "Иш", "ru": "Мероприятие", "en": "Activity"},
            period={"ky": "2026", "ru": "2026", "en": "2026"},
        )
        db.session.add(activity)
        db.session.flush()
        session = fixtures.make_session([version])
        session.activity_id = activity.id
        db.session.commit()
        submit(session, fixtures.make_respondent(), CALM)

    return Rows("/activities/", growing(add_one))


@pytest.mark.parametrize(
    "page",
    [
        sessions_list,
        session_page,
        reliability_page,
        users_list,
        respondents_list,
        alert_inbox,
        alert_page,
        trainings_list,
        training_page,
        activities_page,
    ],
    ids=lambda page: page.__name__,
)
def test_a_list_page_issues_as_many_statements_for_30_rows_as_for_3(
    page, app, client, login, publish, make_session, make_respondent
):
    rows = page(Fixtures(login, publish, make_session, make_respondent))
    rows.grow_to(SMALL)
    statements_of(app, client, rows.url)
    few = statements_of(app, client, rows.url, rows.cache_key)
    rows.grow_to(LARGE)
    statements_of(app, client, rows.url)
    many = statements_of(app, client, rows.url, rows.cache_key)
    assert len(many) == len(few), "\n".join(many)


def test_the_session_page_shows_50_submissions_a_page_and_an_older_page_costs_what_the_first_does(
    app, client, login, publish, make_session, make_respondent
):
    login(Role.COORDINATOR)
    session = make_session([publish(mood_instrument())])
    children = [make_respondent() for _ in range(53)]
    codes = [child.code for child in children]
    for child in children:
        submit(session, child, CALM)

    _assert_pages_of_50(app, client, f"/sessions/{session.id}", codes, _codes_in)


def test_the_respondents_list_shows_50_a_page_and_an_older_page_costs_what_the_first_does(
    app, client, login, make_respondent
):
    login(Role.COORDINATOR)
    codes = [make_respondent().code for _ in range(53)]
    db.session.commit()

    _assert_pages_of_50(app, client, "/respondents/", codes, _listed_codes)


def _assert_pages_of_50(app, client, first_url: str, codes: list[str], codes_in) -> None:
    """53 rows: 50 on the first page, 3 on the older one, back again to the same 50, and the older page costs the
    statements the first does."""
    newest = client.get(first_url).text
    older_url = _link(newest, "Older")
    older = client.get(older_url).text
    back = client.get(_link(older, "Newer")).text

    newest_codes, older_codes = codes_in(newest), codes_in(older)
    assert len(newest_codes) == 50 and len(older_codes) == 3
    assert sorted(newest_codes + older_codes) == sorted(codes)
    assert "Newer</a>" not in newest and "Older</a>" not in older
    assert codes_in(back) == newest_codes and _link(back, "Older") == older_url
    assert len(statements_of(app, client, older_url)) == len(statements_of(app, client, first_url))


def _listed_codes(page: str) -> list[str]:
    return re.findall(r"<tr><td><code>([^<]+)</code></td>", page)


def _link(page: str, text: str) -> str:
    return re.search(rf'<a href="([^"]+)">{text}</a>', page).group(1).replace("&amp;", "&")


def _codes_in(page: str) -> list[str]:
    """The respondent codes of the submissions table, in its order."""
    table = page.split("Submissions and scores")[1].split("Reliability at this session")[0]
    return re.findall(r"<td><code>([^<]+)</code></td>", table)
