"""`barker backup` of a running server under writes: how long it takes, and what it does to posts.

    .venv/bin/python -m bench.backup_bench --data-dir DIR   # a store made by `barker seed` (copied first)

One `barker serve` on a copy of DIR; one client posts barks back to back (one at a time, as the seeded
user `demo`) for --duration seconds without a backup, then again while `barker backup` runs (a separate
process, as an operator would run it) until it ends. Reports the backup's time and size, the WAL's size
before and after, and post latencies (p50, p99, max) in both phases."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

from bench.report import machine_facts, save
from bench.servers import ROOT, Server, free_port


def _post(base: str, token: str, n: int) -> float:
    body = json.dumps({"text": f"backup bench {n}"}).encode()
    req = urllib.request.Request(f"{base}/v1/barks", body, {"Authorization": f"Bearer {token}",
                                                           "Content-Type": "application/json"})
    started = time.perf_counter()
    with urllib.request.urlopen(req, timeout=30) as resp:
        assert resp.status == 201
    return (time.perf_counter() - started) * 1000


def _log_in(base: str) -> str:
    body = json.dumps({"handle": "demo", "password": "barker-demo"}).encode()
    req = urllib.request.Request(f"{base}/v1/sessions", body, {"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as resp:
        return str(json.loads(resp.read())["token"])


def _posting(base: str, token: str, until: threading.Event) -> list[float]:
    latencies: list[float] = []
    while not until.is_set():
        latencies.append(_post(base, token, len(latencies)))
    return latencies


def _summary(ms: list[float]) -> dict[str, float]:
    q = statistics.quantiles(ms, n=100)
    return {"posts": len(ms), "p50_ms": round(q[49], 1), "p99_ms": round(q[98], 1), "max_ms": round(max(ms), 1)}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data-dir", required=True, type=Path, help="a seeded data dir (left untouched)")
    p.add_argument("--duration", type=float, default=10.0, help="seconds of posting without a backup")
    p.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    args = p.parse_args()

    work = Path(tempfile.mkdtemp(prefix="barker-backup-bench-"))
    try:
        shutil.copytree(args.data_dir, work / "data")
        port = free_port()
        argv = [sys.executable, "-m", "backend.cli", "serve", "--data-dir", str(work / "data"), "--port", str(port),
                "--no-access-log"]
        with Server("barker", argv, port, "/readyz", work / "server.log") as server:
            token = _log_in(server.base)
            stop = threading.Event()
            timer = threading.Timer(args.duration, stop.set)
            timer.start()
            before = _summary(_posting(server.base, token, stop))
            wal = work / "data" / "barker.db-wal"
            wal_before = wal.stat().st_size if wal.exists() else 0
            stop = threading.Event()
            result: dict[str, Any] = {}
            poster = threading.Thread(target=lambda: result.update(ms=_posting(server.base, token, stop)))
            poster.start()
            started = time.perf_counter()
            done = subprocess.run([sys.executable, "-m", "backend.cli", "backup", str(work / "bk"),
                                   "--data-dir", str(work / "data")], cwd=ROOT, capture_output=True, text=True,
                                  env={**os.environ, "BARKER_LOG_LEVEL": "WARNING"})
            backup_s = time.perf_counter() - started
            stop.set()
            poster.join()
            wal_after = wal.stat().st_size if wal.exists() else 0
        if done.returncode != 0:
            sys.exit(f"backup failed: {done.stderr}")
        during = _summary(result["ms"])
        manifest = json.loads((work / "bk" / "manifest.json").read_text())
        data = {"machine": machine_facts(), "dataset": manifest["counts"], "db_bytes": manifest["database"]["bytes"],
                "media_files": manifest["media"]["files"], "backup_seconds": round(backup_s, 2),
                "backup_output": done.stdout.splitlines(), "wal_bytes_before": wal_before,
                "wal_bytes_after": wal_after, "posts_without_backup": before, "posts_during_backup": during}
        lines = ["# barker backup under writes", "",
                 "Machine: {cpu_model}, {nproc} cores, load {loadavg_before[0]:.1f} before; SQLite {sqlite}".format(
                     **data["machine"]), "",
                 f"Store: {manifest['counts']}; database {manifest['database']['bytes'] / 1e6:.1f} MB, "
                 f"{manifest['media']['files']} media files.", "",
                 f"`barker backup` (its own process, start to exit): **{backup_s:.2f} s**; WAL "
                 f"{wal_before / 1e6:.1f} MB before, {wal_after / 1e6:.1f} MB after.", "",
                 "```", *done.stdout.splitlines(), "```", "",
                 "| posts, one at a time | posts | p50 ms | p99 ms | max ms |", "|---|---|---|---|---|",
                 *(f"| {name} | {s['posts']} | {s['p50_ms']} | {s['p99_ms']} | {s['max_ms']} |"
                   for name, s in (("without a backup", before), ("while the backup ran", during)))]
        save(args.out, "backup", lines, data)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
