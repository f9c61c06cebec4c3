"""Real processes for the live and Qt tests: `barker serve` / `barker worker` on free ports, and a real
redis-server started on a free port (never the machine's own Redis). The fixtures are in the conftests."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx2 as httpx

# The checkout (tests/servers.py -> tests/ -> the checkout). Subprocesses run from here, so `-m backend.cli`
# imports this checkout's package. Never its parent: a clone sits in a folder named `barker` by default, and
# from the parent Python would import that folder as the `barker` package (a namespace with no __version__).
REPO = Path(__file__).resolve().parents[1]
CHEAP_ARGON2 = {"BARKER_ARGON2_TIME_COST": "1", "BARKER_ARGON2_MEMORY_KIB": "1024",
                "BARKER_ARGON2_PARALLELISM": "1"}
# Every test process calls from 127.0.0.1: per-address limits off unless a test turns them on.
PER_ADDRESS_LIMITS_OFF = {"BARKER_SIGNUPS_PER_IP_PER_HOUR": "0", "BARKER_LOGINS_PER_IP_PER_15_MINUTES": "0"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(check, timeout: float = 10.0, interval: float = 0.02, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(interval)


class Process:
    """A `barker` subprocess with its own environment; its output goes to a log file for failures."""

    def __init__(self, args: list[str], env: dict[str, str], log: Path) -> None:
        self.args, self.env, self.log = args, env, log
        self.proc: subprocess.Popen | None = None

    def start(self) -> Process:
        self._log = open(self.log, "ab")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen([sys.executable, "-m", "backend.cli", *self.args], cwd=REPO,
                                     env={**os.environ, **self.env}, stdout=self._log, stderr=subprocess.STDOUT)
        return self

    def kill(self, sig: int = signal.SIGKILL) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)
            self.proc.wait(10)

    def stop(self) -> None:
        self.kill(signal.SIGTERM)
        if getattr(self, "_log", None):
            self._log.close()

    def output(self) -> str:
        return self.log.read_text(errors="replace")


class Server(Process):
    def __init__(self, data_dir: Path, log: Path, port: int | None = None, *, log_level: str = "warning",
                 access_log: bool = False, **env: str) -> None:
        self.port = port or free_port()
        self.data_dir = data_dir
        self.base = f"http://127.0.0.1:{self.port}"
        self.ws = f"ws://127.0.0.1:{self.port}"
        args = ["serve", "--port", str(self.port), "--log-level", log_level]
        super().__init__(args + ([] if access_log else ["--no-access-log"]),
                         {"BARKER_DATA_DIR": str(data_dir), **CHEAP_ARGON2, **PER_ADDRESS_LIMITS_OFF, **env}, log)

    def start(self) -> Server:
        super().start()

        def ready() -> bool:
            assert self.proc.poll() is None, f"server exited:\n{self.output()}"
            try:
                return httpx.get(f"{self.base}/readyz", timeout=1).status_code == 200
            except httpx.HTTPError:
                return False

        wait_until(ready, 20, 0.05, "the server to be ready")
        return self

    def compact_streams(self, retain: int) -> None:
        """Once the fan-out queued so far is done, compact the streams in this process, keeping `retain`
        entries each: what the server's worker does when a pass is due or it is idle (which a test would
        wait 30 s for). The store is shared between processes, as with a second worker."""
        from barker.store.sqlite import SqliteStore

        store = SqliteStore(self.data_dir / "barker.db", stream_retain=retain)
        try:
            wait_until(lambda: not store.pending_jobs(), 10, 0.05, "the fan-out to finish")
            store.maintenance().run_all(1000)
        finally:
            store.close()


class RedisServer:
    def __init__(self, tmp: Path) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.tmp = tmp
        self.proc: subprocess.Popen | None = None

    def start(self) -> RedisServer:
        binary = shutil.which("redis-server")
        assert binary, "redis-server is not installed (apt-get install redis-server)"
        self.proc = subprocess.Popen([binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                                      "--appendonly", "no", "--dir", str(self.tmp)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

        def up() -> bool:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as s:
                    s.sendall(b"PING\r\n")
                    return s.recv(16).startswith(b"+PONG")
            except OSError:
                return False

        wait_until(up, 10, 0.05, "redis-server")
        return self

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.kill()  # SIGKILL ends a paused (SIGSTOPped) process too
            self.proc.wait(10)

    def pause(self) -> None:
        """Hang it, as a paused VM or a black-holed network would: connections stay open (the kernel even
        accepts new ones), nothing is answered."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGCONT)

    def subscribers(self, channel: str) -> int:
        """How many connections are subscribed to `channel` (PUBSUB NUMSUB)."""
        import redis

        with redis.Redis.from_url(self.url, socket_timeout=2) as client:
            return int(client.pubsub_numsub(channel)[0][1])

    def start_again(self) -> RedisServer:
        """On the same port, as a restarted Redis would be."""
        return self.start()
