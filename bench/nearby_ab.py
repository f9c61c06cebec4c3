"""Nearby k=20 in the store, before and after a change, alternating in one run.

Each code tree (this one, and a checkout of the code to compare with, e.g. `git worktree add --detach
../base main`) builds its own dataset with its own bench.discovery_bench.build (same seed: the same users
around the same 40 cities; the trees store them as they store locations), then rounds alternate between the
trees, each round a fresh process timing store.nearest_users(user, 20, no limit) for the same sampled users.
All rounds' timings are pooled per tree and size.

    python -m bench.nearby_ab --base ../base --sizes 100000,1000000 --rounds 3
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.dataset import percentile
from bench.report import save
from bench.servers import ROOT

OUT = ROOT / "bench" / "results"
DATA = ROOT / "bench" / "data"

BUILD = """
import sys
from pathlib import Path
from bench.discovery_bench import build
path = Path(sys.argv[1])
for f in path.parent.glob("barker.db*"):
    f.unlink()
print(build(path, int(sys.argv[2]), graph=False))
"""

TIME = """
import json, random, sys, time
from barker.store.sqlite import SqliteStore
store = SqliteStore(sys.argv[1])
users, samples = int(sys.argv[2]), int(sys.argv[3])
picks = random.Random(7).sample(range(1, users + 1), samples)
for u in picks[:20]:
    store.nearest_users(u, 20, 20_100)  # warm the cache
wall, cpu = [], []
for u in picks:
    t, c = time.perf_counter(), time.thread_time()
    store.nearest_users(u, 20, 20_100)
    cpu.append((time.thread_time() - c) * 1000)
    wall.append((time.perf_counter() - t) * 1000)
store.close()
print(json.dumps({"wall": wall, "cpu": cpu}))
"""


def run(tree: Path, code: str, *args: object) -> str:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run([sys.executable, "-c", code, *map(str, args)], cwd=tree, env=env, check=True,
                          capture_output=True, text=True).stdout


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(prog="python -m bench.nearby_ab", description=__doc__.split("\n\n")[0])
    p.add_argument("--base", type=Path, required=True, help="a checkout of the code to compare with")
    p.add_argument("--sizes", default="100000,1000000")
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--samples", type=int, default=300, help="queries per round")
    p.add_argument("--reuse", action="store_true", help="keep datasets built by an earlier run")
    args = p.parse_args(argv)
    trees = {"before": args.base.resolve(), "after": ROOT}
    sizes = [int(n) for n in args.sizes.split(",")]
    report: dict[str, Any] = {"started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "datasets": {},
                              "trees": {k: str(v) for k, v in trees.items()}}
    paths = {}
    for label, tree in trees.items():
        for n in sizes:
            path = DATA / f"nearby-ab-{label}-{n}" / "barker.db"
            path.parent.mkdir(parents=True, exist_ok=True)
            if not (args.reuse and path.exists()):
                print(f"building {label} {n:,}", flush=True)
                report["datasets"][f"{label} {n}"] = run(tree, BUILD, path, n).strip()
            paths[label, n] = path
    timings: dict[tuple[str, int, str], list[float]] = {(*key, kind): [] for key in paths for kind in ("wall", "cpu")}
    for r in range(args.rounds):
        for n in sizes:
            for label in (("before", "after") if r % 2 == 0 else ("after", "before")):
                measured = json.loads(run(trees[label], TIME, paths[label, n], n, args.samples))
                for kind, ms in measured.items():
                    timings[label, n, kind] += ms
                wall = sorted(measured["wall"])
                print(f"round {r + 1} {label:6} {n:>9,}: p50 {percentile(wall, 0.5):.2f} ms, "
                      f"p99 {percentile(wall, 0.99):.2f} ms", flush=True)
    lines = [f"# Nearby k=20 in the store, before and after, {report['started']}", "",
             f"Before: {trees['before']}; after: this tree. {args.rounds} alternating rounds of {args.samples} "
             "queries per tree and size, each round a fresh process; users around 40 cities (city-weighted). "
             "Wall time includes waiting for the CPU on a shared machine; CPU time is the query thread's own.", "",
             "| located users | time | before p50 / p99 / max ms | after p50 / p99 / max ms |", "|--:|---|--:|--:|"]
    report["results"] = {}
    for n in sizes:
        for kind in ("wall", "cpu"):
            row = []
            for label in ("before", "after"):
                ms = sorted(timings[label, n, kind])
                stats = {"n": len(ms), "p50_ms": round(percentile(ms, 0.5), 2),
                         "p99_ms": round(percentile(ms, 0.99), 2), "max_ms": round(ms[-1], 2)}
                report["results"][f"{label} {n} {kind}"] = stats
                row.append(f"{stats['p50_ms']} / {stats['p99_ms']} / {stats['max_ms']}")
            lines.append(f"| {n:,} | {kind} | {row[0]} | {row[1]} |")
    save(OUT, "nearby-ab", lines, report)


if __name__ == "__main__":
    main()
