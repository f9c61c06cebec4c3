"""How soon the desktop client's stream is live again after the server comes back (issue 20, item 9): the
server is stopped while a client's stream is live, started again on the same port after 1.3, 8 or 30 s, and
the time from the server answering again to the client's stream being live is measured. Rounds alternate the
variants (the code under test, and optionally an older checkout's client given by --base), each round a
fresh server and store.

    git worktree add bench/data/base-reconnect bf57aaf    # the client before the reconnect change
    python -m bench.reconnect_bench --base bench/data/base-reconnect --rounds 3

Each measurement runs in its own process (`--one`) with the chosen checkout first on the import path, so the
older client's `client_qt.stream` is the one timed. Reports: bench/results/reconnect-*.md and .json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "results"


def measure_once(down_for: float) -> dict[str, float]:
    """In this process: a live stream, the server down for `down_for` s, then back on the same port."""
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtGui import QGuiApplication

    from client_qt.stream import Stream
    from tests.live.client import User
    from tests.servers import Server

    app = QGuiApplication([])  # noqa: F841 (the stream's sockets and timers need an application)
    tmp = Path(tempfile.mkdtemp(prefix="barker-reconnect-"))
    server = Server(tmp / "data", tmp / "server.log").start()
    user = User(server.base, "ann")
    stream = Stream()
    stream.start(server.base, user.token, 0)

    def pump_until(done: Any, timeout: float = 120.0) -> None:
        end = time.monotonic() + timeout
        while not done() and time.monotonic() < end:
            QCoreApplication.processEvents()
            time.sleep(0.005)
        if not done():
            raise TimeoutError("the stream did not get there in time")

    pump_until(lambda: stream.state == "live")
    port, stopped = server.port, time.monotonic()
    server.stop()
    pump_until(lambda: stream.state != "live")
    back: dict[str, Any] = {}

    def restart() -> None:  # on a thread: the Qt loop keeps running, as in the app
        time.sleep(max(0.0, down_for - (time.monotonic() - stopped)))
        back["server"] = Server(tmp / "data", tmp / "server-2.log", port=port).start()  # returns once ready
        back["at"] = time.monotonic()

    threading.Thread(target=restart, daemon=True).start()
    pump_until(lambda: "at" in back)
    pump_until(lambda: stream.state == "live")
    live_after = time.monotonic() - back["at"]
    stream.stop()
    back["server"].stop()
    return {"down_s": round(back["at"] - stopped, 2), "live_after_s": round(live_after, 3)}


def run_one(checkout: Path, down_for: float) -> dict[str, float]:
    # By path, not -m: the older checkout has no bench/reconnect_bench.py, and its client_qt and tests come first.
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    done = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--one", str(down_for)], cwd=checkout,
                          env=env, capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        raise RuntimeError(f"{checkout}: {done.stderr[-2000:]}")
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=Path, help="an older checkout whose client is timed too")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--down", type=float, nargs="+", default=[1.3, 8.0, 30.0], help="seconds the server is down")
    parser.add_argument("--one", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one is not None:
        print(json.dumps(measure_once(args.one)), flush=True)
        # The measurement is printed: leave without Python's finalization, where the older client's PySide
        # objects once aborted the process ("none_dealloc") after a valid measurement.
        os._exit(0)
    variants = [("after", ROOT)] + ([("before", args.base.resolve())] if args.base else [])
    results: dict[str, dict[float, list[float]]] = {v: {d: [] for d in args.down} for v, _ in variants}
    for n in range(args.rounds):
        order = variants if n % 2 == 0 else variants[::-1]
        for down in args.down:
            for name, checkout in order:
                one = run_one(checkout, down)
                results[name][down].append(one["live_after_s"])
                print(f"round {n + 1} down {down:>4} s  {name:6}  live {one['live_after_s']:.3f} s after the server")
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    OUT.mkdir(parents=True, exist_ok=True)
    lines = ["# Reconnect after an outage", "", f"{args.rounds} rounds, alternating order; seconds from the server "
             "answering again to the client's stream being live (median, and every round).", "",
             "| server down | " + " | ".join(name for name, _ in variants) + " |",
             "|---|" + "---|" * len(variants)]
    for down in args.down:
        cells = []
        for name, _ in variants:
            rounds = results[name][down]
            cells.append(f"{statistics.median(rounds):.2f} s ({', '.join(f'{x:.2f}' for x in rounds)})")
        lines.append(f"| {down} s | " + " | ".join(cells) + " |")
    (OUT / f"reconnect-{stamp}.md").write_text("\n".join(lines) + "\n")
    (OUT / f"reconnect-{stamp}.json").write_text(json.dumps({name: {str(d): v for d, v in r.items()}
                                                             for name, r in results.items()}, indent=1))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
