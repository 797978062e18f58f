"""The loop shared by the long-lived workers (`flask alerts work`, `flask exports work`)."""

import logging
import signal
import threading
from collections.abc import Callable

import click
from flask import Flask, current_app

Work = Callable[[Flask, float, threading.Event], None]


def this_app() -> Flask:
    """The app behind ``current_app``, for a thread of its own, where the proxy no longer finds it."""
    return current_app._get_current_object()  # type: ignore[attr-defined]  # typed as the app, it is its proxy


def run_until_stopped(name: str, work: Work, interval: float | None, in_thread: bool = False) -> None:
    """Pass after pass until SIGTERM or Ctrl-C; the pass in progress is finished first. `in_thread` runs the
    passes in a thread of their own, so that the main thread keeps receiving signals during a long pass."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    stop = threading.Event()
    for signal_number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signal_number, lambda *_: stop.set())
    interval = interval if interval is not None else current_app.config["WORKER_INTERVAL_SECONDS"]
    click.echo(f"{name}: a pass every {interval:g} s; stop with SIGTERM or Ctrl-C")
    app = this_app()
    if in_thread:
        run_in_thread(lambda: work(app, interval, stop), name)
    else:
        work(app, interval, stop)
    click.echo(f"{name}: stopped")


def run_in_thread(target: Callable[[], None], name: str) -> None:
    thread = threading.Thread(target=target, name=name)
    thread.start()
    while thread.is_alive():
        thread.join(0.5)
