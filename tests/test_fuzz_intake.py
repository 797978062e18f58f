"""Fuzzing the doors children's answers come through (issue 15): whatever a client sends to the JSON intake or
the kiosk's questionnaire form, the answer is never a server error, and nothing is half-stored: a refused body
stores nothing, an accepted one stores one submission with its scores."""

import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from surveyapp.extensions import db
from surveyapp.responses.models import Score, Submission
from tests.factories import mood_instrument
from tests.responses.test_kiosk import client_uuid_on, give_assent

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

TRICKY = ["\x00", "\ud800", "\udfff", "\x07", "\x1b", "\u2028", "\ufeff", "=", "'", "<script>", "ң", "\n"]
text = st.lists(st.sampled_from(TRICKY) | st.characters(codec=None), max_size=20).map("".join)
"""Any code point, lone surrogates included, with the characters that broke or could break storage made likely."""
form_text = st.lists(
    st.sampled_from([c for c in TRICKY if not "\ud800" <= c <= "\udfff"]) | st.characters(codec="utf-8"), max_size=20
).map("".join)
"""What a browser can send in a form: UTF-8, so no lone surrogate."""
json_scalar = st.none() | st.booleans() | st.integers(-10, 2**70) | st.floats(allow_nan=False) | text
json_value = st.recursive(
    json_scalar, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(text, inner, max_size=4), max_leaves=12
)
CALM = {"m1": 3, "m2": 0, "m3": 2, "m4": 3, "worry": 0}
ITEMS = ["m1", "m2", "m3", "m4", "worry", "worry_now", "comment", "other"]


def calm_with(values, comment=text):
    """Valid answers with a comment and a few answers changed, so that both refusals and stored submissions are
    explored, and the free text (where a child can type anything) is always there."""
    return st.tuples(comment, st.dictionaries(st.sampled_from(ITEMS), values, max_size=1)).map(
        lambda drawn: {**CALM, "comment": drawn[0], **drawn[1]}
    )


answers = calm_with(json_value | text)


@pytest.fixture
def join_code(publish, make_session):
    return make_session([publish(mood_instrument())]).join_code


def counts() -> tuple[int, int]:
    db.session.expire_all()
    return db.session.scalar(select(func.count(Submission.id))), db.session.scalar(select(func.count(Score.id)))


def post_and_check(client, body: dict) -> None:
    before = counts()
    response = client.post("/api/submissions", json=body)
    assert response.status_code < 500, response.json
    after = counts()
    if response.status_code == 201:
        assert after[0] == before[0] + 1 and after[1] > before[1]
    else:
        assert after == before


def calm_body(join_code: str, respondent_code: str) -> dict:
    return {
        "uuid": str(uuid.uuid4()),
        "join_code": join_code,
        "respondent_code": respondent_code,
        "instrument": "mood",
        "version": "1.0",
        "language": "ru",
        "assent": True,
        "answers": CALM,
    }


@FUZZ
@given(
    changes=st.dictionaries(
        st.sampled_from(
            [
                "uuid",
                "join_code",
                "respondent_code",
                "instrument",
                "version",
                "language",
                "assent",
                "answers",
                "device_token",
                "consent_text",
            ]
        ),
        json_value,
        min_size=1,
        max_size=3,
    )
)
def test_the_json_intake_never_fails_nor_half_stores_whatever_the_fields(client, join_code, make_respondent, changes):
    post_and_check(client, {**calm_body(join_code, make_respondent().code), **changes})


@FUZZ
@given(answers=calm_with(json_value | text))
def test_the_json_intake_never_fails_nor_half_stores_whatever_the_answers(client, join_code, make_respondent, answers):
    post_and_check(client, {**calm_body(join_code, make_respondent().code), "answers": answers})


@FUZZ
@given(
    form=calm_with(form_text, comment=form_text).map(
        lambda answers: {item: str(value) for item, value in answers.items()}
    )
)
def test_the_kiosk_form_never_fails_nor_half_stores(app, join_code, make_respondent, form):
    client = app.test_client()
    client.post("/kiosk/language", data={"language": "en"})
    client.post("/kiosk/", data={"join_code": join_code, "respondent_code": make_respondent().code})
    give_assent(client)
    page = client.get("/kiosk/questionnaire")
    before = counts()
    response = client.post("/kiosk/questionnaire", data={**form, "client_uuid": client_uuid_on(page.text)})
    assert response.status_code < 500
    after = counts()
    added = after[0] - before[0]
    assert added in (0, 1) and (after[1] > before[1]) == (added == 1)
