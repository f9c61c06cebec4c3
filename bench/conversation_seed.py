"""A conversations dataset, written through the store (SqliteStore.bulk, create_user, post_bark,
add_reaction; the follow graph in bulk SQL): users and a follow graph as barker.seed makes them, then
barks of which ~30% are replies (a quarter of those continue their author's own latest bark, so active
authors grow long self-threads),
Zipf-popular hashtags, mentions of popular users, a rare word in some barks (for search), rebarks and
reactions, and one thread of 1,000 replies under one root (a chain plus branches) spread through the
second half of the timeline. Deterministic for a given random seed.

It runs under any checkout of Barker: `PYTHONPATH=<tree> python bench/conversation_seed.py OUT.db USERS
BARKS SEED [--fanout]` imports that tree's store. A tree without conversations (before issue 18) stores
the same barks and texts without the reply edges, tags and mentions, so a home timeline comparison between
the two trees reads the same barks. Prints one JSON line of facts.

Fan-out is optional: at 1,000,000 barks it would write ~70 million stream rows (half an hour here), and the
conversation reads (threads, tags, search, notifications) do not read streams. Without it the fan-out
queue is emptied, so a server on the data does not spend the benchmark fanning out.
"""

from __future__ import annotations

import json
import math
import random
import sqlite3
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from barker import fanout
from barker.errors import Conflict
from barker.ids import now_ms
from barker.ports.types import NewUser
from barker.security import make_hasher
from barker.seed import BIO, DEMO_PASSWORD, EMOJI, FIRST, LAST, TOPICS, _PastIds, _pick, _poisson, _weights
from barker.settings import Settings
from barker.store.sqlite import SqliteStore

try:  # issue 18 and later; a tree before it has no BarkContent and stores plain barks
    from barker.ports.types import BarkContent
except ImportError:  # pragma: no cover - only under an older checkout
    BarkContent = None  # type: ignore[assignment,misc]

# barker.seed's bark texts as they were before it learned conversations (b86a5aa to ca2cf68): plain
# sentences, to which this generator adds its own mentions, tags and words; the same under every tree.
TEMPLATES = ["Just tried {topic} for the first time and honestly? Hooked.",
             "Hot take: {topic} is underrated. {topic2} is overrated.",
             "Anyone else spending the weekend on {topic}?", "Day {n} of learning {topic}. Progress!",
             "Reading about {topic} again. Send recommendations.",
             "The best thing about {topic} is the people. The worst is {topic2}.",
             "Shipping a small {topic} project today. Wish me luck!",
             "If you like {topic}, you will love {topic2}. Trust me.", "Morning {topic}, evening {topic2}."]
REPLY_SHARE = 0.30  # of original barks
SELF_REPLY_SHARE = 0.25  # of replies: the author continues their own latest bark (self-threads)
REBARK_SHARE = 0.05
TAGGED_SHARE = 0.40  # barks with 1-3 hashtags
MENTION_SHARE = 0.15  # barks (besides replies, which mention whom they answer) mentioning 1-2 users
RARE_WORD_SHARE = 0.30  # barks with one word from a large Zipf vocabulary (search for rare words)
REACTIONS_PER_BARK = 0.3
TAG_VOCABULARY = 5_000
TAG_EXPONENT = 1.1
WORD_VOCABULARY = 200_000
THREAD_REPLIES = 1_000
THREAD_CHAIN = 400  # of them one chain (each answers the one before); the rest branch off the thread
DAYS = 14
MEAN_FOLLOWING, FOLLOWING_SIGMA, POPULARITY_EXPONENT = 74.0, 1.3, 0.9  # barker.seed's graph
FANOUT_THRESHOLD = 10_000  # the server's default
Progress = Callable[[str, int, int], None]


def tag_name(rank: int) -> str:
    """Tag of a popularity rank: the seed topics first, then topic-number tags."""
    return TOPICS[rank] if rank < len(TOPICS) else f"{TOPICS[rank % len(TOPICS)]}{rank}"


def rare_word(rank: int) -> str:
    """A word of the large vocabulary (letters only, so every tokenizer keeps it one word)."""
    letters = "bcdfghjklmnpqrstvwxz"
    word = ""
    rank += 1
    while rank:
        rank, r = divmod(rank, len(letters))
        word += letters[r]
    return "qu" + word + "o"


def _zipf_cum(n: int, exponent: float) -> list[float]:
    """Cumulative Zipf weights over ranks 0..n-1 in rank order (rank 0 the most popular)."""
    total, out = 0.0, []
    for r in range(1, n + 1):
        total += 1.0 / r ** exponent
        out.append(total)
    return out


