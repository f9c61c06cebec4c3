"""What blocks and mutes cost the home timeline (issue 19): `GET /v1/timelines/home` req/s and latency for the
code before blocks and mutes existed, for the code after with readers who block and mute nobody, and for the
code after with readers who each block 1,000 users and mute 1,000 more (a quarter of whom they follow, so the
filter really removes barks from their pages). Rounds alternate which variant goes first; every run is on a
fresh copy of one dataset, seeded by the code before (the code after migrates it on start-up).

    git archive b783401 | tar -x -C bench/data/base-safety     # the code before blocks and mutes
    python -m bench.safety_ab --base bench/data/base-safety --rounds 3

Reports: bench/results/safety-ab-*.md and .json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from barker.ids import IdGenerator
from barker.store.sqlite import SqliteStore
from bench import report
from bench.dataset import fresh_copy, typical_users
from bench.home_ab import home_rps
from bench.http_bench import HOME_LIMIT
from bench.servers import ROOT

OUT = ROOT / "bench" / "results"
DATA = ROOT / "bench" / "data"
DB = "barker.db"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench.safety_ab", description=__doc__.split("\n\n")[0])
    p.add_argument("--base", type=Path, required=True, help="a checkout of the code before blocks and mutes")
    p.add_argument("--users", type=int, default=10_000)
    p.add_argument("--barks", type=int, default=100_000)
    p.add_argument("--filters", type=int, default=1_000, help="blocks per reader, and as many mutes")
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--concurrency", type=int, default=32)
    p.add_argument("--duration", type=float, default=10.0, help="timed seconds per variant and round")
    p.add_argument("--warmup", type=float, default=2.0)
    return p.parse_args(argv)


def seed_with_base(base: Path, args: argparse.Namespace) -> tuple[Path, dict[str, Any]]:
    """The pristine dataset, seeded by the code before (its schema; the code after migrates a copy)."""
    root = DATA / "safety-ab"
    script = ("import json, sys; from pathlib import Path; from bench.dataset import ensure_dataset; "
              "db, meta = ensure_dataset(Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), 42, False); "
              "print(json.dumps({'db': str(db), 'meta': meta}, default=str))")
    env = {"PYTHONPATH": str(base.resolve()), "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-c", script, str(root), str(args.users), str(args.barks)],
                          cwd=base, env=env, check=True, capture_output=True, text=True)
    found = json.loads(done.stdout.strip().splitlines()[-1])
    return Path(found["db"]), found["meta"]


def add_filters(pristine: Path, handles: list[str], n: int) -> tuple[Path, dict[str, Any]]:
    """A copy of the dataset (migrated by the code after) in which each reader blocks n users they do not
    follow and mutes n more, a quarter of them people they follow; through the store, as the API would."""
    home = DATA / "safety-ab" / "filtered"
    path = fresh_copy(pristine, home)
    store = SqliteStore(path)
    ids, rng = IdGenerator(7), random.Random(42)
    started = time.monotonic()
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    everyone = [r[0] for r in con.execute("SELECT id FROM users")]
    facts: dict[str, Any] = {"readers": len(handles), "blocks_each": n, "mutes_each": n, "muted_followed": 0}
    try:
        for handle in handles:
            me = con.execute("SELECT id FROM users WHERE handle = ?", (handle,)).fetchone()[0]
            followed = [r[0] for r in con.execute("SELECT followee FROM follows WHERE follower = ?", (me,))]
            others = [u for u in everyone if u != me and u not in set(followed)]
            chosen = rng.sample(others, 2 * n)
            muted_followed = rng.sample(followed, min(len(followed) // 4, n))
            facts["muted_followed"] += len(muted_followed)
            with store.bulk():
                for user in chosen[:n]:
                    store.block(me, user, ids.next())
                for user in muted_followed + chosen[n:2 * n - len(muted_followed)]:
                    store.mute(me, user, ids.next(), None)
    finally:
        con.close()
        store.close()
    facts["seconds"] = round(time.monotonic() - started, 1)
    return path, facts


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    print("seeding (or reusing) the dataset with the code before ...", flush=True)
    pristine, dataset = seed_with_base(args.base, args)
    handles = [u["handle"] for u in typical_users(pristine, args.concurrency)]
    print(f"adding {args.filters:,} blocks and {args.filters:,} mutes for each of {len(handles)} readers ...",
          flush=True)
    filtered, filter_facts = add_filters(pristine, handles, args.filters)
    print(f"  {filter_facts}", flush=True)
    before, after, after_filtered = "before (no blocks or mutes)", "after, no filters", \
        f"after, {args.filters:,} blocks + {args.filters:,} mutes"
    variants: list[tuple[str, Path, Path]] = [(before, args.base.resolve(), pristine), (after, ROOT, pristine),
                                              (after_filtered, ROOT, filtered)]
    runs: dict[str, list[dict[str, Any]]] = {name: [] for name, _, _ in variants}
    for round_no in range(args.rounds):
        print(f"round {round_no + 1}/{args.rounds}", flush=True)
        order = variants[round_no % len(variants):] + variants[:round_no % len(variants)]
        for name, code_dir, source in order:
            db = fresh_copy(source, DATA / "safety-ab-run")
            runs[name].append(asyncio.run(home_rps(name, code_dir, {}, db, handles, args)))
    shutil.rmtree(DATA / "safety-ab-run", ignore_errors=True)
    lines = [f"# Home timeline before and after blocks and mutes ({args.users:,} users, {args.barks:,} barks)", "",
             f"{args.rounds} alternating rounds of {args.duration:g} s (after {args.warmup:g} s warm-up), "
             f"{args.concurrency} connections (each its own reader), `GET /v1/timelines/home?limit={HOME_LIMIT}`. "
             f"Filters: each reader blocks {args.filters:,} users and mutes {args.filters:,} "
             f"({filter_facts['muted_followed']} of the mutes, over all readers, are people they follow). "
             f"Machine: {report.machine_facts()}", "",
             "| variant | req/s per round | median req/s | p50 ms per round | p99 ms per round | median p99 ms | "
             "items/page | errors | other load, cores (median) |", "|---|---|--:|---|---|--:|--:|--:|--:|"]
    for name, results in runs.items():
        rps = [r["rps"] for r in results]
        lines.append(f"| {name} | {', '.join(f'{x:,.0f}' for x in rps)} | {statistics.median(rps):,.0f} | "
                     f"{', '.join(str(r.get('p50_ms')) for r in results)} | "
                     f"{', '.join(str(r.get('p99_ms')) for r in results)} | "
                     f"{statistics.median(r.get('p99_ms') or 0 for r in results)} | "
                     f"{statistics.median(r['items_per_page'] for r in results)} | "
                     f"{sum(r['errors'] for r in results)} | "
                     f"{statistics.median(r['other_cpu'] / r['seconds'] for r in results):.2f} |")
    options = {k: str(v) for k, v in vars(args).items()}
    report.save(OUT, "safety-ab", lines, {"dataset": dataset, "filters": filter_facts, "options": options,
                                          "code": report.code_version(ROOT), "runs": runs})


if __name__ == "__main__":
    main()
