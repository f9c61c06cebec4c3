"""Streams benchmark: live delivery latency over websockets, and fan-out throughput.

1. Delivery: one `barker serve` process; an author with N followers, all online, each with one websocket
   held by this (one) client process. The author posts over REST, one bark at a time; for each follower
   socket we record the time from the POST's response to that bark's event arriving. Then the same with
   bench/ceiling_app.py, a bare broadcast (no store, fan-out or reads): the ceiling, in the same run.
2. Fan-out: store level, no server. An author with F followers posts barks one after another (--rows in
   all), each copied into every follower's stream by the worker's own loop (barker.fanout.fan_out_some
   plus the Compactor's slices, the same code `barker worker` runs). Followers already have `--history`
   stream entries each in the settled tier, so each owner's rows sit on pages of their own, as in a real
   stream table. Reports the first bark's rows per second (fresh tier) and the whole run's, compaction
   included (also of what is still fresh at the end).
2a. Delivery through a separate worker: as 1, but the API runs without its in-process worker
   (BARKER_INPROCESS_WORKER=false) beside a `barker worker` process, both on a Redis bus (a redis-server
   started on a free port): the time from the POST's response to the event now includes the worker
   hearing of the job (through the bus) and the API hearing of the fan-out (through the bus). Posts are
   spaced by a random 0-1 s, so a worker that only polls (every second) is caught at every phase.
3. Fan-out beside a busy thread: one bark at a time to --busy followers, on a thread of its own, first
   alone, then while another thread runs Python non-stop, as the event loop does while sending to many
   sockets: what the GIL costs a store that hands it back often.

    python -m bench.stream_bench                      # followers 100 and 1000; fan-out 10,000 and 100,000
    python -m bench.stream_bench --quick              # smaller
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import os
import platform
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import aiohttp
import orjson

from barker import fanout
from barker.ids import IdGenerator, iso, now_ms
from barker.settings import Settings
from barker.store import sqlite_maintenance
from barker.store.sqlite import SqliteStore
from bench.dataset import percentile
from bench.report import save
from bench.servers import ROOT, Server, free_port

OUT = ROOT / "bench" / "results"


def build_store(path: Path, followers: int, history: int) -> tuple[int, list[int]]:
    """An author and `followers` followers, each follower's stream holding `history` older entries,
    written with plain SQL in key order (fast), then left to the store's own code."""
    SqliteStore(path).close()  # schema
    ids = IdGenerator(9)
    author = ids.next()
    fans = [ids.next() for _ in range(followers)]
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = OFF")
    rows = [(u, f"u{u}", iso(u), f"u{u}", "Fan", "", "x", 1 if u != author else followers, 1, history)
            for u in [author, *fans]]
    conn.executemany("INSERT INTO users (id, handle, created_at, handle_canon, display_name, bio, password_hash,"
                     " followers_count, following_count, barks_count) VALUES (?,?,?,?,?,?,?,?,?,?)", rows)
    conn.executemany("INSERT INTO follows VALUES (?, ?, ?)", ((f, author, ids.next()) for f in fans))
    # Older barks by other authors, referenced by the followers' existing stream entries.
    old = [ids.next() for _ in range(max(1, history))]
    conn.executemany("INSERT INTO barks (id, author, created_at, text) VALUES (?, ?, ?, 'old')",
                     ((b, fans[0], iso(b)) for b in old))
    if history:
        conn.executemany("INSERT INTO stream (owner, seq, kind, ref, author) VALUES (?, ?, 'bark', ?, ?)",
                         ((f, s + 1, old[s], fans[0]) for f in fans for s in range(history)))
    conn.commit()
    conn.close()
    return author, fans


def checkpoint_every_second(store: SqliteStore, stop: threading.Event) -> None:
    while not stop.wait(1.0):
        store.checkpoint()


