"""What a write limit costs on the write it guards: posting a bark in the SQLite store with and without the
per-user bark budget (hour and day counters, Store.take_rate_limits) in the same transaction.

Each sample is one transaction like the writer thread's: `with store.bulk(): [charge]; post_bark`. The two
variants alternate in blocks, on the same store, so drift (page cache, WAL size, a busy neighbour) hits
both alike. Authors are drawn at random from --users, so most counters are warm rows as in production.

    python -m bench.limits_bench             # 10,000 users, 20 blocks of 500 posts per variant
    python -m bench.limits_bench --quick     # 1,000 users, 6 blocks of 200
"""

from __future__ import annotations

import argparse
import platform
import random
import statistics
import tempfile
import time
from pathlib import Path

from barker.ids import IdGenerator, now_ms
from barker.ports.types import NewUser
from barker.rate_limits import charge, per_user_writes
from barker.settings import Settings
from barker.store.sqlite import SqliteStore


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--users", type=int)
    p.add_argument("--blocks", type=int)
    p.add_argument("--per-block", type=int)
    p.add_argument("--quick", action="store_true")
    args = p.parse_args()
    users = args.users or (1_000 if args.quick else 10_000)
    blocks = args.blocks or (6 if args.quick else 20)
    per_block = args.per_block or (200 if args.quick else 500)
    settings = Settings(barks_per_hour=1_000_000, barks_per_day=10_000_000)  # counted, never refused
    ids = IdGenerator(1)
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        store = SqliteStore(Path(tmp) / "bench.db")
        authors = []
        with store.bulk():
            for i in range(users):
                uid = ids.next()
                store.create_user(NewUser(uid, f"u{i}", f"u{i}", f"User {i}", "", "x"))
                authors.append(uid)

        def post(limited: bool) -> float:
            author = rng.choice(authors)
            start = time.perf_counter()
            with store.bulk():
                if limited:
                    charge(store, per_user_writes(settings, "barks", author), now_ms())
                store.post_bark(ids.next(), author, "a bark of ordinary length, about sixty characters",
                                None, settings.fanout_threshold, ids.next())
            return time.perf_counter() - start

        for limited in (False, True):  # warm up both paths
            for _ in range(per_block):
                post(limited)
        samples: dict[bool, list[float]] = {False: [], True: []}
        for block in range(blocks):
            for limited in ((False, True) if block % 2 == 0 else (True, False)):
                samples[limited].extend(post(limited) for _ in range(per_block))
        counters = store._one("SELECT count(*) FROM rate_limits")[0]
        store.close()

    def us(values: list[float], q: float) -> float:
        return statistics.quantiles(values, n=100)[q - 1] * 1e6 if q < 100 else max(values) * 1e6

    print(f"machine: {platform.processor() or platform.machine()}, Python {platform.python_version()}, "
          f"SQLite store; {users:,} users, {blocks} blocks x {per_block} posts per variant, {counters:,} counters")
    print("| variant | median us | p90 us | p99 us |")
    print("|---|---|---|---|")
    for limited, name in ((False, "post_bark"), (True, "charge (hour + day) + post_bark")):
        values = samples[limited]
        print(f"| {name} | {statistics.median(values) * 1e6:.1f} | {us(values, 90):.1f} | {us(values, 99):.1f} |")
    delta = statistics.median(samples[True]) - statistics.median(samples[False])
    print(f"median cost of the limit: {delta * 1e6:.1f} us per post")


if __name__ == "__main__":
    main()
