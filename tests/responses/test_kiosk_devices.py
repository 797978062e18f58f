"""Tablets set up for a session by a trainer: no staff log-in stays on the tablet, children need only their code,
the device token ends when the session closes, and the trainer sees per tablet what reached the server."""

import json
import re
import uuid

import pytest
from sqlalchemy import select

from surveyapp.audit.models import AuditEvent
from surveyapp.auth.models import Role
from surveyapp.extensions import db
from surveyapp.responses.models import Submission
from surveyapp.sessions.models import KioskDevice
from tests.factories import mood_instrument

CALM_ANSWERS = {"m1": 2, "m2": 1, "m3": 2, "m4": 1, "worry": 0}


@pytest.fixture
def mood_version(publish):
    return publish(mood_instrument())


def kiosk_data(page: str) -> dict:
    return json.loads(re.search(r"data-kiosk='([^']*)'", page).group(1).replace("&#39;", "'"))


def set_up_tablet(client, login, session, role=Role.TRAINER) -> dict:
    """Sign in as ``role``, set the tablet up for ``session``; returns the ready page's data for the scripts."""
    user = login(role, f"{role.value}-{uuid.uuid4().hex[:6]}")
    if role == Role.TRAINER:
        session.trainer_id = user.id
        db.session.commit()
    response = client.post("/kiosk/device/", data={"session_id": str(session.id)})
    assert response.status_code == 200, response.text
    return kiosk_data(response.text)


def submission_body(session, child, token, **changes) -> dict:
    body = {
        "uuid": str(uuid.uuid4()),
        "join_code": session.join_code,
        "respondent_code": child.code,
        "instrument": "mood",
        "version": "1.0",
        "language": "ky",
        "assent": True,
        "answers": CALM_ANSWERS,
        "device_token": token,
    }
    return {**body, **changes}


def test_a_trainer_sets_a_tablet_up_and_is_signed_out(client, login, mood_version, make_session):
    session = make_session([mood_version])
    data = set_up_tablet(client, login, session)

    assert data["device"]["token"] and data["device"]["session_title"] == "Test session"
    assert data["device"]["join_code"] == session.join_code  # the scripts send the token for this session only
    assert client.get("/sessions/").status_code == 302  # the trainer's log-in did not stay on the tablet
    device = db.session.scalar(select(KioskDevice))
    assert device.session_id == session.id and device.token_hash != data["device"]["token"]
    assert db.session.scalar(select(AuditEvent.action).filter_by(object_type="KioskDevice")) == "set_up_kiosk_device"
    expected = {f"/kiosk/take/{mood_version.id}?lang={language}" for language in ("ky", "ru", "en")}
    assert expected <= set(data["precache"])


def test_a_trainer_can_set_tablets_up_only_for_their_own_open_sessions(client, login, mood_version, make_session):
    trainer = login(Role.TRAINER)
    own, others = make_session([mood_version]), make_session([mood_version])
    own.trainer_id = trainer.id
    db.session.commit()
    page = client.get("/kiosk/device/").text
    assert f'value="{own.id}"' in page and f'value="{others.id}"' not in page
    link = re.search(r'href="(/kiosk/device/\?session_id=\d+)"', client.get(f"/sessions/{own.id}").text).group(1)
    assert f'selected value="{own.id}"' in client.get(link).text
    assert client.post("/kiosk/device/", data={"session_id": str(others.id)}).status_code == 422
    assert db.session.scalar(select(KioskDevice)) is None


def test_psychologists_and_strangers_cannot_set_tablets_up(client, login):
    assert client.get("/kiosk/device/").status_code == 302
    login(Role.PSYCHOLOGIST)
    assert client.get("/kiosk/device/").status_code == 403


def test_on_a_set_up_tablet_a_child_needs_only_their_code(client, login, mood_version, make_session, make_respondent):
    session = make_session([mood_version])
    set_up_tablet(client, login, session)
    child = make_respondent()
    join_page = client.get("/kiosk/").text
    assert 'name="join_code"' not in join_page and "Test session" in join_page

    assert client.post("/kiosk/", data={"respondent_code": child.code}).headers["Location"].endswith("/assent")
    client.post("/kiosk/assent", data={"answer": "yes"})
    page = client.get("/kiosk/questionnaire").text
    client_uuid = re.search(r'name="client_uuid" type="hidden" value="([0-9a-f-]+)"', page).group(1)
    form = {key: str(value) for key, value in CALM_ANSWERS.items()}
    assert client.post("/kiosk/questionnaire", data={**form, "client_uuid": client_uuid}).status_code == 302

    submission = db.session.scalar(select(Submission))
    assert submission.device is not None and submission.device.session_id == session.id


def test_queued_submissions_carry_the_token_and_the_trainer_sees_each_tablet(
    client, login, mood_version, make_session, make_respondent
):
    session = make_session([mood_version])
    token = set_up_tablet(client, login, session)["device"]["token"]
    response = client.post("/api/submissions", json=submission_body(session, make_respondent(), token))
    assert response.status_code == 201
    assert client.post("/api/devices/heartbeat", json={"device_token": token, "waiting": 3}).status_code == 204

    device = db.session.scalar(select(KioskDevice))
    assert device.waiting_count == 3 and device.last_seen_at is not None
    login(Role.COORDINATOR)
    page = client.get(f"/sessions/{session.id}").text
    row = re.search(rf"<code>{device.short_name}</code>.*?</tr>", page, re.S).group(0)
    assert re.findall(r"<td>(\d+)</td>", row) == ["1"] and '<strong class="warn">3</strong>' in row


def test_the_token_ends_when_the_session_closes(client, login, mood_version, make_session, make_respondent):
    session = make_session([mood_version])
    token = set_up_tablet(client, login, session)["device"]["token"]
    session.close()
    db.session.commit()

    assert 'name="join_code"' in client.get("/kiosk/").text
    heartbeat = client.post("/api/devices/heartbeat", json={"device_token": token, "waiting": 0})
    assert heartbeat.status_code == 403 and heartbeat.json["error"] == "device_not_authorised"


def test_a_token_of_another_session_is_refused(client, login, mood_version, make_session, make_respondent):
    session, other = make_session([mood_version]), make_session([mood_version])
    token = set_up_tablet(client, login, other)["device"]["token"]
    response = client.post("/api/submissions", json=submission_body(session, make_respondent(), token))
    assert response.status_code == 403 and response.json["error"] == "device_not_authorised"
    assert db.session.scalar(select(Submission)) is None


@pytest.mark.parametrize("token", ["not-a-token", ""])
def test_an_unknown_token_is_refused(client, mood_version, make_session, make_respondent, token):
    session = make_session([mood_version])
    response = client.post("/api/submissions", json=submission_body(session, make_respondent(), token))
    assert response.status_code == 403
    assert client.post("/api/devices/heartbeat", json={"device_token": token, "waiting": 0}).status_code == 403


@pytest.mark.parametrize(
    "body", [None, {"device_token": "x"}, {"device_token": "x", "waiting": -1}, {"device_token": 5, "waiting": 0}]
)
def test_a_malformed_heartbeat_is_refused(client, body):
    assert client.post("/api/devices/heartbeat", json=body).status_code == 422


def test_the_same_tablet_keeps_its_id_for_the_next_session(client, login, mood_version, make_session):
    first = set_up_tablet(client, login, make_session([mood_version]))
    second = set_up_tablet(client, login, make_session([mood_version]))
    assert first["device"]["id"] == second["device"]["id"]
    assert first["device"]["token"] != second["device"]["token"]
