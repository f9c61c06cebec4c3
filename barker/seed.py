"""Realistic demo data, written through the store like any other writes: users with bios, a follow graph
with a heavy tail (log-normal following counts, Zipf-like popularity), barks spread over past days with
hashtags, mentions and replies (conversations a few replies deep), rebarks and reactions; then the fan-out
queue is drained. Deterministic for a given random seed."""

from __future__ import annotations

import bisect
import itertools
import math
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from barker import fanout
from barker.errors import Conflict
from barker.geo import DEFAULT_RESOLUTION, snap
from barker.ids import compose, now_ms
from barker.ports.store import Store
from barker.ports.types import NewUser
from barker.services.barks import bark_content

DEMO_HANDLE = "demo"
DEMO_PASSWORD = "barker-demo"

FIRST = ('ada alan grace linus guido barbara ken dennis margaret edsger donald niklaus john tim katherine '
         'radia frances hedy annie sophie yukihiro bjarne james anders rasmus larry brendan mitchell lovelace '
         'joan claude shafi silvio leslie whitfield martin ivan').split()
LAST = ('lovelace turing hopper torvalds rossum liskov thompson ritchie hamilton dijkstra knuth wirth '
        'mccarthy bernerslee johnson perlman allen lamarr easley wilson matsumoto stroustrup gosling '
        'hejlsberg lerdorf wall eich baker clarke shannon goldwasser micali lamport diffie hellman').split()
TOPICS = ('coffee rust python sqlite graphs maps cats dogs bikes jazz climbing bread chess gardening astronomy '
          'trains sourdough typography databases compilers').split()
BIO = ["{topic} enthusiast. Opinions my own.", "Writes about {topic} and {topic2}.",
       "Building things with {topic}. Sometimes {topic2}.", "Here for the {topic} takes.", ""]
BARKS = ["Just tried {topic} for the first time and honestly? Hooked.",
         "Hot take: {topic} is underrated. {topic2} is overrated.",
         "Anyone else spending the weekend on {topic}?", "Day {n} of learning {topic}. Progress!",
         "Reading about {topic} again. Send recommendations.",
         "The best thing about {topic} is the people. The worst is {topic2}.",
         "Shipping a small {topic} project today. Wish me luck!",
         "If you like {topic}, you will love {topic2}. Trust me.", "Morning {topic}, evening {topic2}.",
         "Today's #{topic} win: it finally worked.", "Thread on #{topic} and why #{topic2} matters 🧵",
         "@{friend} you were right about {topic}.", "Reading https://example.org/{topic} about #{topic}."]
REPLIES = ["@{parent} agreed!", "Not sure about that, @{parent}. What about {topic}?", "Same here. #{topic}",
           "Ha, this is so true.", "@{parent} have you tried {topic2}?", "Following this thread 👀",
           "And then there is #{topic2}…"]
CITIES = [(52.52, 13.40), (48.86, 2.35), (51.51, -0.13), (40.71, -74.01), (35.68, 139.69), (-33.87, 151.21),
          (37.77, -122.42), (59.33, 18.07)]
EMOJI = ["🐶", "👍", "❤️", "😂", "🎉", "🔥", "👀", "🙌"]


@dataclass
class SeedPlan:
    users: int = 300
    barks: int = 3000
    mean_following: float = 74.0
    following_sigma: float = 1.3  # log-normal spread: median ~32, top decile in the hundreds
    popularity_exponent: float = 0.9  # Zipf exponent over a random ranking of users
    rebark_share: float = 0.05
    reply_share: float = 0.25  # of the barks that are no rebark: replies to a recent bark (or to a reply)
    reactions_per_bark: float = 0.5
    located_share: float = 0.6
    days: int = 14
    random_seed: int = 42
    fanout_threshold: int = 10_000
    location_resolution: int = DEFAULT_RESOLUTION  # BARKER_LOCATION_RESOLUTION: seeded locations are cells too
    fanout_batch_size: int = 50_000  # stream rows per fan-out transaction while seeding


@dataclass
class SeedReport:
    users: int = 0
    located: int = 0
    follows: int = 0
    barks: int = 0
    rebarks: int = 0
    replies: int = 0
    reactions: int = 0
    stream_rows: int = 0
    user_ids: list[int] = field(default_factory=list)
    following_counts: list[int] = field(default_factory=list)


class _PastIds:
    """Unique time-ordered ids for past instants (seeding writes history)."""

    def __init__(self, node: int) -> None:
        self.node = node
        self.last_ms = 0
        self.seq = 0

    def at(self, ms: int) -> int:
        ms = max(ms, self.last_ms)
        if ms == self.last_ms:
            self.seq += 1
            if self.seq > 127:
                ms, self.seq = ms + 1, 0
        else:
            self.seq = 0
        self.last_ms = ms
        return compose(ms, self.node, self.seq)


def _weights(n: int, exponent: float, rng: random.Random) -> list[float]:
    """Cumulative Zipf weights over a random ranking of n users."""
    ranks = list(range(1, n + 1))
    rng.shuffle(ranks)
    return list(itertools.accumulate(1.0 / r ** exponent for r in ranks))


def _pick(cum: list[float], rng: random.Random) -> int:
    return bisect.bisect_left(cum, rng.random() * cum[-1])


