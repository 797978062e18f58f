"""Simultaneous tablets against the server of `make run` (`flask --app wsgi run` and the alerts worker).

Run on demand (not a test):
    .venv/bin/python bench/tablets.py [--databases sqlite,postgresql] [--tablets 200] [--rounds 3] [--repeat 3]

Each repetition starts a fresh database per kind (a throw-away SQLite file; a PostgreSQL database of its own on
SURVEYAPP_TEST_POSTGRES_SERVER, dropped afterwards), migrates it, publishes the shipped instruments, seeds a
session of the ASQ and the violence screen, and starts the server and the worker with an SMTP server that takes
--smtp-delay seconds to answer each e-mail. Then, --rounds times, --tablets tablets each send one fresh
submission at the same instant (every fourth child with a positive screen, so alerts and e-mails happen).
The kinds of database are interleaved, repetition by repetition, because the machine is noisy.
It uses the concurrency test's harness (tests/concurrency/event.py), so it measures what the test checks.
"""

import argparse
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.concurrency.event import running_event, send_at_once, slow_mail_server  # noqa: E402
from tests.conftest import _fresh_postgres_database  # noqa: E402


@contextmanager
def empty_database(kind: str, folder: Path, repetition: int):
    if kind == "sqlite":
        yield f"sqlite:///{folder / 'bench.sqlite'}"
    else:
        with _fresh_postgres_database(f"surveyapp_bench_tablets_{repetition}") as url:
            yield url


def one_run(kind: str, repetition: int, args) -> dict:
    children_per_round = args.tablets // 2  # each child answers the ASQ and the violence screen
    with (
        tempfile.TemporaryDirectory() as folder,
        empty_database(kind, Path(folder), repetition) as url,
        slow_mail_server(url, args.smtp_delay) as (_mail, mail_port),
        running_event(url, Path(folder), children_per_round * args.rounds, mail_port) as event,
    ):
        replies, seconds = [], 0.0
        for number in range(args.rounds):
            bodies = [
                event.submission(child, instrument, positive=child % 4 == 0)
                for child in range(number * children_per_round, (number + 1) * children_per_round)
                for instrument in ("asq", "violence")
            ]
            started = time.perf_counter()
            replies += send_at_once(event.base_url, bodies)
            seconds += time.perf_counter() - started
        stored = event.count("SELECT count(*) FROM submission")
        alerts = event.count("SELECT count(*) FROM alert")
        retries = event.server_log.read_text().count("transient database error")
    latencies = sorted(reply.seconds for reply in replies)
    return {
        "kind": kind,
        "sent": len(replies),
        "stored": stored,
        "alerts": alerts,
        "retries": retries,
        "errors": sum(reply.status != 201 for reply in replies),
        "rps": len(replies) / seconds,
        "p50": statistics.median(latencies),
        "p99": latencies[max(0, round(0.99 * len(latencies)) - 1)],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--tablets", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--smtp-delay", type=float, default=1.0)
    args = parser.parse_args()
    kinds = args.databases.split(",")
    results = []
    print("| run | database | sent | stored | alerts | errors | retries | requests/s | p50 s | p99 s |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for repetition in range(args.repeat):
        for kind in kinds:
            result = one_run(kind, repetition, args)
            results.append(result)
            print(
                f"| {repetition + 1} | {kind} | {result['sent']} | {result['stored']} | {result['alerts']} | "
                f"{result['errors']} | {result['retries']} | {result['rps']:.0f} | {result['p50']:.2f} | "
                f"{result['p99']:.2f} |",
                flush=True,
            )
    for kind in kinds:
        runs = [r for r in results if r["kind"] == kind]
        print(
            f"median {kind}: {statistics.median(r['rps'] for r in runs):.0f} requests/s, "
            f"p50 {statistics.median(r['p50'] for r in runs):.2f} s, "
            f"p99 {statistics.median(r['p99'] for r in runs):.2f} s, "
            f"errors {sum(r['errors'] for r in runs)}, stored {sum(r['stored'] for r in runs)} "
            f"of {sum(r['sent'] for r in runs)}"
        )


if __name__ == "__main__":
    main()