def fanout_throughput(followers: int, history: int, budget: int, barks: int, threshold: int) -> dict[str, Any]:
    """Post `barks` barks by one author, one after another, each fanned out to completion by the worker's
    own loop (fan_out_some, then a compaction slice when the Compactor says so), with checkpoints on a
    background thread as the server runs them. Reports the first bark alone (fan-out into the fresh tier)
    and the whole run including every compaction it triggered and the compaction of whatever is still fresh
    at the end (the sustained rate: no compaction debt left out)."""
    with tempfile.TemporaryDirectory(dir=ROOT / "bench" / "data") as tmp:
        path = Path(tmp) / "fanout.db"
        t = time.perf_counter()
        author, _ = build_store(path, followers, history)
        built = time.perf_counter() - t
        store = SqliteStore(path)
        stop = threading.Event()
        checkpointer = threading.Thread(target=checkpoint_every_second, args=(store, stop))
        checkpointer.start()
        ids = IdGenerator(10)
        compactor = sqlite_maintenance.Compactor(store.uncompacted_stream_rows(), threshold)
        rounds: list[float] = []
        compaction_s = 0.0
        compacted = first_rows = 0
        first_s = 0.0
        started = time.perf_counter()
        posted = []
        for i in range(barks):
            posted.append(store.post_bark(ids.next(), author, "to everyone", None, 10**9, ids.next()).id)
            bark_started = time.perf_counter()
            while store.pending_jobs():
                t = time.perf_counter()
                done = fanout.fan_out_some(store, budget)
                rounds.append(time.perf_counter() - t)
                first_rows += done.rows if i == 0 else 0
                compactor.appended(done.rows, done.owners)
                if compactor.due():
                    t = time.perf_counter()
                    compacted += compactor.run_slice(store, budget)
                    compaction_s += time.perf_counter() - t
            if i == 0:
                first_s = time.perf_counter() - bark_started
        # Pay off the rest: what is still fresh would be compacted later, at a cost this run caused.
        t = time.perf_counter()
        compacted += sqlite_maintenance.compact_all(store, budget)
        compaction_s += time.perf_counter() - t
        assert store.uncompacted_stream_rows() == 0
        elapsed = time.perf_counter() - started
        stop.set()
        checkpointer.join()
        copies = store._one(f"SELECT count(*) FROM stream_all WHERE kind = 'bark' AND ref IN ({','.join('?' * barks)})",
                            posted)[0]
        store.close()
    assert copies == (followers + 1) * barks, (copies, followers, barks)
    rows = followers * barks
    return {"followers": followers, "history_per_follower": history, "barks": barks,
            "first_bark_rows_per_s": round(first_rows / first_s), "rows": rows, "seconds": round(elapsed, 3),
            "sustained_rows_per_s": round(rows / elapsed), "fanout_only_rows_per_s": round(rows / sum(rounds)),
            "compacted_rows": compacted,
            "compaction_s": round(compaction_s, 2),
            "compaction_rows_per_s": round(compacted / compaction_s) if compaction_s else None,
            "transactions": len(rounds), "txn_ms_p50": round(percentile(sorted(rounds), 0.5) * 1000, 1),
            "txn_ms_p99": round(percentile(sorted(rounds), 0.99) * 1000, 1), "build_s": round(built, 1)}


def fanout_beside_busy_thread(followers: int, barks: int, budget: int) -> dict[str, Any]:
    """Fan-out on its own thread while another thread runs Python non-stop, as a server's event loop does
    when it is sending to many sockets. The two share the GIL: every time the store lets go of it (a
    statement, a row stepped), getting it back can take the 5 ms switch interval."""
    with tempfile.TemporaryDirectory(dir=ROOT / "bench" / "data") as tmp:
        path = Path(tmp) / "busy.db"
        author, _ = build_store(path, followers, 0)
        store = SqliteStore(path)
        ids = IdGenerator(10)
        busy = threading.Event()

        def spin() -> None:
            while not busy.is_set():
                sum(range(100))

        def fan_out_each() -> list[float]:
            took = []
            for _ in range(barks):
                store.post_bark(ids.next(), author, "to everyone", None, 10**9, ids.next())
                t = time.perf_counter()
                while store.pending_jobs():
                    fanout.fan_out_some(store, budget)
                took.append(time.perf_counter() - t)
            return took

        alone = sorted(fan_out_each())
        spinner = threading.Thread(target=spin)
        spinner.start()
        beside: list[float] = []
        worker = threading.Thread(target=lambda: beside.extend(fan_out_each()))
        worker.start()
        worker.join()
        busy.set()
        spinner.join()
        store.close()
    beside.sort()
    return {"followers": followers, "barks": barks,
            "alone_ms_p50": round(percentile(alone, 0.5) * 1000, 1),
            "beside_busy_thread_ms_p50": round(percentile(beside, 0.5) * 1000, 1),
            "beside_busy_thread_ms_max": round(beside[-1] * 1000, 1)}


