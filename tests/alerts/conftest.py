"""Fixtures for alerts: a real SMTP server on localhost (aiosmtpd), staff on duty, positive and negative screens."""

import socket
import uuid
from email import message_from_bytes
from email.policy import default as default_policy

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from surveyapp.alerts import roster
from surveyapp.alerts.models import Alert
from surveyapp.auth.models import Role
from surveyapp.definitions.documents import load_definition_file
from surveyapp.demo import ensure_territories
from surveyapp.extensions import db
from surveyapp.instruments.services import LIBRARY_DIR
from surveyapp.respondents.models import Territory
from surveyapp.responses.models import Submission
from tests.factories import mood_instrument

# The mood test instrument (tests/factories.py): worry = yes -> non_acute, worry_now = yes -> acute.
CALM = {"m1": 2, "m2": 1, "m3": 2, "m4": 2, "worry": 0}
WORRIED = {**CALM, "worry": 1, "worry_now": 0}
WORRIED_NOW = {**CALM, "worry": 1, "worry_now": 1}


class MailSink:
    """An aiosmtpd handler that keeps every message it accepts and refuses the addresses in ``refused``."""

    def __init__(self):
        self.messages = []
        self.refused = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(message_from_bytes(envelope.content, policy=default_policy))
        return "250 Message accepted"

    def to(self, address: str) -> list:
        return [message for message in self.messages if message["To"] == address]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def mail_port(app, monkeypatch) -> int:
    """The port the app sends to; nothing listens there until ``smtp_server`` (or a test) starts a server."""
    port = free_port()
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", port)
    monkeypatch.setitem(app.config, "MAIL_TIMEOUT", 5.0)
    return port


@pytest.fixture
def start_smtp(mail_port):
    controllers = []

    def start() -> MailSink:
        sink = MailSink()
        controller = Controller(sink, hostname="127.0.0.1", port=mail_port)
        controller.start()
        controllers.append(controller)
        return sink

    yield start
    for controller in controllers:
        controller.stop()


@pytest.fixture
def smtp_server(start_smtp) -> MailSink:
    return start_smtp()


@pytest.fixture
def staff(make_user):
    """A staff member with an e-mail address, optionally on duty (or a backup) for a territory or the city."""

    def make(role: Role, username: str, duty: str | None = None, territory=None, email: str | None = ""):
        user, _password = make_user(role, username)
        user.email = f"{username}@example.org" if email == "" else (email or "")
        if duty is not None:
            roster.put_on_duty(user, territory, is_backup=duty == "backup")
        db.session.commit()
        return user

    return make


@pytest.fixture
def territory(app_context) -> Territory:
    ensure_territories()
    db.session.commit()
    return db.session.scalar(select(Territory).order_by(Territory.code))


@pytest.fixture
def on_duty(staff):
    return staff(Role.PSYCHOLOGIST, "dilnoza", duty="on_duty")


@pytest.fixture
def shipped(publish):
    """Publish one of the shipped instrument files, e.g. ``shipped("asq-1.0")``."""

    def load(key: str):
        data, _definition = load_definition_file(LIBRARY_DIR / f"{key}.yaml")
        return publish(data)

    return load


@pytest.fixture
def mood_session(publish, make_session):
    return make_session([publish(mood_instrument())])


@pytest.fixture
def submit(client):
    """Post a submission to the JSON intake, as a tablet does; return the stored submission."""

    def post(session, respondent, answers: dict, instrument: str = "mood", version: str = "1.0") -> Submission:
        response = client.post(
            "/api/submissions",
            json={
                "uuid": str(uuid.uuid4()),
                "join_code": session.join_code,
                "respondent_code": respondent.code,
                "instrument": instrument,
                "version": version,
                "language": "ru",
                "assent": True,
                "answers": answers,
            },
        )
        assert response.status_code == 201, response.json
        return db.session.scalar(select(Submission).filter_by(client_uuid=uuid.UUID(response.json["uuid"])))

    return post


@pytest.fixture
def raise_alert(mood_session, make_respondent, submit):
    """A positive screen at the mood session; returns its alert."""

    def raise_one(answers: dict = WORRIED_NOW) -> Alert:
        submission = submit(mood_session, make_respondent(), answers)
        return db.session.scalar(select(Alert).filter_by(submission_id=submission.id))

    return raise_one
