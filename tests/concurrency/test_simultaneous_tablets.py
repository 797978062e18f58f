"""An event's load on the server of `make run`: rounds of 50 tablets sending at the same instant, one round while
the worker waits for a slow SMTP server, one body sent five times at once. No tablet sees a server error, every
submission is stored once, every positive screen has its alert."""

import os
from collections import Counter

import pytest

from tests.concurrency.event import (
    ASQ_ACUTE,
    VIOLENCE_HIT_AT_HOME,
    running_event,
    send_at_once,
    slow_mail_server,
)
from tests.conftest import DATABASES, _fresh_postgres_database
from tests.locks import outbox_is_free

pytestmark = pytest.mark.processes

TABLETS = 50
ROUNDS = 3
COPIES = 5
SMTP_DELAY = 1.0  # seconds the SMTP server takes to answer each e-mail


@pytest.fixture(params=DATABASES)
def empty_database_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'event.sqlite'}"
    else:
        with _fresh_postgres_database(f"surveyapp_event_{os.getpid()}") as url:
            yield url


def test_simultaneous_tablets_never_see_a_server_error_and_every_submission_is_stored_once(
    empty_database_url, tmp_path
):
    children_per_round = TABLETS // 2  # each child answers the ASQ and the violence screen
    children = children_per_round * ROUNDS + 1  # and one more child's tablet sends its ASQ five times at once
    with (
        slow_mail_server(empty_database_url, SMTP_DELAY) as (mail, mail_port),
        running_event(empty_database_url, tmp_path, children, mail_port) as event,
    ):
        rounds = [
            [
                event.submission(child, instrument, positive=child % 4 == 0)
                for child in range(number * children_per_round, (number + 1) * children_per_round)
                for instrument in ("asq", "violence")
            ]
            for number in range(ROUNDS)
        ]
        copy = event.submission(children - 1, "asq", positive=True)
        rounds[1] += [copy] * COPIES
        replies = []
        for number, bodies in enumerate(rounds):
            if number == 1:  # while the worker waits for the SMTP server, between rounds: no tablet is sending
                assert mail.answering.wait(30), "the worker did not start sending the first round's e-mails"
                assert outbox_is_free(empty_database_url), "the worker holds a lock while the SMTP server answers"
            replies.append(send_at_once(event.base_url, bodies))
            statuses = Counter(reply.status for reply in replies[-1])
            new = len({body["uuid"] for body in bodies})
            assert statuses == Counter({201: new, 200: len(bodies) - new}), (statuses, _errors(replies[-1]))
        worker_log = event.worker_log.read_text()

    copy_replies = [reply for body, reply in zip(rounds[1], replies[1]) if body is copy]
    assert sorted(reply.body["status"] for reply in copy_replies) == ["already_stored"] * 4 + ["stored"]
    positive = {body["uuid"] for bodies in rounds for body in bodies if _is_positive(body)}
    assert all(
        reply.body["show_helplines"] == (body["uuid"] in positive)
        for bodies, round_replies in zip(rounds, replies)
        for body, reply in zip(bodies, round_replies)
    )
    assert len(positive) == 19 * 2 + 1  # children 0, 4, ..., 72 on both screens, and the copies' child
    assert event.count("SELECT count(*) FROM submission") == TABLETS * ROUNDS + 1
    assert event.count("SELECT count(*) FROM submission WHERE flag_level != 'none'") == len(positive)
    assert event.count("SELECT count(*) FROM alert") == len(positive)
    assert (
        event.count(
            "SELECT count(*) FROM submission s LEFT JOIN alert a ON a.submission_id = s.id "
            "WHERE s.flag_level != 'none' AND a.id IS NULL"
        )
        == 0
    )
    assert "the pass failed" not in worker_log, worker_log


def _is_positive(body: dict) -> bool:
    return body["answers"] in (ASQ_ACUTE, VIOLENCE_HIT_AT_HOME)


def _errors(replies) -> list:
    return [(reply.status, reply.body) for reply in replies if reply.status not in (200, 201)][:5]
