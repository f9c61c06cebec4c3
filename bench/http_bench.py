"""HTTP benchmark: seed a dataset through the store, start `barker serve` on a fresh copy of it, drive it
over HTTP at a fixed concurrency, and report requests/s and latency per operation next to the ceiling (a
bare FastAPI endpoint under the same uvicorn, measured in the same run).

    python -m bench.http_bench            # 10,000 users, 100,000 barks, 32 connections, 15 s per scenario
    python -m bench.http_bench --quick    # 1,000 users, 10,000 barks, 5 s per scenario (smoke run)

See bench/README.md for what each scenario does and how to read the results.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import random
import sys
import time
from pathlib import Path
from typing import Any

import orjson
from yarl import URL

from barker.seed import DEMO_PASSWORD
from bench import report
from bench.dataset import all_handles, ensure_dataset, fresh_copy, typical_users
from bench.loadgen import Result, client_session, fixed, log_in, page_items, run_scenario
from bench.servers import ROOT, DrainWatch, Server, count_follows, free_port, pending_jobs

HOME_LIMIT = 50


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench.http_bench", description=__doc__.split("\n\n")[0])
    p.add_argument("--users", type=int, help="seeded users (default 10,000; --quick 1,000)")
    p.add_argument("--barks", type=int, help="seeded barks (default 100,000; --quick 10,000)")
    p.add_argument("--concurrency", type=int, default=32, help="connections = workers = logged-in users")
    p.add_argument("--duration", type=float, help="timed seconds per scenario (default 15; --quick 5)")
    p.add_argument("--warmup", type=float, default=2.0, help="untimed seconds before each scenario")
    p.add_argument("--data-dir", type=Path, default=ROOT / "bench" / "data",
                   help="pristine seeded datasets and the per-run copy (reused when the size matches)")
    p.add_argument("--out", type=Path, default=ROOT / "bench" / "results", help="where reports are written")
    p.add_argument("--reseed", action="store_true", help="seed again even if a matching dataset exists")
    p.add_argument("--random-seed", type=int, default=42)
    p.add_argument("--drain-timeout", type=float, default=600.0,
                   help="how long to wait at the end for the post scenario's fan-out backlog to drain")
    p.add_argument("--quick", action="store_true", help="small smoke run: 1,000 users, 10,000 barks, 5 s")
    args = p.parse_args(argv)
    args.users = args.users or (1_000 if args.quick else 10_000)
    args.barks = args.barks or (10_000 if args.quick else 100_000)
    args.duration = args.duration or (5.0 if args.quick else 15.0)
    return args


async def drive(args: argparse.Namespace, db: Path, users: list[dict], handles: list[str],
                logs: Path) -> tuple[list[Result], dict[str, Any]]:
    results: list[Result] = []
    fanout: dict[str, Any] = {}
    timing = {"warmup": args.warmup, "duration": args.duration}
    n = args.concurrency
    uvicorn_opts = ["--log-level", "warning", "--no-access-log"]

    # 1. The ceiling: a bare FastAPI app, alone on the machine with the client.
    port = free_port()
    with Server("ceiling", [sys.executable, "-m", "uvicorn", "bench.ceiling_app:app", "--host", "127.0.0.1",
                            "--port", str(port), *uvicorn_opts], port, "/const", logs / "ceiling.log") as srv:
        async with client_session(n) as session:
            results.append(await run_scenario(session, "ceiling", "GET /const (bare FastAPI app)", [None] * n,
                                              fixed("GET", f"{srv.base}/const"), server_cpu=srv.cpu_seconds,
                                              **timing))

    # 2. Barker, one process, on a fresh copy of the seeded database.
    port = free_port()
    argv = [sys.executable, "-m", "backend.cli", "serve", "--data-dir", str(db.parent), "--host", "127.0.0.1",
            "--port", str(port), *uvicorn_opts]
    with Server("barker", argv, port, "/readyz", logs / "barker.log") as srv:
        async with client_session(n) as session:
            tokens = await log_in(session, srv.base, [u["handle"] for u in users], DEMO_PASSWORD)
            own = [u["handle"] for u in users]

            async def scenario(name: str, request: str, make, **kw: Any) -> Result:
                jobs_before = pending_jobs(db)[0]
                result = await run_scenario(session, name, request, tokens, make, server_cpu=srv.cpu_seconds,
                                            **timing, **kw)
                result.extra["jobs_pending"] = [jobs_before, pending_jobs(db)[0]]
                print(f"  {name:<20} {len(result.latencies) / result.seconds:8.0f} req/s", flush=True)
                return result

            results.append(await scenario("healthz", "GET /healthz", fixed("GET", f"{srv.base}/healthz")))
            home_url = f"{srv.base}/v1/timelines/home?limit={HOME_LIMIT}"
            results.append(await scenario("home", f"GET /v1/timelines/home?limit={HOME_LIMIT}",
                                          fixed("GET", home_url), sampler=page_items))

            counter = itertools.count()
            stamp = time.strftime("%H%M%S")
            post_url = URL(f"{srv.base}/v1/barks")

            def post(i: int, seq: int) -> tuple[str, URL, bytes]:
                k = next(counter)
                return "POST", post_url, orjson.dumps({"text": f"bench {stamp} #{k} from @{own[i]}: "
                                                                f"load test bark number {k}"})

            post_result = await scenario("post", "POST /v1/barks", post, json_body=True)
            results.append(post_result)
            pending, newest = pending_jobs(db)
            watch = DrainWatch(db, newest)
            watch.start()
            fanout.update(posts=len(post_result.latencies), pending_after_post=pending)

            rng = random.Random(args.random_seed)
            follow_base = f"{srv.base}/v1/me/following/"

            def follow(i: int, seq: int) -> tuple[str, URL, None]:
                target = rng.choice(handles)
                while target == own[i]:
                    target = rng.choice(handles)
                return "PUT", URL(follow_base + target, encoded=True), None

            edges_before = count_follows(db)
            results.append(await scenario("follow", "PUT /v1/me/following/{handle}", follow))
            results[-1].extra["new_edges"] = count_follows(db) - edges_before  # warm-up included
            results.append(await scenario("home (after posts)", f"GET /v1/timelines/home?limit={HOME_LIMIT}",
                                          fixed("GET", home_url), sampler=page_items))
            fanout["post_backlog_left_at_end_of_load"] = watch.left
            load_ended = time.perf_counter() - watch.started
            drained = watch.wait_drained(args.drain_timeout)
            fanout.update(drained_after_s=None if drained is None else round(drained, 2),
                          load_ran_for_s=round(load_ended, 2),
                          left_at_timeout=None if drained is not None else watch.left,
                          pending_at_end=pending_jobs(db)[0])
    for r in results:
        if r.name.startswith("home"):  # a timeline benchmark that returns empty pages measures nothing
            r.extra["items_per_page"] = round(sum(r.samples) / len(r.samples), 1) if r.samples else 0.0
            r.extra["empty_pages"] = sum(1 for s in r.samples if s == 0)
            if not r.extra["items_per_page"] > 0:
                r.extra["warning"] = "home pages were empty: not a valid measurement"
                print(f"WARNING: {r.name}: home timeline pages were empty", file=sys.stderr)
    return results, fanout


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    args.data_dir.mkdir(parents=True, exist_ok=True)
    args.out.mkdir(parents=True, exist_ok=True)
    machine, code = report.machine_facts(), report.code_version(ROOT)
    print(f"dataset: {args.users:,} users, {args.barks:,} barks in {args.data_dir}", flush=True)
    pristine, dataset = ensure_dataset(args.data_dir, args.users, args.barks, args.random_seed, args.reseed)
    run_dir = args.data_dir / "run"
    db = fresh_copy(pristine, run_dir)
    users = typical_users(db, args.concurrency)
    handles = all_handles(db)
    print(f"running scenarios ({args.warmup:g} s warm-up + {args.duration:g} s each, {args.concurrency} "
          f"connections); server logs in {run_dir}", flush=True)
    try:
        import uvloop  # the same event loop the server runs on: a cheaper client
    except ImportError:
        uvloop = None
    runner = uvloop.run if uvloop else asyncio.run
    started = time.gmtime()
    results, fanout = runner(drive(args, db, users, handles, run_dir))
    data = {"started_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", started), "code": code, "machine": machine,
            "options": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
            "dataset": dataset, "users": users, "client_loop": "uvloop" if uvloop else "asyncio",
            "scenarios": [r.summary() for r in results], "fanout": fanout}
    data["targets"] = report.check_targets(data["scenarios"])
    markdown = report.render(data)
    stem = args.out / f"http-{time.strftime('%Y%m%dT%H%M%SZ', started)}"
    stem.with_suffix(".md").write_text(markdown)
    stem.with_suffix(".json").write_text(json.dumps(data, indent=2))
    print()
    print(markdown)
    print(f"written: {stem}.md, {stem}.json")


if __name__ == "__main__":
    main()
