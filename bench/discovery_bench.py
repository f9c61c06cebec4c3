"""Discovery benchmark: nearby users, friends-of-friends suggestions and user search, at scale.

Builds (with plain SQL, in key order, then left to the store's own code) a dataset of `--users` users
(default 100,000) with heavy-tailed followings (log-normal, mean ~74, Zipf popularity: the generator of
`barker seed`), bios, and every user located around one of 40 real cities; and a second store with
`--million` located users for nearby alone. Then times each store query (median, p99) and the same
queries through the HTTP API of one `barker serve` process, one request at a time.

    python -m bench.discovery_bench            # 100,000 users; nearby also at 1,000,000
    python -m bench.discovery_bench --quick    # 10,000 users; nearby also at 100,000
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import itertools
import json
import math
import os
import random
import sqlite3
import sys
import time
from pathlib import Path
from typing import Any

import aiohttp

from barker.geo import DEFAULT_RESOLUTION, snap, unit_vector
from barker.ids import iso, now_ms
from barker.seed import BIO, FIRST, LAST, TOPICS, _pick, _weights
from barker.store.sqlite import SqliteStore
from bench.dataset import percentile
from bench.report import save
from bench.servers import ROOT, Server, free_port

EVERYONE_KM = 20_100  # past half the circumference: no distance limit
OUT = ROOT / "bench" / "results"
DATA = ROOT / "bench" / "data"
CITIES = [  # (lat, lon, weight): the larger metro areas, so users cluster as they do
    (35.68, 139.69, 37), (28.61, 77.21, 32), (31.23, 121.47, 28), (-23.55, -46.63, 22), (19.43, -99.13, 22),
    (30.04, 31.24, 21), (19.08, 72.88, 21), (39.90, 116.41, 21), (23.81, 90.41, 21), (34.69, 135.50, 19),
    (40.71, -74.01, 19), (24.86, 67.01, 17), (-34.60, -58.38, 15), (41.01, 28.98, 15), (22.57, 88.36, 15),
    (14.60, 120.98, 14), (6.52, 3.38, 14), (-22.91, -43.17, 13), (55.76, 37.62, 12), (48.86, 2.35, 11),
    (51.51, -0.13, 9), (-6.21, 106.85, 11), (34.05, -118.24, 12), (13.76, 100.50, 10), (37.57, 126.98, 10),
    (-33.87, 151.21, 5), (52.52, 13.40, 4), (1.35, 103.82, 6), (-1.29, 36.82, 5), (64.15, -21.94, 1),
    (-36.85, 174.76, 2), (61.22, -149.90, 1), (-54.80, -68.30, 1), (78.22, 15.65, 1), (-77.85, 166.67, 1),
    (21.31, -157.86, 1), (-17.73, 178.01, 1), (52.95, -168.0, 1), (65.0, 179.5, 1), (-45.87, 170.50, 1),
]


def _city_points(n: int, rng: random.Random) -> list[tuple[float, float]]:
    cum = list(itertools.accumulate(w for _, _, w in CITIES))
    points = []
    for _ in range(n):
        lat, lon, _ = CITIES[_pick(cum, rng)]
        spread = rng.expovariate(1 / 0.25)  # degrees: most within a city, a tail into the region
        angle = rng.uniform(0, 2 * math.pi)
        plat = max(-90.0, min(90.0, lat + spread * math.sin(angle)))
        plon = (lon + spread * math.cos(angle) / max(0.05, math.cos(math.radians(plat))) + 540) % 360 - 180
        points.append((plat, plon))
    return points


def build(path: Path, users: int, *, graph: bool, seed: int = 11) -> dict[str, Any]:
    """Users (ids 1..n), their locations, and (graph=True) the follow graph and bios."""
    started = time.perf_counter()
    SqliteStore(path).close()
    rng = random.Random(seed)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA cache_size = -1000000")
    rows = []
    for uid in range(1, users + 1):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        topic, topic2 = rng.sample(TOPICS, 2)
        handle = f"{first}_{last}{uid}"[:30]
        bio = rng.choice(BIO).format(topic=topic, topic2=topic2) if graph else ""
        rows.append((uid, handle, iso(1), handle.lower(), f"{first.title()} {last.title()}", bio, "x"))
    conn.executemany("INSERT INTO users (id, handle, created_at, handle_canon, display_name, bio, password_hash) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    # Snapped to cells as the service does (the store only ever holds cells): many users share one.
    cells = [snap(*p, DEFAULT_RESOLUTION) for p in _city_points(users, rng)]
    conn.executemany("INSERT INTO locations (user_id, cell, resolution, lat, lon, x, y, z, visibility, updated_ms) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'everyone', 1)",
                     ((i + 1, c.id, c.resolution, c.lat, c.lon, *unit_vector(c.lat, c.lon))
                      for i, c in enumerate(cells)))
    conn.execute("INSERT INTO location_cells (cell, x, y, z, users) SELECT cell, x, y, z, count(*) FROM locations "
                 "GROUP BY cell")
    conn.execute("INSERT INTO location_cells_rtree SELECT id, x, x, y, y, z, z FROM location_cells")
    edges = 0
    if graph:
        mu = math.log(74.0) - 1.3 ** 2 / 2
        popularity = _weights(users, 0.9, rng)
        edge_id = 0
        for chunk in range(1, users + 1, 5000):
            batch = []
            for uid in range(chunk, min(users + 1, chunk + 5000)):
                k = min(users - 1, max(1, round(rng.lognormvariate(mu, 1.3))))
                chosen: set[int] = set()
                while len(chosen) < k:
                    v = _pick(popularity, rng) + 1
                    if v != uid:
                        chosen.add(v)
                for v in sorted(chosen):
                    edge_id += 1
                    batch.append((uid, v, edge_id))
            conn.executemany("INSERT INTO follows VALUES (?, ?, ?)", batch)
            edges += len(batch)
        conn.execute("UPDATE users SET following_count = (SELECT count(*) FROM follows WHERE follower = users.id), "
                     "followers_count = (SELECT count(*) FROM follows WHERE followee = users.id)")
    conn.commit()
    conn.execute("ANALYZE")
    conn.close()
    return {"users": users, "located": users, "follows": edges, "build_s": round(time.perf_counter() - started, 1),
            "db_mib": round(path.stat().st_size / 2**20)}


def timed(fn, args_list: list[tuple]) -> dict[str, float]:
    for args in args_list[:5]:
        fn(*args)  # warm
    ms = []
    for args in args_list:
        t = time.perf_counter()
        fn(*args)
        ms.append((time.perf_counter() - t) * 1000)
    ms.sort()
    return {"n": len(ms), "p50_ms": round(percentile(ms, 0.5), 2), "p99_ms": round(percentile(ms, 0.99), 2),
            "max_ms": round(ms[-1], 2)}


def users_following(conn: sqlite3.Connection, around: int, n: int) -> list[int]:
    return [r[0] for r in conn.execute("SELECT id FROM users ORDER BY abs(following_count - ?), id LIMIT ?",
                                       (around, n))]


SEARCHES = ["ada", "grace_h", "li", "@linus", "Lovelace", "hopper", "coffee", "rust python", "jazz", "chess",
            "gardening astronomy", "kat", "Margaret Ham", "bread", "zzz"]


def store_queries(path: Path, samples: int, rng: random.Random) -> tuple[dict[str, Any], dict[str, list]]:
    store = SqliteStore(path)
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    located = [r[0] for r in conn.execute("SELECT user_id FROM locations ORDER BY random() LIMIT ?", (samples,))]
    f74, f450 = users_following(conn, 74, samples), users_following(conn, 450, samples)
    actual = {"74": round(sum(conn.execute(f"SELECT avg(following_count) FROM users WHERE id IN "
                                           f"({','.join(map(str, f74))})").fetchone()), 1),
              "450": round(sum(conn.execute(f"SELECT avg(following_count) FROM users WHERE id IN "
                                            f"({','.join(map(str, f450))})").fetchone()), 1)}
    conn.close()
    from barker.services.discovery import search_terms

    searches = [(*search_terms(q), (0, 0), 20) for q in SEARCHES]
    result = {
        "nearby k=20": timed(lambda u: store.nearest_users(u, 20, EVERYONE_KM), [(u,) for u in located]),
        "suggestions depth 2, following ~74": timed(lambda u: store.suggestions(u, 2, 20), [(u,) for u in f74]),
        "suggestions depth 2, following ~450": timed(lambda u: store.suggestions(u, 2, 20), [(u,) for u in f450]),
        "suggestions depth 3, following ~74": timed(lambda u: store.suggestions(u, 3, 20),
                                                    [(u,) for u in f74[: max(10, samples // 5)]]),
        "search": timed(store.search_users, searches * max(1, samples // len(searches))),
        "following_actual_mean": actual,
    }
    store.close()
    return result, {"located": located, "f74": f74, "f450": f450}


async def http_queries(path: Path, picks: dict[str, list], logs: Path) -> dict[str, Any]:
    conn = sqlite3.connect(path)
    tokens = {}
    for uid in {*picks["located"], *picks["f74"], *picks["f450"]}:
        tokens[uid] = f"bench-{uid}"
        conn.execute("INSERT OR REPLACE INTO tokens VALUES (?, ?, ?)",
                     (hashlib.sha256(tokens[uid].encode()).digest(), uid, now_ms() + 3_600_000))
    conn.commit()
    conn.close()
    port = free_port()
    argv = [sys.executable, "-m", "backend.cli", "serve", "--data-dir", str(path.parent), "--host", "127.0.0.1",
            "--port", str(port), "--log-level", "warning", "--no-access-log"]
    os.environ["BARKER_NEARBY_QUERIES_PER_HOUR"] = "100000000"  # the benchmark is one user asking often
    with Server("barker", argv, port, "/readyz", logs / "discovery.log") as srv:
        async with aiohttp.ClientSession() as session:
            async def run(name: str, calls: list[tuple[int, str]]) -> tuple[str, dict[str, float]]:
                ms = []
                for i, (uid, url) in enumerate(calls):
                    t = time.perf_counter()
                    async with session.get(srv.base + url, headers={"Authorization": f"Bearer {tokens[uid]}"}) as r:
                        await r.read()
                        assert r.status == 200, (url, r.status, await r.text())
                    if i >= 3:
                        ms.append((time.perf_counter() - t) * 1000)
                ms.sort()
                return name, {"n": len(ms), "p50_ms": round(percentile(ms, 0.5), 2),
                              "p99_ms": round(percentile(ms, 0.99), 2)}

            searcher = picks["f74"][0]
            return dict([
                await run("nearby k=20", [(u, "/v1/users/nearby?limit=20") for u in picks["located"]]),
                await run("suggestions depth 2, following ~74", [(u, "/v1/suggestions") for u in picks["f74"]]),
                await run("suggestions depth 2, following ~450", [(u, "/v1/suggestions") for u in picks["f450"]]),
                await run("suggestions depth 3, following ~74",
                          [(u, "/v1/suggestions?depth=3") for u in picks["f74"][:20]]),
                await run("search", [(searcher, f"/v1/users/search?q={q}") for q in SEARCHES * 4]),
            ])


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(prog="python -m bench.discovery_bench", description=__doc__.split("\n\n")[0])
    p.add_argument("--users", type=int, default=100_000)
    p.add_argument("--million", type=int, default=1_000_000, help="located users for the large nearby test")
    p.add_argument("--samples", type=int, default=200)
    p.add_argument("--quick", action="store_true")
    args = p.parse_args(argv)
    if args.quick:
        args.users, args.million, args.samples = 10_000, 100_000, 50
    rng = random.Random(5)
    DATA.mkdir(parents=True, exist_ok=True)
    OUT.mkdir(parents=True, exist_ok=True)
    report: dict[str, Any] = {"started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                              "sqlite": sqlite3.sqlite_version}
    graph_dir = DATA / f"discovery-{args.users}"
    graph_dir.mkdir(exist_ok=True)
    graph_db = graph_dir / "barker.db"
    for f in graph_dir.glob("barker.db*"):
        f.unlink()
    report["dataset"] = build(graph_db, args.users, graph=True)
    print("dataset", report["dataset"], flush=True)
    report["store"], picks = store_queries(graph_db, args.samples, rng)
    print("store", json.dumps(report["store"], indent=1), flush=True)
    report["http"] = asyncio.run(http_queries(graph_db, picks, graph_dir))
    print("http", json.dumps(report["http"], indent=1), flush=True)

    big_dir = DATA / f"nearby-{args.million}"
    big_dir.mkdir(exist_ok=True)
    for f in big_dir.glob("barker.db*"):
        f.unlink()
    report["big_dataset"] = build(big_dir / "barker.db", args.million, graph=False)
    big = SqliteStore(big_dir / "barker.db")
    conn = sqlite3.connect(big_dir / "barker.db")
    sample = [r[0] for r in conn.execute("SELECT user_id FROM locations ORDER BY random() LIMIT ?", (args.samples,))]
    conn.close()
    report["big_nearby"] = timed(lambda u: big.nearest_users(u, 20, EVERYONE_KM), [(u,) for u in sample])
    big.close()
    print("nearby at", args.million, report["big_nearby"], flush=True)

    lines = [f"# Barker discovery benchmark, {report['started']}", "",
             f"SQLite {report['sqlite']}. Dataset: {args.users:,} users, {report['dataset']['follows']:,} follows "
             f"(log-normal followings, mean ~74), every user located around one of {len(CITIES)} cities; "
             f"sampled users following {report['store']['following_actual_mean']['74']} and "
             f"{report['store']['following_actual_mean']['450']} on average.", "",
             "| query | store p50 / p99 ms | HTTP p50 / p99 ms |", "|---|--:|--:|"]
    for name, s in report["store"].items():
        if name == "following_actual_mean":
            continue
        h = report["http"].get(name, {})
        lines.append(f"| {name} | {s['p50_ms']} / {s['p99_ms']} | {h.get('p50_ms', '-')} / {h.get('p99_ms', '-')} |")
    b = report["big_nearby"]
    lines += ["", f"Nearby k=20 among {args.million:,} located users (store): p50 {b['p50_ms']} ms, "
              f"p99 {b['p99_ms']} ms, max {b['max_ms']} ms."]
    save(OUT, "discovery", lines, report)


if __name__ == "__main__":
    main()
