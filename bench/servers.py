"""Server processes under test, their CPU time, and a watcher for the fan-out queue in the database."""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import threading
import time
import urllib.request
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parent.parent
_TICKS = os.sysconf("SC_CLK_TCK")
BENCH_LIMITS = {"BARKER_SIGNUPS_PER_IP_PER_HOUR": "1000000", "BARKER_LOGINS_PER_IP_PER_15_MINUTES": "1000000",
                **{f"BARKER_{kind}_PER_{per}": "1000000" for kind in ("BARKS", "REACTIONS", "FOLLOWS")
                   for per in ("HOUR", "DAY")}, "BARKER_BARK_SEARCHES_PER_HOUR": "1000000"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """One server subprocess: started, awaited on a readiness path, stopped with SIGINT (then SIGKILL)."""

    def __init__(self, name: str, argv: list[str], port: int, ready_path: str, log_path: Path,
                 code_dir: Path = ROOT, env: dict[str, str] | None = None) -> None:
        self.name, self.argv, self.port, self.ready_path, self.log_path = name, argv, port, ready_path, log_path
        # code_dir: another checkout to run (e.g. main's, for a before/after comparison) with this venv
        self.code_dir, self.extra_env = code_dir, env or {}
        self.base = f"http://127.0.0.1:{port}"
        self.proc: subprocess.Popen | None = None
        self._log: IO[bytes] | None = None

    def __enter__(self) -> Server:
        env = dict(os.environ)
        env.pop("BARKER_STORE_URL", None)  # always the SQLite copy given with --data-dir
        env.setdefault("BARKER_LOG_LEVEL", "WARNING")
        # The load generator is one address and a few dozen users doing thousands of requests: the abuse
        # limits stay on (their counting is part of what is measured) but far above what a run does.
        for name, value in BENCH_LIMITS.items():
            env.setdefault(name, value)
        env.update(self.extra_env)
        if self.code_dir != ROOT:
            env["PYTHONPATH"] = str(self.code_dir)
        self._log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(self.argv, cwd=self.code_dir, env=env, stdout=self._log,
                                     stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.proc.returncode}; see {self.log_path}")
            try:
                with urllib.request.urlopen(self.base + self.ready_path, timeout=2) as resp:
                    if resp.status == 200:
                        return self
            except OSError:
                pass
            time.sleep(0.1)
        self.__exit__()
        raise RuntimeError(f"{self.name} not ready on {self.base}{self.ready_path} after 120 s; see {self.log_path}")

    def __exit__(self, *exc: object) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self._log is not None:
            self._log.close()

    def cpu_seconds(self) -> float:
        """User + system CPU time of the server process so far (all its threads)."""
        assert self.proc is not None
        with open(f"/proc/{self.proc.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / _TICKS


def _connect_ro(db: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{db}?mode=ro", uri=True, check_same_thread=False)


def pending_jobs(db: Path) -> tuple[int, int | None]:
    """How many outbox jobs (fan-out, backfill) are queued, and the newest job id."""
    con = _connect_ro(db)
    try:
        count, newest = con.execute("SELECT count(*), max(id) FROM jobs").fetchone()
        return count, newest
    finally:
        con.close()


def count_follows(db: Path) -> int:
    con = _connect_ro(db)
    try:
        return con.execute("SELECT count(*) FROM follows").fetchone()[0]
    finally:
        con.close()


class DrainWatch(threading.Thread):
    """Polls, from a thread, until every job with id <= newest is done; records when that happened."""

    def __init__(self, db: Path, newest: int | None, interval: float = 0.05) -> None:
        super().__init__(daemon=True, name="drain-watch")
        self.db, self.newest, self.interval = db, newest, interval
        self.started = time.perf_counter()
        self.drained_after: float | None = 0.0 if newest is None else None
        self.left = 0
        self._halt = threading.Event()

    def run(self) -> None:
        if self.newest is None:
            return
        con = _connect_ro(self.db)
        try:
            while not self._halt.is_set():
                self.left = con.execute("SELECT count(*) FROM jobs WHERE id <= ?", (self.newest,)).fetchone()[0]
                if self.left == 0:
                    self.drained_after = time.perf_counter() - self.started
                    return
                self._halt.wait(self.interval)
        finally:
            con.close()

    def wait_drained(self, timeout: float) -> float | None:
        self.join(timeout)
        self._halt.set()
        self.join()
        return self.drained_after