class _Text:
    """A bark's text with its entities (code-point ranges), mentions and tags, built piece by piece."""

    def __init__(self) -> None:
        self.text = ""
        self.entities: list[dict[str, Any]] = []
        self.mentions: list[int] = []
        self.tags: list[str] = []

    def add(self, words: str) -> None:
        self.text += (" " if self.text else "") + words

    def mention(self, user_id: int, handle: str) -> None:
        if user_id in self.mentions:
            return
        self.add(f"@{handle}")
        end = len(self.text)
        self.entities.append({"type": "mention", "start": end - len(handle) - 1, "end": end, "user_id": user_id,
                              "handle": handle})
        self.mentions.append(user_id)

    def tag(self, tag: str) -> None:
        if tag in self.tags:
            return
        self.add(f"#{tag}")
        end = len(self.text)
        self.entities.append({"type": "tag", "start": end - len(tag) - 1, "end": end, "tag": tag})
        self.tags.append(tag)


def build(path: Path, users: int, barks: int, random_seed: int = 42, *, fanout_rows: bool = True,
          progress: Progress = lambda stage, done, total: None) -> dict[str, Any]:
    started = time.perf_counter()
    stages: dict[str, float] = {}
    mark = [started]

    def stage_done(name: str) -> None:
        now = time.perf_counter()
        stages[name] = round(now - mark[0], 2)
        mark[0] = now

    rng = random.Random(random_seed)
    settings = Settings(data_dir=path.parent)
    password_hash = make_hasher(settings).hash(DEMO_PASSWORD)  # once: every user shares it
    store = SqliteStore(path)
    try:
        node = store.claim_node(f"bench-seed-{uuid.uuid4()}", now_ms(), 3_600_000)
        ids = _PastIds(node)
        start = now_ms() - DAYS * 86_400_000
        span = DAYS * 86_400_000
        user_ids, handles = _users(store, ids, rng, users, start, span, password_hash, progress)
        stage_done("users")
        popularity = _weights(users, POPULARITY_EXPONENT, rng)
        follows = _follows(path, ids, rng, user_ids, popularity, start, span, progress)
        stage_done("follows")
        facts = _barks(store, ids, rng, user_ids, handles, popularity, barks, start, span, progress)
        stage_done("barks")
        if fanout_rows:
            fanned = [0]

            def count(rows: int) -> None:
                fanned[0] += rows
                progress("stream rows", fanned[0], 0)

            facts["stream_rows"] = fanout.drain(store, 50_000, count) if store.pending_jobs() else 0
            store.maintenance().run_all(50_000, lambda moved: progress("compacted", moved, 0))
            stage_done("fan-out")
    finally:
        store.close()
    with sqlite3.connect(path) as con:
        if not fanout_rows:
            facts["stream_rows"] = 0
            facts["fanout_jobs_dropped"] = con.execute("DELETE FROM jobs WHERE kind = 'fanout'").rowcount
        facts["notifications"] = _notifications(con)
    con.close()
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the pristine copy is the single file
    con.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    stage_done("finish")
    return {"users": users, "barks": barks, "random_seed": random_seed, "follows": follows,
            "fanout": fanout_rows, "conversations": BarkContent is not None,
            "seed_seconds": round(time.perf_counter() - started, 1), "stage_seconds": stages,
            "db_bytes": path.stat().st_size, **facts}


