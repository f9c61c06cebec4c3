"""`barker serve --demo` (what `make run` runs) tells a newcomer where it listens and how to log in, on
every start: the one that seeds the demo data and every one after. A real server on a free port, its data
and XDG_DATA_HOME in tmp_path; its first lines read from its output, then it is stopped."""

from __future__ import annotations

from pathlib import Path

import httpx2 as httpx

from tests.servers import CHEAP_ARGON2, Process, free_port, wait_until

DEMO_LOGIN = "log in as @demo (or any seeded handle) with the password 'barker-demo'"


def start_demo(tmp_path: Path, run: int) -> tuple[Process, int]:
    port = free_port()
    env = {"BARKER_DATA_DIR": str(tmp_path / "data"), "XDG_DATA_HOME": str(tmp_path / "xdg"),
           "HOME": str(tmp_path / "home"), **CHEAP_ARGON2}
    return Process(["serve", "--demo", "--port", str(port), "--log-level", "warning", "--no-access-log"], env,
                   tmp_path / f"serve{run}.log").start(), port


def test_serve_demo_prints_its_url_and_the_demo_log_in_on_every_start(tmp_path: Path) -> None:
    for run in range(2):
        server, port = start_demo(tmp_path, run)
        try:
            url = f"http://127.0.0.1:{port}"
            wait_until(lambda server=server: DEMO_LOGIN in server.output() or server.proc.poll() is not None,
                       timeout=90, what="the demo log-in line")
            lines = server.output().splitlines()
            assert (run == 0) == ("empty store: seeding demo data (barker seed)" in lines), lines
            [where] = [line for line in lines if line.startswith("Barker on ")]
            assert where.startswith(f"Barker on {url}  (API docs at /docs; data in {tmp_path / 'data'}")
            assert lines.count(DEMO_LOGIN) == 1, lines
            # the printed URL is where it listens, and the printed log-in works there
            wait_until(lambda url=url: _answers(f"{url}/healthz"), what="the server to listen")
            login = httpx.post(f"{url}/v1/sessions", json={"handle": "demo", "password": "barker-demo"}, timeout=30)
            assert login.status_code in (200, 201), login.text
            assert login.json()["token"]
        finally:
            server.stop()


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.TransportError:
        return False
