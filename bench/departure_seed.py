"""The dataset of the account-deletion benchmark (bench/departure_bench.py): one big account ("leaver")
with `barks` barks and `followers` followers, and `others` background users, written through the store
(create_user, post_bark, add_reaction) except the follow graph (plain SQL, as bench/conversation_seed.py
does: a graph made before any bark needs no stream events or backfill jobs).

- Followers follow the leaver and ~20 background users each; background users follow ~20 of each other, so
  home timelines hold more than the leaver's barks.
- The leaver's barks are spread over 14 days; others reply to ~10% of them, rebark ~5% and react to them
  (~0.5 reactions per bark); the leaver reacts to some background barks and follows 100 users.
- Fan-out: only the leaver's newest `fanned` barks (default 1,000, the stream retention) are fanned out to
  the followers. Fanning out all 10,000 to 5,000 followers would write 50 million stream rows (about seven
  minutes here) of which retention keeps the newest ~1,000 per stream anyway: what the deletion meets in
  a stream that was fanned out in full is the same. The other barks' fan-out jobs are dropped. Every other
  bark (background, replies, rebarks) is fanned out, and the streams compacted, as `barker worker` would.
"""

from __future__ import annotations

import random
import sqlite3
import time
import uuid
from contextlib import closing
from pathlib import Path
from typing import Any

from barker import fanout
from barker.ids import now_ms
from barker.ports.types import BarkContent, NewUser
from barker.security import make_hasher
from barker.seed import DEMO_PASSWORD, EMOJI, _PastIds, _poisson
from barker.settings import Settings
from barker.store.sqlite import SqliteStore

LEAVER = "leaver"
DAYS = 14
FOLLOWS_EACH = 20  # background users each follower and background user follows
BACKGROUND_BARKS_EACH = 10
REPLY_SHARE, REBARK_SHARE, REACTIONS_PER_BARK = 0.10, 0.05, 0.5
LEAVER_FOLLOWS, LEAVER_REACTIONS = 100, 300
FANOUT_THRESHOLD = Settings.model_fields["fanout_threshold"].default


def follower_handle(i: int) -> str:
    return f"fan{i}"


def other_handle(i: int) -> str:
    return f"other{i}"


def build(path: Path, barks: int = 10_000, followers: int = 5_000, others: int = 500, fanned: int = 1_000,
          random_seed: int = 42) -> dict[str, Any]:
    """Seed the database at `path` (which must not exist); returns facts about it (counts, seconds)."""
    started = time.perf_counter()
    rng = random.Random(random_seed)
    password_hash = make_hasher(Settings(data_dir=path.parent)).hash(DEMO_PASSWORD)  # once: all share it
    store = SqliteStore(path)
    try:
        ids = _PastIds(store.claim_node(f"bench-departure-{uuid.uuid4()}", now_ms(), 3_600_000))
        start = now_ms() - DAYS * 86_400_000
        handles = [LEAVER] + [follower_handle(i) for i in range(followers)] + [other_handle(i) for i in range(others)]
        with store.bulk():
            user_ids = []
            for k, handle in enumerate(handles):
                user_ids.append(ids.at(start + k))
                store.create_user(NewUser(user_ids[-1], handle, handle, handle.title(), "", password_hash))
        leaver, fans, background = user_ids[0], user_ids[1:followers + 1], user_ids[followers + 1:]
        edges = _follows(path, ids, rng, leaver, fans, background, start + 60_000)
        facts = _barks(store, ids, rng, leaver, fans + background, background, barks, start + 120_000)
        with closing(sqlite3.connect(path)) as con, con:  # only the leaver's newest `fanned` barks reach the streams
            cutoff = con.execute("SELECT id FROM barks WHERE author = ? AND rebark_of IS NULL ORDER BY id DESC "
                                 "LIMIT 1 OFFSET ?", (leaver, max(0, fanned - 1))).fetchone()
            facts["fanout_jobs_dropped"] = con.execute(
                "DELETE FROM jobs WHERE kind = 'fanout' AND author = ? AND bark < ?",
                (leaver, cutoff[0] if cutoff else 0)).rowcount
        fan_started = time.perf_counter()
        facts["stream_rows_written"] = fanout.drain(store, 50_000)
        store.maintenance().run_all(50_000)
        facts["fanout_seconds"] = round(time.perf_counter() - fan_started, 1)
    finally:
        store.close()
    with closing(sqlite3.connect(path)) as con:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # all in barker.db: runs copy that file alone
        def one(sql: str, *params: Any) -> int:
            return int(con.execute(sql, params).fetchone()[0])

        facts |= {
            "users": len(user_ids), "follows": edges,
            "leaver_barks": one("SELECT count(*) FROM barks WHERE author = ?", leaver),
            "leaver_followers": one("SELECT count(*) FROM follows WHERE followee = ?", leaver),
            "leaver_stream_entries": one("SELECT count(*) FROM stream_all WHERE author = ?", leaver),
            "replies_to_leaver": one("SELECT count(*) FROM barks b JOIN barks p ON p.id = b.reply_to "
                                     "WHERE p.author = ?", leaver),
            "rebarks_of_leaver": one("SELECT count(*) FROM barks b JOIN barks p ON p.id = b.rebark_of "
                                     "WHERE p.author = ?", leaver),
            "reactions_on_leaver": one("SELECT count(*) FROM reactions r JOIN barks b ON b.id = r.bark "
                                       "WHERE b.author = ?", leaver),
            "stream_rows": one("SELECT count(*) FROM stream_all"),
        }
    facts["seed_seconds"] = round(time.perf_counter() - started, 1)
    facts["db_bytes"] = path.stat().st_size
    return facts


