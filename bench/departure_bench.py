"""Deleting a big account under load (issue 19): one `barker serve` on a fresh copy of a dataset with an
account of 10,000 barks and 5,000 followers (bench/departure_seed.py); steady background load (home
timeline reads by followers, barks and reactions by other users); in the middle, DELETE /v1/me for the big
account. Reports the time until the DELETE answers, the time until everything of the account is gone (the
departure job's batches, read from the database file), and the background requests' latency and statuses
in 1-second buckets before, during and after it; `--rounds` rounds, each on a fresh copy, and their medians.

    python -m bench.departure_bench            # 10,000 barks, 5,000 followers, 3 rounds
    python -m bench.departure_bench --quick    # 1,000 barks, 500 followers, 1 round (smoke run)

Reports: bench/results/departure-*.md and .json.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import shutil
import sqlite3
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

from barker.seed import DEMO_PASSWORD, EMOJI
from bench import departure_seed, report
from bench.dataset import fresh_copy, percentile
from bench.loadgen import client_session, log_in
from bench.servers import ROOT, Server, free_port

OUT = ROOT / "bench" / "results"
DATA = ROOT / "bench" / "data"
# By when the request was sent: before the DELETE; until it answered; until the account's last row was gone
# (the worker's batches: empty when one transaction did it all); after.
PHASES = ("before", "during", "purging", "after")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench.departure_bench", description=__doc__.split("\n\n")[0])
    p.add_argument("--barks", type=int, help="the big account's barks (default 10,000)")
    p.add_argument("--followers", type=int, help="its followers (default 5,000)")
    p.add_argument("--others", type=int, help="background users (default 500)")
    p.add_argument("--fanned", type=int, default=1_000, help="its newest barks fanned out (default 1,000)")
    p.add_argument("--rounds", type=int, help="default 3, each on a fresh copy")
    p.add_argument("--readers", type=int, default=8, help="connections reading home timelines")
    p.add_argument("--writers", type=int, default=2, help="connections posting barks and reactions")
    p.add_argument("--pause", type=float, default=0.02, help="seconds each worker waits between requests")
    p.add_argument("--before", type=float, help="seconds of load before the deletion (default 5)")
    p.add_argument("--after", type=float, help="seconds of load after it (default 5)")
    p.add_argument("--random-seed", type=int, default=42)
    p.add_argument("--reseed", action="store_true")
    p.add_argument("--data-dir", type=Path, default=DATA)
    p.add_argument("--out", type=Path, default=OUT)
    p.add_argument("--quick", action="store_true", help="1,000 barks, 500 followers, 100 others, 1 round, 2 s")
    args = p.parse_args(argv)
    args.barks = args.barks or (1_000 if args.quick else 10_000)
    args.followers = args.followers or (500 if args.quick else 5_000)
    args.others = args.others or (100 if args.quick else 500)
    args.rounds = args.rounds or (1 if args.quick else 3)
    args.before = args.before or (2.0 if args.quick else 5.0)
    args.after = args.after or (2.0 if args.quick else 5.0)
    return args


# --- the dataset ------------------------------------------------------------------------------------------

def code_key() -> str:
    """The generator and the store's schema: a dataset seeded under another key is seeded again."""
    digest = hashlib.sha256()
    for f in (Path(departure_seed.__file__), ROOT / "barker" / "store" / "sqlite_schema.sql"):
        digest.update(f.read_bytes())
    return digest.hexdigest()[:16]


def ensure(args: argparse.Namespace) -> tuple[Path, dict[str, Any]]:
    """The pristine database of this size, seeded once and reused while its key holds."""
    home = args.data_dir / f"departure-{args.barks}b-{args.followers}f-{args.others}o-{args.fanned}fan"
    meta_path, db = home / "dataset.json", home / "barker.db"
    plan = {"barks": args.barks, "followers": args.followers, "others": args.others, "fanned": args.fanned,
            "random_seed": args.random_seed, "code_key": code_key()}
    if not args.reseed and meta_path.exists() and db.exists():
        meta = json.loads(meta_path.read_text())
        if all(meta.get(k) == v for k, v in plan.items()):
            return db, meta | {"reused": True}
    if home.exists():
        shutil.rmtree(home)
    home.mkdir(parents=True)
    print(f"seeding {home.name}", flush=True)
    meta = plan | departure_seed.build(db, args.barks, args.followers, args.others, args.fanned, args.random_seed)
    meta_path.write_text(json.dumps(meta, indent=2))
    return db, meta | {"reused": False}


