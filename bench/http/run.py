"""`POST /api/submissions` under HTTP load: gunicorn + wrk at 200 connections, surveyapp ("before" and "after" code
folders) and the floor app interleaved run by run, exactly-once checked in the database after each run.

    .venv/bin/python bench/http/run.py [--targets before,after,floor] [--databases postgresql,sqlite]
        [--before /tmp/team/a-before] [--after .] [--repeat 2] [--duration 25] [--connections 200]
        [--workers 4] [--worker-class sync] [--threads 1] [--respondents 200000] [--profile SECONDS]
        [--lock /tmp/team/bench.lock] [--reuse-templates] [--keep-templates] [--out /tmp/team/a-runs]

Each kind of database is prepared once per code folder as a template (setup_data.py: migrated, the mood test
instrument, an open session, a psychologist on duty, --respondents children) and copied afresh for every run
(PostgreSQL: CREATE DATABASE ... TEMPLATE, databases named bench_a_*; SQLite: a copy of the file). The floor gets
an empty table of its own. Per run: gunicorn starts, a 3 s warm-up at 20 connections, then the measured wrk run
(every 20th body a positive screen) under an exclusive flock on /tmp/team/bench.lock (the machine is shared),
gunicorn stops, check.py counts lost, duplicated and alert-less submissions (the warm-up's 201s included). With
--profile, py-spy records one worker for that many seconds during the measured run (a flame graph SVG in --out).
--lock '' takes no lock (for trying things out, or when the whole series runs under `flock` at once).
"""

import argparse
import fcntl
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import psycopg

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from check import check  # noqa: E402

VENV_BIN = Path(sys.executable).parent
SERVER = "postgresql://postgres@127.0.0.1:5432"
LOCK = "/tmp/team/bench.lock"
PORT = 8731
WARM_UP_CHILDREN = 5_000
WRK_THREADS = 2


def postgres(statement: str) -> None:
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as server:
        server.execute(statement)


