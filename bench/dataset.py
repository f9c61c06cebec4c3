"""The benchmark dataset: seeded once through the store (barker.seed on a SqliteStore), kept pristine in
bench/data/seed-<users>u-<barks>b/, and copied afresh for every run, since posts and follows modify it."""

from __future__ import annotations

import hashlib
import json
import math
import shutil
import sqlite3
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from tqdm import tqdm

from barker import seed as seed_module
from barker.security import make_hasher
from barker.seed import DEMO_PASSWORD, SeedPlan, seed
from barker.settings import Settings
from barker.store import sqlite as sqlite_module
from barker.store.sqlite import SqliteStore

META = "dataset.json"
DB = "barker.db"


def percentile(sorted_values: list[float], q: float) -> float:
    """Nearest-rank percentile of an already sorted list (q in 0..1)."""
    if not sorted_values:
        return math.nan
    return sorted_values[min(len(sorted_values) - 1, max(0, math.ceil(q * len(sorted_values)) - 1))]


def code_key() -> str:
    """What a seeded dataset depends on: the seeder and the store schema (a server refuses other schema
    versions). A dataset seeded under a different key is seeded again."""
    digest = hashlib.sha256()
    for path in (Path(seed_module.__file__), Path(sqlite_module.__file__).with_name("sqlite_schema.sql")):
        digest.update(path.read_bytes())
    return f"schema-v{sqlite_module.SCHEMA_VERSION}-{digest.hexdigest()[:12]}"


def ensure_dataset(root: Path, users: int, barks: int, random_seed: int, reseed: bool) -> tuple[Path, dict]:
    """The pristine database for this size (reused when its recorded plan matches) and its metadata."""
    home = root / f"seed-{users}u-{barks}b"
    meta_path = home / META
    key = code_key()
    if not reseed and meta_path.exists() and (home / DB).exists():
        meta = json.loads(meta_path.read_text())
        if (meta["users"], meta["barks"], meta["random_seed"]) == (users, barks, random_seed):
            if meta.get("code_key") == key:
                return home / DB, meta | {"reused": True}
            print(f"{home}: barker/seed.py or the schema changed since it was seeded; seeding again")
    if home.exists():
        shutil.rmtree(home)
    home.mkdir(parents=True)
    meta = _seed(home / DB, users, barks, random_seed)
    meta["facts"] = dataset_facts(home / DB)
    meta["code_key"] = key
    meta_path.write_text(json.dumps(meta, indent=2))
    return home / DB, meta | {"reused": False}


def _seed(path: Path, users: int, barks: int, random_seed: int) -> dict[str, Any]:
    settings = Settings(data_dir=path.parent)
    bars: dict[str, tqdm] = {}
    stage_started: dict[str, float] = {}

    def progress(stage: str, done: int, total: int) -> None:
        bar = bars.get(stage)
        if bar is None:
            for previous in bars.values():  # stages run one after the other
                previous.close()
            stage_started[stage] = time.perf_counter()
            # Redrawn at most every 0.5 s on a terminal, every 10 s into a log file.
            bar = bars[stage] = tqdm(desc=f"seed {stage:>11}", total=total or None, unit="", leave=True,
                                     mininterval=0.5 if sys.stderr.isatty() else 10.0)
        bar.update(done - bar.n)

    started = time.perf_counter()
    password_hash = make_hasher(settings).hash(DEMO_PASSWORD)  # once: every seeded user shares it
    store = SqliteStore(path)
    try:
        plan = SeedPlan(users=users, barks=barks, random_seed=random_seed,
                        fanout_threshold=settings.fanout_threshold)
        report = seed(store, plan, password_hash, progress)
    finally:
        for bar in bars.values():
            bar.close()
        store.close()
    seconds = time.perf_counter() - started
    # Fold the WAL into the main file, so the pristine copy is the single file barker.db.
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    marks = [*sorted(stage_started.items(), key=lambda kv: kv[1]), ("end", started + seconds)]
    stages = {name: round(marks[i + 1][1] - t, 2) for i, (name, t) in enumerate(marks[:-1])}
    return {"users": users, "barks": barks, "random_seed": random_seed, "seed_seconds": round(seconds, 2),
            "stage_seconds": stages, "seeded_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "report": {"users": report.users, "follows": report.follows, "barks": report.barks,
                       "rebarks": report.rebarks, "reactions": report.reactions,
                       "stream_rows": report.stream_rows}}


def dataset_facts(path: Path) -> dict[str, Any]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        def one(sql: str) -> Any:
            return con.execute(sql).fetchone()[0]

        following = sorted(r[0] for r in con.execute("SELECT following_count FROM users"))
        followers = sorted(r[0] for r in con.execute("SELECT followers_count FROM users"))
        return {
            "users": len(following),
            "follows": one("SELECT count(*) FROM follows"),
            "barks": one("SELECT count(*) FROM barks WHERE rebark_of IS NULL"),
            "rebarks": one("SELECT count(*) FROM barks WHERE rebark_of IS NOT NULL"),
            "reactions": one("SELECT count(*) FROM reactions"),
            "stream_rows": one("SELECT count(*) FROM stream_all"),
            "following_mean": round(statistics.fmean(following), 1),
            "following_median": statistics.median(following),
            "following_p90": percentile(following, 0.9),
            "following_max": following[-1],
            "followers_median": statistics.median(followers),
            "followers_p90": percentile(followers, 0.9),
            "followers_max": followers[-1],
            "db_bytes": path.stat().st_size,
        }
    finally:
        con.close()


def fresh_copy(pristine: Path, run_dir: Path) -> Path:
    """A writable copy of the pristine database in run_dir (any previous run's files are removed)."""
    if run_dir.exists():
        shutil.rmtree(run_dir)
    run_dir.mkdir(parents=True)
    shutil.copyfile(pristine, run_dir / DB)
    return run_dir / DB


def typical_users(path: Path, n: int) -> list[dict[str, Any]]:
    """n users whose following count is closest to the median: each load worker logs in as one."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        following = sorted(r[0] for r in con.execute("SELECT following_count FROM users"))
        median = statistics.median(following)
        rows = con.execute("SELECT handle, following_count, followers_count FROM users "
                           "ORDER BY abs(following_count - ?), id LIMIT ?", (median, n)).fetchall()
    finally:
        con.close()
    if len(rows) < n:
        raise SystemExit(f"the dataset has only {len(rows)} users; --concurrency {n} needs one per worker")
    return [{"handle": h, "following": fg, "followers": fr} for h, fg, fr in rows]


def all_handles(path: Path) -> list[str]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return [r[0] for r in con.execute("SELECT handle FROM users ORDER BY id")]
    finally:
        con.close()