async def until_gone(db: Path, handle: str, poll: float = 0.05) -> None:
    """Wait until the user row is gone: it goes last, with the departure job (barker/ports/departures.py).
    Read-only, from this process: the server's WAL readers and writer are not disturbed."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        while conn.execute("SELECT 1 FROM users WHERE handle_canon = ?", (handle,)).fetchone():
            await asyncio.sleep(poll)
    finally:
        conn.close()


# --- one round --------------------------------------------------------------------------------------------

@dataclass
class Timeline:
    """Every background request: (kind, start relative to the deletion's start, seconds, status)."""
    t0: float = 0.0  # perf_counter of the deletion's start (set when it starts; 0 until then)
    requests: list[tuple[str, float, float, int | str]] = field(default_factory=list)
    stop: bool = False


async def _worker(session: aiohttp.ClientSession, base: str, token: str, kind: str, n: int, bark_id: int,
                  timeline: Timeline, pause: float, started: float) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    seq = 0
    while not timeline.stop:
        seq += 1
        if kind == "read":
            method, url, body = "GET", f"{base}/v1/timelines/home?limit=50", None
        elif seq % 2:
            method, url, body = "POST", f"{base}/v1/barks", {"text": f"background bark {n}-{seq}"}
        else:  # a different emoji each time until they run out: mostly a new reaction row
            emoji = EMOJI[(seq // 2 + n) % len(EMOJI)]
            method, url, body = "POST", f"{base}/v1/barks/{bark_id}/reactions", {"emoji": emoji}
        t = time.perf_counter()
        try:
            async with session.request(method, url, json=body, headers=headers) as resp:
                await resp.read()
                status: int | str = resp.status
        except (aiohttp.ClientError, TimeoutError) as e:
            status = type(e).__name__
        done = time.perf_counter()
        timeline.requests.append(("read" if kind == "read" else "write", t - (timeline.t0 or started),
                                  done - t, status))
        await asyncio.sleep(pause)


async def one_round(args: argparse.Namespace, pristine: Path, number: int) -> dict[str, Any]:
    db = fresh_copy(pristine, args.data_dir / "departure-run")
    port = free_port()
    argv = [sys.executable, "-m", "backend.cli", "serve", "--data-dir", str(db.parent), "--host", "127.0.0.1",
            "--port", str(port), "--log-level", "warning", "--no-access-log"]
    with Server("barker", argv, port, "/readyz", db.parent / "barker.log") as srv:
        async with client_session(args.readers + args.writers + 1) as session:
            readers = [departure_seed.follower_handle(i) for i in range(args.readers)]
            writers = [departure_seed.other_handle(i) for i in range(args.writers)]
            tokens = await log_in(session, srv.base, [departure_seed.LEAVER, *readers, *writers], DEMO_PASSWORD)
            leaver_token = tokens[0]
            # the writers react to a bark of another background user (not the leaver's: it is going away)
            async with session.get(f"{srv.base}/v1/users/{departure_seed.other_handle(args.writers)}/barks?limit=1",
                                   headers={"Authorization": f"Bearer {tokens[1]}"}) as resp:
                target = int((await resp.json())["items"][0]["id"])
            timeline = Timeline()
            started = time.perf_counter()
            workers = [asyncio.create_task(_worker(session, srv.base, tok, "read", i, target, timeline, args.pause,
                                                   started)) for i, tok in enumerate(tokens[1:args.readers + 1])]
            workers += [asyncio.create_task(_worker(session, srv.base, tok, "write", i, target, timeline, args.pause,
                                                    started)) for i, tok in enumerate(tokens[args.readers + 1:])]
            await asyncio.sleep(args.before)
            # Requests already recorded were timed against `started`: shift them to the deletion's clock.
            timeline.t0 = time.perf_counter()
            shift = timeline.t0 - started
            timeline.requests = [(k, s - shift, d, st) for k, s, d, st in timeline.requests]
            async with session.delete(f"{srv.base}/v1/me", json={"password": DEMO_PASSWORD},
                                      headers={"Authorization": f"Bearer {leaver_token}"}) as resp:
                await resp.read()
                deletion_status = resp.status
            deletion = time.perf_counter() - timeline.t0
            await until_gone(db, departure_seed.LEAVER.lower())
            gone = time.perf_counter() - timeline.t0
            await asyncio.sleep(args.after)
            timeline.stop = True
            await asyncio.gather(*workers)
    result = summarise(timeline.requests, deletion, gone)
    result |= {"round": number, "deletion_status": deletion_status}
    print(f"round {number}: deletion answered {deletion:.2f} s ({deletion_status}), all gone {gone:.2f} s; "
          + "; ".join(f"{k} {p}: p50 {v['p50_ms']} p99 {v['p99_ms']} max {v['max_ms']} ms n={v['requests']} "
                      f"errors {v['errors']}" for k, by in result["phases"].items() for p, v in by.items()), flush=True)
    return result


# --- summaries --------------------------------------------------------------------------------------------

def stats(rows: list[tuple[str, float, float, int | str]]) -> dict[str, Any]:
    ms = sorted(d * 1000 for _, _, d, _ in rows)
    statuses: dict[str, int] = {}
    for *_, st in rows:
        statuses[str(st)] = statuses.get(str(st), 0) + 1
    errors = sum(1 for *_, st in rows if not (isinstance(st, int) and 200 <= st < 300))
    server_errors = sum(1 for *_, st in rows if not isinstance(st, int) or st >= 500)
    return {"requests": len(ms), "p50_ms": round(percentile(ms, 0.5), 1) if ms else None,
            "p99_ms": round(percentile(ms, 0.99), 1) if ms else None, "max_ms": round(ms[-1], 1) if ms else None,
            "errors": errors, "server_errors": server_errors, "statuses": statuses}


def phase_of(start: float, deletion: float, gone: float) -> str:
    """By when the request was sent (PHASES)."""
    return "before" if start < 0 else "during" if start < deletion else "purging" if start < gone else "after"


def summarise(requests: list[tuple[str, float, float, int | str]], deletion: float, gone: float) -> dict[str, Any]:
    phases = {kind: {p: stats([r for r in requests if r[0] == kind and phase_of(r[1], deletion, gone) == p])
                     for p in PHASES} for kind in ("read", "write")}
    buckets = []
    for second in range(int(min((r[1] for r in requests), default=0)) - 1, int(gone) + 20):
        rows = [r for r in requests if second <= r[1] < second + 1]
        if rows:
            buckets.append({"second": second, **{kind: stats([r for r in rows if r[0] == kind])
                                                 for kind in ("read", "write")}})
    return {"deletion_s": round(deletion, 3), "gone_s": round(gone, 3), "phases": phases, "buckets": buckets}


def median_of(rounds: list[dict[str, Any]]) -> dict[str, Any]:
    def med(values: list[Any]) -> float | None:
        values = [v for v in values if v is not None]
        return round(statistics.median(values), 1) if values else None

    return {"deletion_s": round(statistics.median(r["deletion_s"] for r in rounds), 3),
            "gone_s": round(statistics.median(r["gone_s"] for r in rounds), 3),
            "phases": {kind: {p: {m: med([r["phases"][kind][p][m] for r in rounds])
                                  for m in ("requests", "p50_ms", "p99_ms", "max_ms", "errors", "server_errors")}
                              for p in PHASES} for kind in ("read", "write")}}


def render(args: argparse.Namespace, machine: dict[str, Any], meta: dict[str, Any], rounds: list[dict[str, Any]],
           median: dict[str, Any]) -> list[str]:
    lines = [f"# Account deletion under load ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())})", "",
             f"Machine: {machine['nproc']} cores, {machine['cpu_model']}, Python {machine['python']}, "
             f"SQLite {machine['sqlite']}; load average before {machine['loadavg_before']}.", "",
             f"Dataset: {json.dumps({k: v for k, v in meta.items() if k != 'code_key'})}", "",
             f"Load: {args.readers} home-timeline readers, {args.writers} writers (barks and reactions alternating), "
             f"each waiting {args.pause * 1000:.0f} ms between requests; {args.before:g} s before the deletion, "
             f"{args.after:g} s after the account was gone. {len(rounds)} rounds, each on a fresh copy.", "",
             "Until DELETE /v1/me answered, per round: " + ", ".join(
                 f"{r['deletion_s']:.2f} s ({r['deletion_status']})" for r in rounds)
             + f"; median {median['deletion_s']:.2f} s.", "",
             "Until everything of the account was gone (its user row, deleted last), per round: "
             + ", ".join(f"{r['gone_s']:.2f} s" for r in rounds) + f"; median {median['gone_s']:.2f} s.", "",
             "Medians over the rounds, by when the request was sent:", "",
             "| requests | phase | count | p50 ms | p99 ms | max ms | errors | 5xx |",
             "|---|---|---|---|---|---|---|---|"]
    for kind in ("read", "write"):
        for p in PHASES:
            s = median["phases"][kind][p]
            lines.append(f"| {kind}s | {p} | {s['requests']} | {s['p50_ms']} | {s['p99_ms']} | {s['max_ms']} | "
                         f"{s['errors']} | {s['server_errors']} |")
    for r in rounds:
        lines += ["", f"Round {r['round']}, 1-second buckets (second 0 starts with the DELETE, which answered "
                      f"after {r['deletion_s']:.2f} s; all gone after {r['gone_s']:.2f} s):", "",
                  "| second | reads | p50 | p99 | max | err | writes | p50 | p99 | max | err |",
                  "|---|---|---|---|---|---|---|---|---|---|---|"]
        for b in r["buckets"]:
            cells = [str(b["second"])]
            for kind in ("read", "write"):
                s = b[kind]
                cells += [str(s["requests"]), *("–" if s[m] is None else str(s[m])
                                                for m in ("p50_ms", "p99_ms", "max_ms")), str(s["errors"])]
            lines.append("| " + " | ".join(cells) + " |")
    return lines


def main(argv: list[str] | None = None) -> dict[str, Any]:
    args = parse_args(argv)
    machine = report.machine_facts()
    pristine, meta = ensure(args)
    print(f"dataset: {meta}", flush=True)
    rounds = [asyncio.run(one_round(args, pristine, n + 1)) for n in range(args.rounds)]
    median = median_of(rounds)
    report.save(args.out, "departure", render(args, machine, meta, rounds, median), {
        "machine": machine, "code": report.code_version(ROOT), "options": {k: str(v) for k, v in vars(args).items()},
        "dataset": meta, "rounds": rounds, "median": median})
    return {"median": median, "rounds": rounds}


if __name__ == "__main__":
    main()
