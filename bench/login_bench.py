"""Log-in benchmark: a real user's log-ins (and an upload) while bursts of log-ins with random handles hit
the server.

    python -m bench.login_bench                          # 20 bursts of 64
    python -m bench.login_bench --base-dir ../pools-base # the same against another checkout first (before/after)
    python -m bench.login_bench --quick                  # 5 bursts

One fresh `barker serve` per code version (SQLite, empty store), with the default Argon2id parameters (RFC
9106's second option: 3 passes, 64 MiB, 4 lanes) and the per-handle log-in limit lifted (so the real user's
log-ins are not refused by it). First the real user logs in `--rounds` times alone (the baseline). Then,
`--rounds` times: `--burst` log-ins with random unknown handles start at once (each still verifies a dummy
hash, so timing does not reveal which handles exist), and `offset` ms later, while the burst is in flight,
the real user logs in and uploads a small photo (640x480 JPEG), both timed to the last byte of the answer;
the offset steps through 0..475 ms across rounds, so the real requests arrive at every stage of a burst.
The next round starts when the burst is done. A 503 (`busy`) answer is timed and counted like any other:
it is what a client sees when its request is shed. The real user's client then retries after Retry-After
(1 s); the time until it is logged in is reported too. A warm-up upload (not measured) starts the image
workers first.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import secrets
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import aiohttp
import orjson
from PIL import Image

from bench.dataset import percentile
from bench.report import code_version, machine_facts, save
from bench.servers import ROOT, Server, free_port

PASSWORD = "bench-password-1"
ENV = {"BARKER_LOGIN_ATTEMPTS_PER_15_MINUTES": "100000000", "BARKER_MEDIA_UPLOADS_PER_HOUR": "1000000"}


def photo() -> bytes:
    out = io.BytesIO()
    Image.effect_noise((640, 480), 40).convert("RGB").save(out, "JPEG", quality=90)
    return out.getvalue()


class Timed:
    """Latency and status of each request of one kind."""

    def __init__(self) -> None:
        self.samples: list[tuple[float, int]] = []

    def add(self, started: float, status: int) -> None:
        self.samples.append(((time.perf_counter() - started) * 1000, status))

    def summary(self) -> dict[str, Any]:
        ms = sorted(m for m, _ in self.samples)
        statuses: dict[str, int] = {}
        for _, status in self.samples:
            statuses[str(status)] = statuses.get(str(status), 0) + 1
        return {"n": len(ms), "p50_ms": round(percentile(ms, 0.5)), "p99_ms": round(percentile(ms, 0.99)),
                "max_ms": round(ms[-1]), "statuses": statuses}


async def request(session: aiohttp.ClientSession, method: str, url: str, timed: Timed | None = None,
                  **kw: Any) -> tuple[int, bytes]:
    started = time.perf_counter()
    async with session.request(method, url, **kw) as resp:
        body = await resp.read()
    if timed is not None:
        timed.add(started, resp.status)
    return resp.status, body


async def drive(code_dir: Path, args: argparse.Namespace, logs: Path, env: dict[str, str]) -> dict[str, Any]:
    picture = photo()
    with tempfile.TemporaryDirectory(prefix="barker-login-bench-") as data_dir:
        port = free_port()
        argv = [sys.executable, "-m", "backend.cli", "serve", "--data-dir", data_dir, "--host", "127.0.0.1",
                "--port", str(port), "--log-level", "warning", "--no-access-log"]
        with Server("barker", argv, port, "/readyz", logs / "login-bench.log", code_dir=code_dir, env=env) as srv:
            # Idle connections are dropped after 1 s, before the server's 5 s keep-alive timeout: a request
            # sent on a connection the server is closing would fail (rounds against a slow server idle long).
            connector = aiohttp.TCPConnector(limit=args.burst + 8, keepalive_timeout=1.0)
            async with aiohttp.ClientSession(connector=connector, cookie_jar=aiohttp.DummyCookieJar(),
                                             timeout=aiohttp.ClientTimeout(total=300)) as session:
                base = srv.base
                status, body = await request(session, "POST", f"{base}/v1/accounts",
                                             json={"handle": "real", "password": PASSWORD})
                assert status == 201, body
                token = orjson.loads(body)["token"]
                auth = {"Authorization": f"Bearer {token}"}
                alone, during, uploads, burst, until_in = Timed(), Timed(), Timed(), Timed(), Timed()
                burst_seconds: list[float] = []
                warm = aiohttp.FormData()  # the first upload starts the image workers: not measured
                warm.add_field("file", picture, filename="p.jpg", content_type="image/jpeg")
                assert (await request(session, "POST", f"{base}/v1/media", data=warm, headers=auth))[0] == 201
                for _ in range(args.rounds):
                    await request(session, "POST", f"{base}/v1/sessions", alone,
                                  json={"handle": "real", "password": PASSWORD})
                for r in range(args.rounds):
                    offset = (r * 25 % 500) / 1000

                    async def stranger() -> None:
                        await request(session, "POST", f"{base}/v1/sessions", burst,
                                      json={"handle": "x" + secrets.token_hex(8), "password": secrets.token_hex(6)})

                    async def real_user(offset: float = offset) -> None:
                        await asyncio.sleep(offset)
                        form = aiohttp.FormData()
                        form.add_field("file", picture, filename="p.jpg", content_type="image/jpeg")
                        await asyncio.gather(log_in_until_done(), request(
                            session, "POST", f"{base}/v1/media", uploads, data=form, headers=auth))

                    async def log_in_until_done() -> None:
                        """The real user's client: on 503 it waits Retry-After and tries again."""
                        started = time.perf_counter()
                        for attempt in range(20):
                            status, _ = await request(session, "POST", f"{base}/v1/sessions",
                                                      during if attempt == 0 else None,
                                                      json={"handle": "real", "password": PASSWORD})
                            if status != 503:
                                break
                            await asyncio.sleep(1.0)  # the Retry-After both versions send with a 503
                        until_in.add(started, status)

                    t0 = time.perf_counter()
                    await asyncio.gather(real_user(), *(stranger() for _ in range(args.burst)))
                    burst_seconds.append(time.perf_counter() - t0)
    result = {"alone": alone.summary(), "during": during.summary(), "until_in": until_in.summary(),
              "upload_during": uploads.summary(),
              "burst": burst.summary(), "round_seconds_max": round(max(burst_seconds), 2),
              "round_seconds_p50": round(percentile(sorted(burst_seconds), 0.5), 2)}
    print(result, flush=True)
    return result


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(prog="python -m bench.login_bench", description=__doc__.split("\n\n")[0])
    p.add_argument("--rounds", type=int, default=20, help="bursts (and baseline log-ins)")
    p.add_argument("--burst", type=int, default=64, help="random-handle log-ins per burst")
    p.add_argument("--base-dir", type=Path, help="also measure this checkout (e.g. main's), first")
    p.add_argument("--env", action="append", default=[], metavar="KEY=VALUE",
                   help="extra environment for the servers (repeatable)")
    p.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    p.add_argument("--quick", action="store_true", help="5 rounds")
    args = p.parse_args(argv)
    if args.quick:
        args.rounds = 5
    logs = ROOT / "bench" / "data"
    logs.mkdir(parents=True, exist_ok=True)
    started = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    machine = machine_facts()
    env = ENV | dict(kv.split("=", 1) for kv in args.env)
    codes = ([("base " + (code_version(args.base_dir) or str(args.base_dir)), args.base_dir)] if args.base_dir
             else []) + [("this " + (code_version(ROOT) or "checkout"), ROOT)]
    rows = []
    for code, code_dir in codes:
        rows.append({"code": code, **asyncio.run(drive(code_dir, args, logs, env))})
    data = {"started": started, "machine": machine, "env": env, "options": vars(args) | {
        "out": str(args.out), "base_dir": str(args.base_dir)}, "rows": rows}
    save(args.out, "login", render(data), data)


