"""Throttling of guesses: failed log-ins, kiosk joins and intake submissions, per client address; joins and
submissions also per session, so that many addresses guessing children's codes at one session are held up too.

Only failures count (a refused password, an unknown code, a refused submission), so a class of tablets behind one
address at an event, sending hundreds of good submissions from their offline queues, is never slowed down; a
client that keeps guessing is answered 429 (the kiosk's queue keeps its entry and tries again later). The counts
live in RATELIMIT_STORAGE_URI: memory by default (per process), Redis in production so that every worker
shares them (`redis://127.0.0.1:6379`, with the `redis` package installed). Behind a reverse proxy, set
TRUSTED_PROXIES so that the client's address is read from X-Forwarded-For.
"""

from collections.abc import Callable

from flask import Response, current_app
from flask_limiter import RouteLimit

from surveyapp.extensions import limiter
from surveyapp.respondents import codes

MAX_SESSION_KEY = 20
"""Characters of a typed join code kept as the count's key: a real code has 12, a guesser's junk is cut."""


def _failed(response: Response) -> bool:
    return 400 <= response.status_code < 500 and response.status_code != 429


def failures_limited(setting: str) -> RouteLimit:
    """A decorator: at most `current_app.config[setting]` (e.g. "20 per 10 minutes") failed requests per client."""
    return limiter.limit(lambda: current_app.config[setting], deduct_when=_failed, methods=["POST"], scope=setting)


def session_failures_limited(join_code_of: Callable[[], str | None]) -> RouteLimit:
    """A decorator: at most SESSION_FAILURE_LIMIT failed joins and submissions per session (the join code the
    request names, as typed: ``join_code_of``), counted together for the kiosk and the intake. A session under
    attack is held up for everybody until the window passes; the tablets' queues keep what they hold and send it
    later."""

    def session_key() -> str:
        return codes.compact(join_code_of() or "")[:MAX_SESSION_KEY]

    return limiter.shared_limit(
        lambda: current_app.config["SESSION_FAILURE_LIMIT"],
        "SESSION_FAILURE_LIMIT",
        key_func=session_key,
        deduct_when=_failed,
        methods=["POST"],
    )