def delivery_store(path: Path, followers: int) -> tuple[str, list[str]]:
    """Author and followers with known tokens (the bench logs nobody in: Argon2 would dominate set-up)."""
    author, fans = build_store(path, followers, 0)
    conn = sqlite3.connect(path)
    tokens = {}
    for user in [author, *fans]:
        token = f"bench-token-{user}"
        tokens[user] = token
        conn.execute("INSERT INTO tokens VALUES (?, ?, ?)",
                     (hashlib.sha256(token.encode()).digest(), user, now_ms() + 3_600_000))
    conn.commit()
    conn.close()
    return tokens[author], [tokens[f] for f in fans]


async def measure_delivery(followers: int, posts: int, logs: Path) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(dir=ROOT / "bench" / "data") as tmp:
        author_token, fan_tokens = delivery_store(Path(tmp) / "barker.db", followers)
        port = free_port()
        argv = [sys.executable, "-m", "backend.cli", "serve", "--data-dir", tmp, "--host", "127.0.0.1",
                "--port", str(port), "--log-level", "warning", "--no-access-log"]
        with Server("barker", argv, port, "/readyz", logs / f"stream-{followers}.log") as srv:
            return await _drive(srv.base, author_token, fan_tokens, posts)


async def measure_worker_delivery(followers: int, posts: int, logs: Path) -> dict[str, Any]:
    """Delivery with the fan-out in a separate `barker worker`, API and worker sharing a Redis bus."""
    from tests.servers import RedisServer  # the test suite's redis-server on a free port

    with tempfile.TemporaryDirectory(dir=ROOT / "bench" / "data") as tmp:
        author_token, fan_tokens = delivery_store(Path(tmp) / "barker.db", followers)
        redis = RedisServer(Path(tmp)).start()
        env = {"BARKER_BUS_URL": redis.url, "BARKER_INPROCESS_WORKER": "false"}
        os.environ.update(env)  # bench.servers.Server passes its environment on
        try:
            port = free_port()
            argv = [sys.executable, "-m", "backend.cli", "serve", "--data-dir", tmp, "--host", "127.0.0.1",
                    "--port", str(port), "--log-level", "warning", "--no-access-log"]
            with Server("barker", argv, port, "/readyz", logs / f"stream-worker-{followers}.log") as srv, \
                    open(logs / f"stream-worker-{followers}-worker.log", "ab") as worker_log:
                worker = subprocess.Popen([sys.executable, "-m", "backend.cli", "worker", "--data-dir", tmp],
                                          cwd=ROOT, stdout=worker_log, stderr=subprocess.STDOUT)
                try:
                    return await _drive(srv.base, author_token, fan_tokens, posts, warmup=2, jitter=1.0)
                finally:
                    worker.send_signal(signal.SIGINT)
                    worker.wait(20)
        finally:
            for key in env:
                os.environ.pop(key)
            redis.stop()


async def measure_bare_broadcast(followers: int, posts: int, logs: Path) -> dict[str, Any]:
    """The ceiling, measured the same way: bench/ceiling_app.py sends each post to every socket in a loop,
    with no store, fan-out or reads. Same uvicorn, same client, same number of sockets."""
    port = free_port()
    argv = [sys.executable, "-m", "uvicorn", "bench.ceiling_app:app", "--host", "127.0.0.1", "--port", str(port),
            "--log-level", "warning", "--no-access-log"]
    with Server("ceiling", argv, port, "/const", logs / f"stream-ceiling-{followers}.log") as srv:
        return await _drive(srv.base, "ceiling", ["ceiling"] * followers, posts)