def seed(store: Store, plan: SeedPlan, password_hash: str,
         progress: Callable[[str, int, int], None] = lambda stage, done, total: None) -> SeedReport:
    rng = random.Random(plan.random_seed)
    report = SeedReport()
    holder = f"seed-{uuid.uuid4()}"
    node = store.claim_node(holder, now_ms(), 3_600_000)
    ids = _PastIds(node)
    n = plan.users
    start = now_ms() - plan.days * 86_400_000
    span = plan.days * 86_400_000

    # Users: created in the first tenth of the window.
    handles: set[str] = set()
    handle_of: dict[int, str] = {}
    with store.bulk():
        for i in range(n):
            first, last = rng.choice(FIRST), rng.choice(LAST)
            handle = DEMO_HANDLE if i == 0 else f"{first}_{last}"[:26]
            while handle in handles:
                handle = f"{first}_{last}"[:24] + str(rng.randrange(10, 10_000))
            handles.add(handle)
            topic, topic2 = rng.sample(TOPICS, 2)
            user_id = ids.at(start + i * (span // 10) // n)
            store.create_user(NewUser(user_id, handle, handle.lower(), f"{first.title()} {last.title()}",
                                      rng.choice(BIO).format(topic=topic, topic2=topic2), password_hash))
            report.user_ids.append(user_id)
            handle_of[user_id] = handle
            if i % 1000 == 0:
                progress("users", i, n)
    progress("users", n, n)
    report.users = n

    # Locations: most users share one, scattered around a few cities, so "who is near me" has answers.
    with store.bulk():
        for user_id in report.user_ids:
            if user_id == report.user_ids[0] or rng.random() < plan.located_share:
                lat, lon = rng.choice(CITIES)
                cell = snap(lat + rng.gauss(0, 0.05), lon + rng.gauss(0, 0.08), plan.location_resolution)
                store.set_location(user_id, cell, None, now_ms())
                report.located += 1

    # Follow graph: how many each user follows is log-normal; whom is Zipf by popularity.
    mu = math.log(plan.mean_following) - plan.following_sigma ** 2 / 2
    popularity = _weights(n, plan.popularity_exponent, rng)
    wanted = [min(n - 1, max(1, round(rng.lognormvariate(mu, plan.following_sigma)))) for _ in range(n)]
    if n > 1:
        wanted[0] = min(n - 1, round(plan.mean_following))
    total_edges = sum(wanted)
    follow_start = start + span // 10
    done = 0
    for chunk in range(0, n, 500):
        with store.bulk():
            for u in range(chunk, min(n, chunk + 500)):
                targets: set[int] = set()
                while len(targets) < wanted[u]:
                    v = _pick(popularity, rng) if len(targets) < n // 2 else rng.randrange(n)
                    if v != u:
                        targets.add(v)
                for v in targets:
                    edge = ids.at(follow_start + done * (span // 10) // max(total_edges, 1))
                    if store.follow(report.user_ids[u], report.user_ids[v], edge, edge):
                        report.follows += 1
                    done += 1
                report.following_counts.append(len(targets))
        progress("follows", done, total_edges)

    # Barks over the remaining window; authors Zipf by activity. Some rebarks and reactions.
    activity = _weights(n, 1.0, rng)
    bark_start = start + span // 5
    stamps = sorted(bark_start + rng.randrange(span - span // 5) for _ in range(plan.barks))
    originals: list[int] = []
    authors: dict[int, int] = {}  # bark id -> author, for replies
    for chunk in range(0, plan.barks, 2000):
        with store.bulk():
            for k in range(chunk, min(plan.barks, chunk + 2000)):
                author = report.user_ids[_pick(activity, rng)]
                bark_id = ids.at(stamps[k])
                if originals and rng.random() < plan.rebark_share:
                    original = originals[_pick_recent(len(originals), rng)]
                    try:  # rebark_id() cannot see this chunk's uncommitted rebarks, so catch repeats
                        store.post_bark(bark_id, author, None, original, plan.fanout_threshold, bark_id)
                        report.rebarks += 1
                        continue
                    except Conflict:
                        pass
                topic, topic2 = rng.sample(TOPICS, 2)
                reply_to = originals[_pick_recent(len(originals), rng)] if (
                    originals and rng.random() < plan.reply_share) else None
                if reply_to is not None:
                    parent = handle_of[authors[reply_to]]
                    text = rng.choice(REPLIES).format(parent=parent, topic=topic, topic2=topic2)
                else:
                    friend = handle_of[report.user_ids[_pick(popularity, rng)]]
                    text = rng.choice(BARKS).format(topic=topic, topic2=topic2, friend=friend, n=rng.randrange(2, 100))
                store.post_bark(bark_id, author, text, None, plan.fanout_threshold, bark_id,
                                content=bark_content(store, author, text, reply_to))
                originals.append(bark_id)
                authors[bark_id] = author
                report.barks += 1
                report.replies += reply_to is not None
                for _ in range(_poisson(plan.reactions_per_bark, rng)):
                    reactor = report.user_ids[rng.randrange(n)]
                    if store.add_reaction(bark_id, reactor, rng.choice(EMOJI), ids.at(stamps[k] + 1)):
                        report.reactions += 1
        progress("barks", min(plan.barks, chunk + 2000), plan.barks)

    # Fan-out: copy every bark into its author's followers' streams.
    pending = store.pending_jobs()
    fanned = [0]

    def count(rows: int) -> None:
        fanned[0] += rows
        progress("stream rows", fanned[0], 0)

    # Each batch commits on its own (readers, which find the jobs, only see committed data).
    report.stream_rows = fanout.drain(store, plan.fanout_batch_size, count) if pending else 0
    # Then into the read-optimised layout, as a running server's worker would, so a fresh server starts
    # with nothing to compact.
    store.maintenance().run_all(plan.fanout_batch_size, lambda moved: progress("compacted", moved, 0))
    return report


def _pick_recent(count: int, rng: random.Random) -> int:
    """Mostly recent barks get rebarked."""
    return max(0, count - 1 - int(rng.expovariate(1 / 50)))


def _poisson(mean: float, rng: random.Random) -> int:
    limit, k, p = math.exp(-mean), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k