def _users(store: SqliteStore, ids: _PastIds, rng: random.Random, n: int, start: int, span: int,
           password_hash: str, progress: Progress) -> tuple[list[int], list[str]]:
    user_ids: list[int] = []
    handles: list[str] = []
    for chunk in range(0, n, 5_000):
        with store.bulk():
            for i in range(chunk, min(n, chunk + 5_000)):
                first, last = rng.choice(FIRST), rng.choice(LAST)
                handle = f"{first}_{last}"[:22] + str(i)  # unique by construction
                topic, topic2 = rng.sample(TOPICS, 2)
                user_id = ids.at(start + i * (span // 10) // n)
                store.create_user(NewUser(user_id, handle, handle.lower(), f"{first.title()} {last.title()}",
                                          rng.choice(BIO).format(topic=topic, topic2=topic2), password_hash))
                user_ids.append(user_id)
                handles.append(handle)
        progress("users", len(user_ids), n)
    return user_ids, handles


def _follows(path: Path, ids: _PastIds, rng: random.Random, user_ids: list[int], popularity: list[float],
             start: int, span: int, progress: Progress) -> int:
    """How many each user follows is log-normal; whom is Zipf by popularity (barker.seed's graph). Written
    in bulk with plain SQL (what SqliteStore.follow does but its stream event and backfill job, which
    a graph made before any bark needs neither of): through the store it took ~30 minutes at 100,000 users
    here, this takes about one."""
    n = len(user_ids)
    mu = math.log(MEAN_FOLLOWING) - FOLLOWING_SIGMA ** 2 / 2
    wanted = [min(n - 1, max(1, round(rng.lognormvariate(mu, FOLLOWING_SIGMA)))) for _ in range(n)]
    total, done = sum(wanted), 0
    follow_start = start + span // 10
    con = sqlite3.connect(path)
    try:
        for chunk in range(0, n, 5_000):
            rows = []
            for u in range(chunk, min(n, chunk + 5_000)):
                targets: set[int] = set()
                while len(targets) < wanted[u]:
                    v = _pick(popularity, rng) if len(targets) < n // 2 else rng.randrange(n)
                    if v != u:
                        targets.add(v)
                for v in sorted(targets):
                    rows.append((user_ids[u], user_ids[v],
                                 ids.at(follow_start + done * (span // 10) // max(total, 1))))
                    done += 1
            with con:
                con.executemany("INSERT INTO follows (follower, followee, id) VALUES (?, ?, ?)", rows)
            progress("follows", done, total)
        with con:
            con.execute("UPDATE users SET following_count = (SELECT count(*) FROM follows WHERE follower = users.id), "
                        "followers_count = (SELECT count(*) FROM follows WHERE followee = users.id)")
    finally:
        con.close()
    return done


def _barks(store: SqliteStore, ids: _PastIds, rng: random.Random, user_ids: list[int], handles: list[str],
           popularity: list[float], count: int, start: int, span: int, progress: Progress) -> dict[str, Any]:
    n = len(user_ids)
    activity = _weights(n, 1.0, rng)
    tag_cum = _zipf_cum(TAG_VOCABULARY, TAG_EXPONENT)
    word_cum = _zipf_cum(WORD_VOCABULARY, 1.0)
    bark_start = start + span // 5
    stamps = sorted(bark_start + rng.randrange(span - span // 5) for _ in range(count))
    # The big thread: its root and replies take slots spread over the second half of the timeline.
    thread_size = min(THREAD_REPLIES + 1, count // 4)
    thread_slots = rng.sample(range(count // 2, count), thread_size) if thread_size > 1 else []
    in_thread_slots = set(thread_slots)
    thread = _Thread([user_ids[_pick(popularity, rng)] for _ in range(20)], rng)
    author_of: dict[int, int] = {}
    handle_of = dict(zip(user_ids, handles, strict=True))
    last_of: dict[int, int] = {}  # each author's latest original bark
    originals: list[int] = []
    facts = {"originals": 0, "replies": 0, "self_replies": 0, "rebarks": 0, "reactions": 0, "tagged": 0,
             "mentioning": 0}

    for chunk in range(0, count, 2_000):
        with store.bulk():
            for k in range(chunk, min(count, chunk + 2_000)):
                bark_id = ids.at(stamps[k])
                parent: int | None = None
                in_thread = k in in_thread_slots
                if in_thread:
                    author, parent = thread.next_member()
                    thread.posted(bark_id)
                else:
                    author = user_ids[_pick(activity, rng)]
                    if originals and rng.random() < REBARK_SHARE:
                        original = originals[max(0, len(originals) - 1 - int(rng.expovariate(1 / 50)))]
                        try:  # a repeat within this uncommitted chunk is refused
                            store.post_bark(bark_id, author, None, original, FANOUT_THRESHOLD, bark_id)
                            facts["rebarks"] += 1
                            continue
                        except Conflict:
                            pass
                    if originals and rng.random() < REPLY_SHARE:
                        if author in last_of and rng.random() < SELF_REPLY_SHARE:
                            parent = last_of[author]
                        else:
                            parent = originals[max(0, len(originals) - 1 - int(rng.expovariate(1 / 200)))]
                text = _text(rng, author, parent, author_of, handle_of, user_ids, popularity, tag_cum, word_cum)
                if BarkContent is not None:
                    content = BarkContent(reply_to=parent, mentions=tuple(text.mentions), tags=tuple(text.tags),
                                          entities=tuple(text.entities))
                    store.post_bark(bark_id, author, text.text, None, FANOUT_THRESHOLD, bark_id, content=content)
                else:
                    store.post_bark(bark_id, author, text.text, None, FANOUT_THRESHOLD, bark_id)
                author_of[bark_id] = author
                if not in_thread:  # other replies stay out of the big thread: it has exactly its own
                    originals.append(bark_id)
                    last_of[author] = bark_id
                facts["originals"] += 1
                facts["replies"] += parent is not None
                facts["self_replies"] += parent is not None and author_of[parent] == author
                facts["tagged"] += bool(text.tags)
                facts["mentioning"] += bool(text.mentions)
                for _ in range(_poisson(REACTIONS_PER_BARK, rng)):
                    reactor = user_ids[rng.randrange(n)]
                    if store.add_reaction(bark_id, reactor, rng.choice(EMOJI), ids.at(stamps[k] + 1)):
                        facts["reactions"] += 1
        progress("barks", min(count, chunk + 2_000), count)
    return facts | {"thread_root": thread.nodes[0] if thread.nodes else None,
                    "thread_replies": max(0, len(thread.nodes) - 1), "thread_chain": thread.chain}


class _Thread:
    """The big thread: a root, then a chain of THREAD_CHAIN replies each answering the one before (every
    other post while the chain lasts), the rest branches answering earlier thread barks (mostly the root
    and the chain's first barks: people join early). Its people take turns."""

    def __init__(self, people: list[int], rng: random.Random) -> None:
        self.people, self.rng = people, rng
        self.nodes: list[int] = []
        self.chain_tip: int | None = None
        self.chain = 0
        self._extends = False  # the member being posted extends the chain

    def next_member(self) -> tuple[int, int | None]:
        i = len(self.nodes)
        author = self.people[i % len(self.people)]
        self._extends = i > 0 and self.chain < THREAD_CHAIN and i % 2 == 1
        if i == 0:
            return author, None
        if self._extends:
            self.chain += 1
            return author, self.chain_tip if self.chain_tip is not None else self.nodes[0]
        return author, self.nodes[min(i - 1, int(self.rng.expovariate(1 / 40)))]

    def posted(self, bark_id: int) -> None:
        if self._extends:
            self.chain_tip = bark_id
        self.nodes.append(bark_id)


def _text(rng: random.Random, author: int, parent: int | None, author_of: dict[int, int],
          handle_of: dict[int, str], user_ids: list[int], popularity: list[float], tag_cum: list[float],
          word_cum: list[float]) -> _Text:
    t = _Text()
    if parent is not None and author_of[parent] != author:  # a reply names whom it answers
        who = author_of[parent]
        t.mention(who, handle_of[who])
    topic, topic2 = rng.sample(TOPICS, 2)
    t.add(rng.choice(TEMPLATES).format(topic=topic, topic2=topic2, n=rng.randrange(2, 100)))
    if rng.random() < RARE_WORD_SHARE:
        t.add(f"Also: {rare_word(_pick(word_cum, rng))}.")
    if rng.random() < MENTION_SHARE:
        for _ in range(rng.choice((1, 1, 2))):
            who = user_ids[_pick(popularity, rng)]
            if who != author:
                t.mention(who, handle_of[who])
    if rng.random() < TAGGED_SHARE:
        for _ in range(rng.choice((1, 1, 2, 3))):
            t.tag(tag_name(_pick(tag_cum, rng)))
    return t


def _notifications(con: sqlite3.Connection) -> int | None:
    """The notification history the seeded actions would have left (a tree without the notifications
    table has none). INSERT OR IGNORE: rows the store already wrote stay as they are; a reply that also
    mentions whom it answers notifies them once, as a reply."""
    if con.execute("SELECT 1 FROM sqlite_master WHERE name = 'notifications'").fetchone() is None:
        return None
    con.executescript("""
        INSERT OR IGNORE INTO notifications (owner, id, type, actor, bark)
          SELECT reply_author, id, 'reply', author, id FROM barks
          WHERE reply_to IS NOT NULL AND reply_author != author;
        INSERT OR IGNORE INTO notifications (owner, id, type, actor, bark)
          SELECT m.value, b.id, 'mention', b.author, b.id FROM barks b, json_each(b.mentions) m
          WHERE b.mentions != '[]' AND m.value != b.author;
        INSERT OR IGNORE INTO notifications (owner, id, type, actor, bark)
          SELECT b.author, r.id, 'reaction', r.user_id, r.bark FROM reactions r JOIN barks b ON b.id = r.bark
          WHERE r.user_id != b.author;
        INSERT OR IGNORE INTO notifications (owner, id, type, actor, bark)
          SELECT o.author, b.id, 'rebark', b.author, o.id FROM barks b JOIN barks o ON o.id = b.rebark_of
          WHERE o.author != b.author;
        INSERT OR IGNORE INTO notifications (owner, id, type, actor, bark)
          SELECT followee, id, 'follow', follower, NULL FROM follows;
    """)
    con.commit()
    return con.execute("SELECT count(*) FROM notifications").fetchone()[0]


def main(argv: list[str]) -> None:
    out, users, barks, random_seed = Path(argv[0]), int(argv[1]), int(argv[2]), int(argv[3])
    last = [0.0]

    def progress(stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if now - last[0] >= 10 or (total and done >= total):
            last[0] = now
            print(f"seed {stage:>12}: {done:,}" + (f" / {total:,}" if total else ""), file=sys.stderr, flush=True)

    print(json.dumps(build(out, users, barks, random_seed, fanout_rows="--fanout" in argv, progress=progress)))


if __name__ == "__main__":
    main(sys.argv[1:])
