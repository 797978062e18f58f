"""A live event on this machine, for the concurrency test and bench/tablets.py: the server of `make run`
(`flask --app wsgi run`) and the alerts worker as real processes on a fresh database, an SMTP server that is slow
to answer, and tablets that all send at the same instant.

The answers follow the shipped instruments' `flags` sections (surveyapp/instruments/library/): ASQ "yes" to
Q1 and Q5 raises asq_acute (Q5 yes) and asq_non_acute (Q1 yes): an acute alert; violence "yes" to
viol_home_hit raises violence_home: a referral; all "no" (and "safe, always") raises nothing.
"""

import asyncio
import http.client
import json
import threading
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from aiosmtpd.controller import Controller
from sqlalchemy import create_engine, text

from tests.alerts.conftest import MailSink, free_port
from tests.locks import outbox_is_free
from tests.processes import environment, flask, flask_server, prepare_database, running, seed_session

SERVER_START_SECONDS = 30

ASQ_NO = {"asq_1": 0, "asq_2": 0, "asq_3": 0, "asq_4": 0}
ASQ_ACUTE = {**ASQ_NO, "asq_1": 1, "asq_5": 1}
VIOLENCE_SAFE = {
    "viol_home_hit": 0,
    "viol_home_fear": 0,
    "viol_school": 0,
    "viol_safe_home": 2,
    "viol_safe_school": 2,
    "viol_trusted_adult": 1,
}
VIOLENCE_HIT_AT_HOME = {**VIOLENCE_SAFE, "viol_home_hit": 1}
NEGATIVE = {"asq": ASQ_NO, "violence": VIOLENCE_SAFE}
POSITIVE = {"asq": ASQ_ACUTE, "violence": VIOLENCE_HIT_AT_HOME}


class SlowMailServer(MailSink):
    """Keeps the sender waiting ``delay`` seconds for the answer to DATA; meanwhile looks at the outbox's locks."""

    def __init__(self, database_url: str, delay: float):
        super().__init__()
        self.database_url, self.delay = database_url, delay
        self.answering = threading.Event()
        self.outbox_free_while_answering = []

    async def handle_DATA(self, server, session, envelope):
        self.outbox_free_while_answering.append(outbox_is_free(self.database_url))
        self.answering.set()
        await asyncio.sleep(self.delay)
        self.answering.clear()
        return await super().handle_DATA(server, session, envelope)


@contextmanager
def slow_mail_server(database_url: str, delay: float):
    sink = SlowMailServer(database_url, delay)
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield sink, controller.port
    finally:
        controller.stop()


@dataclass(frozen=True)
class Event:
    base_url: str
    database_url: str
    join_code: str
    child_codes: list
    worker_log: Path
    server_log: Path

    def submission(self, child: int, instrument: str, positive: bool) -> dict:
        """A fresh submission of the shipped ``instrument`` 1.0 by the ``child``-th child, as the JSON intake takes
        it."""
        return {
            "uuid": str(uuid.uuid4()),
            "join_code": self.join_code,
            "respondent_code": self.child_codes[child],
            "instrument": instrument,
            "version": "1.0",
            "language": "ky",
            "assent": True,
            "answers": (POSITIVE if positive else NEGATIVE)[instrument],
        }

    def count(self, sql: str) -> int:
        engine = create_engine(self.database_url.replace("postgresql://", "postgresql+psycopg://"))
        try:
            with engine.connect() as connection:
                return connection.scalar(text(sql))
        finally:
            engine.dispose()


@contextmanager
def running_event(database_url: str, folder: Path, children: int, mail_port: int, worker_interval: float = 0.2):
    """Migrate, publish the shipped instruments, seed a session of the ASQ and the violence screen with
    ``children`` children and a psychologist on duty, then run the server and the worker until the block ends."""
    env = environment(
        database_url,
        {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(mail_port), "WORKER_INTERVAL_SECONDS": str(worker_interval)},
    )
    prepare_database(env)
    seeded = seed_session(env, children, ["asq", "violence"], psychologist_on_duty=True)
    worker_log, server_log = folder / "worker.log", folder / "server.log"
    with (
        running(flask(["alerts", "work"]), env, worker_log),
        flask_server(env, server_log, SERVER_START_SECONDS) as base_url,
    ):
        yield Event(base_url, database_url, seeded["join_code"], seeded["children"], worker_log, server_log)


@dataclass(frozen=True)
class Reply:
    status: int
    body: dict
    seconds: float


def send_at_once(base_url: str, bodies: list[dict], timeout: float = 60) -> list[Reply]:
    """POST every body to /api/submissions from a thread of its own, all released at the same instant."""
    replies: list[Reply | None] = [None] * len(bodies)
    barrier = threading.Barrier(len(bodies))
    host_port = base_url.removeprefix("http://")

    def send(index: int) -> None:
        connection = http.client.HTTPConnection(host_port, timeout=timeout)
        payload = json.dumps(bodies[index])
        barrier.wait()
        started = time.perf_counter()
        try:
            connection.request("POST", "/api/submissions", payload, {"Content-Type": "application/json"})
            response = connection.getresponse()
            raw = response.read()
            replies[index] = Reply(response.status, _json_or_text(raw), time.perf_counter() - started)
        except OSError as error:
            replies[index] = Reply(0, {"error": repr(error)}, time.perf_counter() - started)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(index,)) for index in range(len(bodies))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return replies


def _json_or_text(raw: bytes) -> dict:
    try:
        return json.loads(raw)
    except ValueError:
        return {"text": raw.decode(errors="replace")[:300]}