def _follows(path: Path, ids: _PastIds, rng: random.Random, leaver: int, fans: list[int], background: list[int],
             at: int) -> int:
    """Every fan follows the leaver and FOLLOWS_EACH background users; each background user follows
    FOLLOWS_EACH others; the leaver follows LEAVER_FOLLOWS users. Counters set from the rows."""
    pairs: set[tuple[int, int]] = {(f, leaver) for f in fans}
    for user in fans + background:
        for target in rng.sample(background, min(FOLLOWS_EACH, len(background))):
            if target != user:
                pairs.add((user, target))
    for target in rng.sample(fans + background, min(LEAVER_FOLLOWS, len(fans) + len(background))):
        pairs.add((leaver, target))
    rows = [(a, b, ids.at(at)) for a, b in sorted(pairs)]
    with closing(sqlite3.connect(path)) as con, con:
        con.executemany("INSERT INTO follows (follower, followee, id) VALUES (?, ?, ?)", rows)
        con.execute("UPDATE users SET following_count = (SELECT count(*) FROM follows WHERE follower = users.id), "
                    "followers_count = (SELECT count(*) FROM follows WHERE followee = users.id)")
    return len(rows)


def _barks(store: SqliteStore, ids: _PastIds, rng: random.Random, leaver: int, people: list[int],
           background: list[int], count: int, start: int) -> dict[str, int]:
    """The background users' barks, then the leaver's, each with others' replies, rebarks and reactions."""
    span = DAYS * 86_400_000 - 300_000
    facts = {"background_barks": 0, "replies": 0, "rebarks": 0, "reactions": 0, "leaver_reactions": 0}
    others_barks: list[int] = []
    stamps = sorted(start + rng.randrange(span) for _ in range(len(background) * BACKGROUND_BARKS_EACH))
    with store.bulk():
        for stamp in stamps:
            bark_id = ids.at(stamp)
            store.post_bark(bark_id, rng.choice(background), "Background bark about the weather.", None,
                            FANOUT_THRESHOLD, bark_id)
            others_barks.append(bark_id)
    facts["background_barks"] = len(others_barks)
    stamps = sorted(start + rng.randrange(span) for _ in range(count))
    for chunk in range(0, count, 2_000):
        with store.bulk():
            for stamp in stamps[chunk:chunk + 2_000]:
                bark_id = ids.at(stamp)
                store.post_bark(bark_id, leaver, f"Leaver's bark number {bark_id % 100_000}.", None,
                                FANOUT_THRESHOLD, bark_id)
                if rng.random() < REPLY_SHARE:
                    reply = ids.at(stamp + 1)
                    store.post_bark(reply, rng.choice(people), "@leaver a reply", None, FANOUT_THRESHOLD, reply,
                                    content=BarkContent(reply_to=bark_id))
                    facts["replies"] += 1
                if rng.random() < REBARK_SHARE:
                    rebark = ids.at(stamp + 2)
                    store.post_bark(rebark, rng.choice(people), None, bark_id, FANOUT_THRESHOLD, rebark)
                    facts["rebarks"] += 1
                reactors = {rng.choice(people) for _ in range(_poisson(REACTIONS_PER_BARK, rng))}
                for reactor in reactors:
                    facts["reactions"] += store.add_reaction(bark_id, reactor, rng.choice(EMOJI), ids.at(stamp + 3))
    with store.bulk():
        for bark_id in rng.sample(others_barks, min(LEAVER_REACTIONS, len(others_barks))):
            facts["leaver_reactions"] += store.add_reaction(bark_id, leaver, rng.choice(EMOJI), ids.at(now_ms()))
    return facts

