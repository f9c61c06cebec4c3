"""Property: on random follow graphs and random reply trees, every path a bark takes to a home timeline
agrees with policies.reply_reaches_home: fan-out on write, backfill on a follow, the read-time merge of
authors above the threshold, the fallback below a stream's floor, and live delivery to online followers.

Each example builds the graph and the barks on a fresh store along one path, then reads every user's whole
home timeline page by page and compares it with the reference computed from the rule in plain Python."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from barker import fanout
from barker.ids import IdGenerator
from barker.policies import reply_reaches_home
from barker.ports.types import BarkContent, NewUser
from barker.store.sqlite import SqliteStore
from tests.conftest import ADAPTERS, ARANGO_SKIP, ARANGO_URL, arango_store
from tests.pages import home_ids, session_for
from tests.store_testing import StoreUnderTest

USERS = 4
PATHS = ("fan-out", "backfill", "read-time merge", "fallback below the floor")


@contextmanager
def fresh_store(adapter: str, directory: Path) -> Iterator[StoreUnderTest]:
    if adapter == "arango":
        yield from arango_store()
        return
    s: StoreUnderTest = SqliteStore(directory / "s.db")
    try:
        yield s
    finally:
        s.close()


# A graph: follow edges (follower, followee) among USERS users. Barks: (author, parent) where parent indexes an
# earlier bark (None: a root); deletions: indexes of barks deleted at the end.
edges = st.sets(st.tuples(st.integers(0, USERS - 1), st.integers(0, USERS - 1)).filter(lambda e: e[0] != e[1]))
barks = st.lists(st.tuples(st.integers(0, USERS - 1), st.integers(0, 30) | st.none()), min_size=1, max_size=14)


def reference(users: list[int], follows: set[tuple[int, int]], posted: list[tuple[int, int, int | None]],
              deleted: set[int], reader: int) -> list[int]:
    """The reader's home: existing barks by them or anyone they follow that the rule lets reach them."""
    authors = {reader} | {b for a, b in follows if a == reader}
    return sorted((bark for bark, author, replied_to in posted
                   if bark not in deleted and author in authors
                   and reply_reaches_home(reader, author, replied_to, (reader, replied_to) in follows)),
                  reverse=True)


def read_home(store: StoreUnderTest, reader: int, page: int) -> list[int]:
    session = session_for(store, reader)
    out: list[int] = []
    before = None
    while True:
        ids = home_ids(store, session, before, page)
        out.extend(ids)
        if len(ids) < page:
            return out
        before = ids[-1]


@pytest.mark.parametrize("adapter", ADAPTERS)
@pytest.mark.parametrize("path", PATHS)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(graph=edges, tree=barks, deletions=st.sets(st.integers(0, 13), max_size=3), page=st.integers(1, 4))
def test_every_path_follows_the_reply_rule(tmp_path_factory, adapter, path, graph, tree, deletions, page):
    if adapter == "arango" and not ARANGO_URL:
        pytest.skip(ARANGO_SKIP)
    with fresh_store(adapter, tmp_path_factory.mktemp("reply_rule")) as store:
        gen = IdGenerator(0)
        users = [gen.next() for _ in range(USERS)]
        for i, uid in enumerate(users):
            store.create_user(NewUser(uid, f"u{i}", f"u{i}", f"U{i}", "", "x"))
        follows = {(users[a], users[b]) for a, b in graph}
        threshold = 0 if path == "read-time merge" else 10_000  # 0: every author with followers is merged

        def follow_all() -> None:
            for follower, followee in sorted(follows):
                store.follow(follower, followee, gen.next(), gen.next())

        if path != "backfill":
            follow_all()
        posted: list[tuple[int, int, int | None]] = []  # (bark, author, author of the bark it answers)
        for author_index, parent in tree:
            author = users[author_index]
            answered = posted[parent % len(posted)] if parent is not None and posted else None
            bark = store.post_bark(gen.next(), author, "t", None, threshold, gen.next(),
                                   content=BarkContent(reply_to=answered and answered[0])).id
            posted.append((bark, author, answered and answered[1]))
        if path == "backfill":  # the barks first; each follow's backfill runs below, on the whole graph
            follow_all()
        fanout.drain(store, 3)
        deleted = {posted[i][0] for i in deletions if i < len(posted)}
        for bark in deleted:
            store.delete_bark(bark)
        if path == "fallback below the floor":
            for user in users:
                store.trim_stream(user, 0)
        for reader in users:
            assert read_home(store, reader, page) == reference(users, follows, posted, deleted, reader)
        # Live delivery of each bark (as it is posted: so not the deleted ones) to its author's online
        # followers, everyone being online.
        for bark, author, replied_to in posted:
            if bark in deleted:
                continue
            expected = {f for f in users if (f, author) in follows
                        and reply_reaches_home(f, author, replied_to, (f, replied_to) in follows)}
            assert set(store.online_followers(author, users, bark)) == expected