def fresh_postgres(name: str, template: str | None = None) -> str:
    postgres(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    postgres(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    return f"{SERVER}/{name}"


def prepare_template(
    target: str, folder: Path, kind: str, out: Path, respondents: int, reuse: bool
) -> tuple[str, Path]:
    """The template database (or file) for a code folder, and its file of codes for wrk; with ``reuse`` the one
    a previous run left in the output folder."""
    codes = out / f"codes-{target}-{kind}.txt"
    if reuse and codes.exists():
        return (
            f"{SERVER}/bench_a_template_{target}"
            if kind == "postgresql"
            else f"sqlite:///{out / f'template-{target}.sqlite'}"
        ), codes
    if kind == "postgresql":
        url = fresh_postgres(f"bench_a_template_{target}")
    else:
        path = out / f"template-{target}.sqlite"
        path.unlink(missing_ok=True)
        url = f"sqlite:///{path}"
    subprocess.run(
        [
            sys.executable,
            str(HERE / "setup_data.py"),
            "--url",
            url.replace("postgresql://", "postgresql+psycopg://"),
            "--codes",
            str(codes),
            "--respondents",
            str(respondents),
        ],
        env={**os.environ, "PYTHONPATH": str(folder)},
        check=True,
    )
    return url, codes


def copy_for_run(kind: str, template_url: str, out: Path) -> str:
    if kind == "postgresql":
        return fresh_postgres("bench_a_run", template=template_url.rsplit("/", 1)[1])
    path = out / "run.sqlite"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    shutil.copy(template_url.removeprefix("sqlite:///"), path)
    return f"sqlite:///{path}"


def fresh_floor(kind: str, out: Path) -> str:
    if kind == "postgresql":
        database = fresh_postgres("bench_a_floor")
    else:
        database = str(out / "floor.sqlite")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
    subprocess.run(
        [sys.executable, str(HERE / "floor_app.py"), "--create"],
        env={**os.environ, "FLOOR_DATABASE": database},
        check=True,
    )
    return database


@contextmanager
def gunicorn(app: str, folder: Path, env: dict, args):
    command = [
        str(VENV_BIN / "gunicorn"),
        "-w",
        str(args.workers),
        "-k",
        args.worker_class,
        "--threads",
        str(args.threads),
        "-b",
        f"127.0.0.1:{PORT}",
        "--chdir",
        str(folder),
        "--backlog",
        "2048",
        "--log-level",
        "warning",
        app,
    ]
    server = subprocess.Popen(command, env={**os.environ, "PYTHONPATH": str(folder), **env})
    try:
        wait_until_serving(args.workers)
        yield server
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


def wait_until_serving(workers: int) -> None:
    """Until the app answers (an empty body: 4xx), then a moment for the other workers to finish importing it."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(
                urllib.request.Request(
                    f"http://127.0.0.1:{PORT}/api/submissions", b"{}", {"Content-Type": "application/json"}
                ),
                timeout=30,
            )
        except urllib.error.HTTPError:
            time.sleep(1 + workers)
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not start")


def wrk(codes: Path, run_id: int, logs: str, first: int, connections: int, seconds: int) -> dict:
    result = subprocess.run(
        [
            "wrk",
            f"-t{WRK_THREADS}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "2s",
            "-s",
            str(HERE / "submissions.lua"),
            f"http://127.0.0.1:{PORT}",
            "--",
            str(codes),
            str(run_id),
            logs,
            str(WRK_THREADS),
            str(first),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    line = next(line for line in result.stdout.splitlines() if line.startswith("RESULT "))
    return json.loads(line.removeprefix("RESULT "))


@contextmanager
def bench_lock(path: str):
    """Held while a measured run runs; an empty path (--lock '') for trying things out, not for quoted figures."""
    if not path:
        yield
        return
    with open(path, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def worker_pids(server: subprocess.Popen) -> list[int]:
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    return [int(pid) for pid in children]


def one_run(target: str, kind: str, repetition: int, templates: dict, args, out: Path) -> dict:
    run_id = 1  # every run has a database of its own; the warm-up's UUIDs are run 2's
    logs = str(out / f"{target}-{kind}-{repetition}-")
    for old in out.glob(f"{target}-{kind}-{repetition}-*.log"):
        old.unlink()
    if target == "floor":
        database = fresh_floor(kind, out)
        url = database if kind == "postgresql" else f"sqlite:///{database}"
        codes = templates[("after", kind)][1]
        app, folder, env = "floor_app:app", HERE, {"FLOOR_DATABASE": database}
    else:
        template_url, codes = templates[(target, kind)]
        url = copy_for_run(kind, template_url, out)
        folder = Path(getattr(args, target)).resolve()
        app, env = "wsgi:app", {"DATABASE_URL": url}
    with gunicorn(app, folder, env, args) as server:
        wrk(codes, run_id + 1, logs + "warm-", args.respondents - WARM_UP_CHILDREN, 20, 3)
        with bench_lock(args.lock):
            load_before = load_average()
            profiler = start_profiler(server, out / f"profile-{target}-{kind}-{repetition}.svg", args.profile)
            result = wrk(codes, run_id, logs, 0, args.connections, args.duration)
            if profiler:
                profiler.wait()
            load_after = load_average()
    exactly_once = check(url.replace("postgresql://", "postgresql+psycopg://"), logs, target == "floor")
    return {
        "target": target,
        "database": kind,
        "repetition": repetition,
        "load": f"{load_before} / {load_after}",
        **result,
        "check": exactly_once,
    }


def start_profiler(server: subprocess.Popen, svg: Path, seconds: int) -> subprocess.Popen | None:
    if not seconds:
        return None
    time.sleep(2)
    return subprocess.Popen(
        [
            str(VENV_BIN / "py-spy"),
            "record",
            "--pid",
            str(worker_pids(server)[0]),
            "--duration",
            str(seconds),
            "--rate",
            "200",
            "--nonblocking",
            "-o",
            str(svg),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def row(r: dict) -> str:
    errors = r["connect"] + r["read"] + r["write"] + r["timeout"] + r["status_errors"]
    c = r["check"]
    alerts = (
        ""
        if r["target"] == "floor"
        else (
            f"{c['flagged']} flagged, {c['flagged_without_alert']} without alert, "
            f"{c['alerts_without_mail']} without mail"
        )
    )
    return (
        f"| {r['repetition'] + 1} | {r['database']} | {r['target']} | {r['requests'] / r['seconds']:.0f} | "
        f"{r['p50_ms']:.0f} | {r['p99_ms']:.0f} | {errors} (timeouts {r['timeout']}) | {r['statuses']} | "
        f"{c['answered_201']} | {c['lost']} | {c['duplicated']} | {alerts} | {r['load']} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--targets", default="before,after,floor")
    parser.add_argument("--databases", default="postgresql,sqlite")
    parser.add_argument("--before", default="/tmp/team/a-before")
    parser.add_argument("--after", default=str(HERE.parents[1]))
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--duration", type=int, default=25)
    parser.add_argument("--connections", type=int, default=200)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--worker-class", default="sync")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--respondents", type=int, default=200_000)
    parser.add_argument("--profile", type=int, default=0)
    parser.add_argument("--out", default="/tmp/team/a-runs")
    parser.add_argument("--lock", default=LOCK)
    parser.add_argument("--reuse-templates", action="store_true")
    parser.add_argument("--keep-templates", action="store_true")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    targets = args.targets.split(",")
    kinds = args.databases.split(",")
    templates = {}
    for kind in kinds:
        for target in {"after" if t == "floor" else t for t in targets}:
            templates[(target, kind)] = prepare_template(
                target, Path(getattr(args, target)), kind, out, args.respondents, args.reuse_templates
            )
    print(
        f"gunicorn -w {args.workers} -k {args.worker_class} --threads {args.threads}; wrk -t{WRK_THREADS} "
        f"-c{args.connections} -d{args.duration}s --timeout 2s"
    )
    print(
        "| run | database | app | requests/s | p50 ms | p99 ms | errors | statuses | 201s | lost | duplicated | "
        "alerts | load average before / after |"
    )
    print("|---|---|---|---:|---:|---:|---|---|---:|---:|---:|---|---|")
    with open(out / "results.jsonl", "a") as results:
        for repetition in range(args.repeat):
            for kind in kinds:
                order = targets if repetition % 2 == 0 else targets[::-1]
                for target in order:
                    result = one_run(target, kind, repetition, templates, args, out)
                    results.write(json.dumps({**vars(args), **result}) + "\n")
                    print(row(result), flush=True)
    for kind in kinds:
        if kind == "postgresql" and not args.keep_templates:
            for name in ["bench_a_run", "bench_a_floor", *(f"bench_a_template_{t}" for t, k in templates if k == kind)]:
                postgres(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
