"""Unfollow and follow again, store level: what a bark's one place in a stream costs the follow request.

Each of --readers readers follows a busy author whose barks fill `--history` entries of their stream, then
an author with `--barks` barks. Timed per reader, in ms, on the store's writer (one call at a time):
the first follow (the request's write: its tombstone lookup finds none) and its backfill job; the unfollow
(tombstoning that author's barks); the follow again (restoring them in place, same seqs) and its backfill
job (which then finds nothing new to copy). Store level, no server: the numbers are the writer's time.

    python -m bench.follow_again_bench                  # 200 readers, 800 other entries, 200 barks
    python -m bench.follow_again_bench --readers 50     # smaller
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from barker import fanout
from barker.ids import IdGenerator
from barker.policies import BACKFILL_LIMIT
from barker.ports.types import NewUser
from barker.store import sqlite_maintenance
from barker.store.sqlite import SqliteStore
from bench.servers import ROOT


def per_reader_ms(readers: list[int], call: Callable[[int], object]) -> float:
    started = time.perf_counter()
    for reader in readers:
        call(reader)
    return round((time.perf_counter() - started) / len(readers) * 1000, 3)


def run_jobs(store: SqliteStore, readers: list[int]) -> float:
    """Every queued job (the backfills), per reader."""
    started = time.perf_counter()
    for job in store.next_jobs(10 * len(readers)):
        store.run_fanout_batch(job, BACKFILL_LIMIT)
    return round((time.perf_counter() - started) / len(readers) * 1000, 3)


def measure(readers: int, history: int, barks: int) -> dict[str, object]:
    (ROOT / "bench" / "data").mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=ROOT / "bench" / "data") as tmp:
        store = SqliteStore(Path(tmp) / "follow.db")
        ids = IdGenerator(11)
        author, busy = ids.next(), ids.next()
        fans = [ids.next() for _ in range(readers)]
        with store.bulk():
            for i, uid in enumerate([author, busy, *fans]):
                store.create_user(NewUser(uid, f"u{i}", f"u{i}", "U", "", "x"))
            for fan in fans:
                store.follow(fan, busy, ids.next(), ids.next())
            for _ in range(history):
                store.post_bark(ids.next(), busy, "older", None, 10**9, ids.next())
            for _ in range(barks):
                store.post_bark(ids.next(), author, "theirs", None, 10**9, ids.next())
        fanout.drain(store, 5000)
        sqlite_maintenance.compact_all(store, 5000)  # settled, as streams mostly are
        result: dict[str, object] = {"readers": readers, "other_entries_each": history, "author_barks": barks}
        result["first_follow_ms"] = per_reader_ms(fans, lambda r: store.follow(r, author, ids.next(), ids.next()))
        result["first_backfill_ms"] = run_jobs(store, fans)
        sqlite_maintenance.compact_all(store, 5000)
        result["unfollow_ms"] = per_reader_ms(fans, lambda r: store.unfollow(r, author))
        result["follow_again_ms"] = per_reader_ms(fans, lambda r: store.follow(r, author, ids.next(), ids.next()))
        result["again_backfill_ms"] = run_jobs(store, fans)
        store.close()
    return result


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(prog="python -m bench.follow_again_bench", description=__doc__.split("\n\n")[0])
    p.add_argument("--readers", type=int, default=200)
    p.add_argument("--history", type=int, default=800, help="other stream entries per reader")
    p.add_argument("--barks", type=int, default=BACKFILL_LIMIT, help="the followed author's barks")
    args = p.parse_args(argv)
    print(json.dumps(measure(args.readers, args.history, args.barks)), flush=True)


if __name__ == "__main__":
    main()