async def _drive(base: str, author_token: str, fan_tokens: list[str], posts: int, *, warmup: int = 0,
                 jitter: float = 0.0) -> dict[str, Any]:
    """Post `warmup` + `posts` barks one at a time, each once the previous one reached every socket and
    0.05 s (plus a random 0-`jitter` s) have passed; the first `warmup` are not counted."""
    arrivals: dict[int, list[float]] = {}
    ready = 0
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector) as session:
        async def listen(token: str) -> None:
            nonlocal ready
            async with session.ws_connect(f"{base.replace('http', 'ws')}/v1/stream",
                                          headers={"Authorization": f"Bearer {token}"}, heartbeat=None) as ws:
                async for msg in ws:
                    now = time.perf_counter()
                    event = orjson.loads(msg.data)
                    if event["type"] == "caught_up":
                        ready += 1
                    elif event["type"] == "bark":
                        arrivals.setdefault(event["bark"]["id"], []).append(now)

        listeners = [asyncio.create_task(listen(t)) for t in fan_tokens]
        deadline = time.monotonic() + 60
        while ready < len(fan_tokens):
            if time.monotonic() > deadline:
                raise RuntimeError(f"only {ready} of {len(fan_tokens)} sockets caught up")
            await asyncio.sleep(0.05)
        per_follower: list[float] = []
        last_follower: list[float] = []
        headers = {"Authorization": f"Bearer {author_token}", "Content-Type": "application/json"}
        for i in range(warmup + posts):
            async with session.post(f"{base}/v1/barks", data=orjson.dumps({"text": f"bark {i}"}),
                                    headers=headers) as resp:
                body = await resp.read()
                returned = time.perf_counter()
                assert resp.status == 201, body
            bark = orjson.loads(body)["id"]
            wait_until = time.monotonic() + 30
            while len(arrivals.get(bark, ())) < len(fan_tokens) and time.monotonic() < wait_until:
                await asyncio.sleep(0.002)
            got = arrivals.get(bark, [])
            if len(got) < len(fan_tokens):
                raise RuntimeError(f"bark {i}: only {len(got)} of {len(fan_tokens)} sockets got it")
            if i >= warmup:
                per_follower.extend(t - returned for t in got)
                last_follower.append(max(got) - returned)
            await asyncio.sleep(0.05 + random.random() * jitter)  # one at a time: each sees an idle server
        for task in listeners:
            task.cancel()
        await asyncio.gather(*listeners, return_exceptions=True)
    ms = sorted(x * 1000 for x in per_follower)
    last = sorted(x * 1000 for x in last_follower)
    return {"followers": len(fan_tokens), "posts": posts, "deliveries": len(ms),
            "p50_ms": round(percentile(ms, 0.5), 1), "p99_ms": round(percentile(ms, 0.99), 1),
            "max_ms": round(ms[-1], 1), "all_delivered_p50_ms": round(percentile(last, 0.5), 1),
            "all_delivered_p99_ms": round(percentile(last, 0.99), 1)}


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(prog="python -m bench.stream_bench", description=__doc__.split("\n\n")[0])
    p.add_argument("--online", default="100,1000", help="online followers for the delivery test")
    p.add_argument("--posts", type=int, default=30, help="barks posted per delivery test")
    p.add_argument("--fanout", default="10000,100000", help="followers for the fan-out throughput test")
    p.add_argument("--history", type=int, default=50, help="existing stream entries per follower")
    p.add_argument("--budget", type=int, default=2000, help="rows per fan-out transaction (the default setting)")
    p.add_argument("--rows", type=int, default=2_000_000,
                   help="stream rows per fan-out scenario (barks = rows / followers, at least 1)")
    p.add_argument("--compact-at", type=int, default=Settings().stream_compact_rows,
                   help="the most fresh rows before a compaction pass (the default setting)")
    p.add_argument("--busy", default="10000", help="followers for fan-out beside a busy thread ('' to skip)")
    p.add_argument("--worker", default="100",
                   help="online followers for delivery through a separate worker on a Redis bus ('' to skip)")
    p.add_argument("--quick", action="store_true", help="online 100; fan-out 10,000; 10 posts")
    args = p.parse_args(argv)
    if args.quick:
        args.online, args.fanout, args.posts = "100", "10000", 10
    (ROOT / "bench" / "data").mkdir(parents=True, exist_ok=True)
    OUT.mkdir(parents=True, exist_ok=True)
    logs = ROOT / "bench" / "data"
    report: dict[str, Any] = {"started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                              "python": platform.python_version(), "sqlite": sqlite3.sqlite_version,
                              "delivery": [], "fanout": []}
    for n in (int(x) for x in args.online.split(",") if x):
        result = asyncio.run(measure_delivery(n, args.posts, logs))
        result["bare_broadcast"] = asyncio.run(measure_bare_broadcast(n, args.posts, logs))
        print(f"delivery, {n} online followers: {result}", flush=True)
        report["delivery"].append(result)
    report["worker_delivery"] = []
    for n in (int(x) for x in args.worker.split(",") if x):
        result = asyncio.run(measure_worker_delivery(n, args.posts, logs))
        print(f"delivery through a separate worker, {n} online followers: {result}", flush=True)
        report["worker_delivery"].append(result)
    for f in (int(x) for x in args.fanout.split(",") if x):
        result = fanout_throughput(f, args.history, args.budget, max(1, args.rows // f), args.compact_at)
        print(f"fan-out, {f} followers: {result}", flush=True)
        report["fanout"].append(result)
    report["busy"] = []
    for f in (int(x) for x in args.busy.split(",") if x):
        result = fanout_beside_busy_thread(f, 5, args.budget)
        print(f"fan-out beside a busy thread, {f} followers: {result}", flush=True)
        report["busy"].append(result)
    lines = [f"# Barker streams benchmark, {report['started']}", "",
             f"Python {report['python']}, SQLite {report['sqlite']}; one `barker serve` process; one client "
             "process holding every socket.", "",
             "| online followers | barks | deliveries | p50 ms | p99 ms | max ms | all delivered p50 / p99 ms "
             "| bare broadcast p50 / p99 ms |", "|--:|--:|--:|--:|--:|--:|--:|--:|"]
    for r in report["delivery"]:
        bare = r["bare_broadcast"]
        lines.append(f"| {r['followers']:,} | {r['posts']} | {r['deliveries']:,} | {r['p50_ms']} | {r['p99_ms']} "
                     f"| {r['max_ms']} | {r['all_delivered_p50_ms']} / {r['all_delivered_p99_ms']} "
                     f"| {bare['p50_ms']} / {bare['p99_ms']} |")
    lines += ["", "Bare broadcast: bench/ceiling_app.py under the same uvicorn, the same client and sockets; each "
              "post is sent to every socket in a loop, with no store, fan-out or reads. The ceiling.", ""]
    if report["worker_delivery"]:
        lines += ["", "Delivery through a separate `barker worker` (API with BARKER_INPROCESS_WORKER=false, both on "
                  "a Redis bus; posts spaced by a random 0-1 s):", "",
                  "| online followers | barks | deliveries | p50 ms | p99 ms | max ms | all delivered p50 / p99 ms |",
                  "|--:|--:|--:|--:|--:|--:|--:|"]
        for r in report["worker_delivery"]:
            lines.append(f"| {r['followers']:,} | {r['posts']} | {r['deliveries']:,} | {r['p50_ms']} "
                         f"| {r['p99_ms']} | {r['max_ms']} | {r['all_delivered_p50_ms']} / "
                         f"{r['all_delivered_p99_ms']} |")
    lines += ["", f"Fan-out (store level, one author posting one bark after another, each fanned out by the worker's "
              f"own loop; {args.budget:,} rows per transaction; {args.history} existing entries per follower; "
              f"a compaction pass at {sqlite_maintenance.ROWS_PER_OWNER} fresh entries per owner or "
              f"{args.compact_at:,} fresh "
              "rows, and one at the end for what is left; checkpoints on a background thread):", "",
              "| followers | barks | first bark rows/s | all barks rows/s, fan-out only | all barks rows/s (incl. "
              "compaction) | compacted rows | compaction rows/s | txn p50 / p99 ms |",
              "|--:|--:|--:|--:|--:|--:|--:|--:|"]
    for r in report["fanout"]:
        lines.append(f"| {r['followers']:,} | {r['barks']} | {r['first_bark_rows_per_s']:,} "
                     f"| {r['fanout_only_rows_per_s']:,} | {r['sustained_rows_per_s']:,} | {r['compacted_rows']:,} "
                     f"| {format(r['compaction_rows_per_s'] or 0, ',')} "
                     f"| {r['txn_ms_p50']} / {r['txn_ms_p99']} |")
    if report["busy"]:
        lines += ["", "Fan-out on its own thread, alone and while another thread runs Python non-stop (as the "
                  "event loop does while sending to many sockets); one bark at a time, ms until it is in every "
                  "follower's stream:", "",
                  "| followers | barks | alone p50 ms | beside a busy thread p50 ms | beside a busy thread max ms |",
                  "|--:|--:|--:|--:|--:|"]
        for r in report["busy"]:
            lines.append(f"| {r['followers']:,} | {r['barks']} | {r['alone_ms_p50']} "
                         f"| {r['beside_busy_thread_ms_p50']} | {r['beside_busy_thread_ms_max']} |")
    save(OUT, "stream", lines, report)


if __name__ == "__main__":
    main()