def render(d: dict[str, Any]) -> list[str]:
    m, o = d["machine"], d["options"]

    def cell(s: dict[str, Any]) -> str:
        statuses = ", ".join(f"{n}× {k}" for k, n in sorted(s["statuses"].items()))
        return f"{s['p50_ms']} / {s['p99_ms']} / {s['max_ms']} ({statuses})"

    lines = [f"# Barker log-ins under a burst of random-handle log-ins, {d['started']}", "",
             f"- **Machine**: {m['nproc']} CPUs ({m['cpu_model']}), {m['mem_gib']} GiB RAM; Python {m['python']}; "
             f"load average before {', '.join(f'{x:.2f}' for x in m['loadavg_before'])}.",
             f"- **Setup**: see `bench/login_bench.py`: {o['rounds']} rounds of {o['burst']} random-handle log-ins "
             "at once; the real user's log-in and a 640x480 JPEG upload start 0–475 ms into each burst. Default "
             f"Argon2id cost; environment {', '.join(f'`{k}={v}`' for k, v in d['env'].items())}.",
             "- Cells: p50 / p99 / max ms (statuses). A 503 is a shed request, answered at once with "
             "Retry-After.", "",
             "| code | real log-in alone | real log-in during bursts (first try) | real log-in, retrying "
             "after a 503 until in | upload during bursts | burst log-ins | longest round s |",
             "|---|--:|--:|--:|--:|--:|--:|"]
    for r in d["rows"]:
        lines.append(f"| {r['code']} | {cell(r['alone'])} | {cell(r['during'])} | {cell(r['until_in'])} | "
                     f"{cell(r['upload_during'])} | "
                     f"{cell(r['burst'])} | {r['round_seconds_max']} |")
    return lines


if __name__ == "__main__":
    main()
