"""Random follow-graph histories for the stream property tests: the operations (a hypothesis strategy) and
a model that applies them to a real store while keeping the reference (who follows whom, which barks exist
and who wrote them), so each test only adds what it reads and checks."""

from __future__ import annotations

from dataclasses import dataclass, field

from hypothesis import strategies as st

from barker import fanout
from barker.errors import Conflict
from barker.ids import IdGenerator
from barker.ports.types import NewUser
from barker.store.sqlite import SqliteStore

USERS = 3  # few users, so operations collide often


def graph_ops(users: int = USERS) -> list[st.SearchStrategy[tuple[str, int, int]]]:
    """(name, x, y) operations on `users` users; a test adds its own (reads) with st.one_of(*ops, ...)."""
    return [
        st.tuples(st.just("follow"), st.integers(0, users - 1), st.integers(0, users - 1)),
        st.tuples(st.just("unfollow"), st.integers(0, users - 1), st.integers(0, users - 1)),
        st.tuples(st.just("post"), st.integers(0, users - 1), st.just(0)),
        st.tuples(st.just("rebark"), st.integers(0, users - 1), st.integers(0, 50)),
        st.tuples(st.just("delete"), st.integers(0, 50), st.just(0)),
        st.tuples(st.just("drain"), st.just(0), st.just(0)),
        st.tuples(st.just("round"), st.integers(1, 4), st.just(0)),  # one worker transaction, not all of them
        st.tuples(st.just("trim"), st.integers(0, users - 1), st.integers(0, 4)),
        st.tuples(st.just("compact"), st.integers(1, 12), st.integers(0, users)),  # rows, after which user
    ]


@dataclass
class GraphModel:
    store: SqliteStore
    threshold: int  # the hybrid rule's follower threshold passed to post_bark
    users: list[int] = field(default_factory=list)
    gen: IdGenerator = field(default_factory=lambda: IdGenerator(0))
    follows: set[tuple[int, int]] = field(default_factory=set)
    barks: dict[int, int] = field(default_factory=dict)  # bark id -> author (rebarks included)
    rebark_of: dict[int, int] = field(default_factory=dict)

    @classmethod
    def create(cls, store: SqliteStore, threshold: int, users: int = USERS) -> GraphModel:
        model = cls(store, threshold)
        model.users = [model.gen.next() for _ in range(users)]
        for i, uid in enumerate(model.users):
            store.create_user(NewUser(uid, f"u{i}", f"u{i}", f"U{i}", "", "x"))
        return model

    def authors_of(self, reader: int) -> set[int]:
        """Whose barks belong in the reader's home timeline: their own and those they follow."""
        return {reader} | {b for a, b in self.follows if a == reader}

    def home_reference(self, reader: int) -> list[int]:
        authors = self.authors_of(reader)
        return sorted((bid for bid, author in self.barks.items() if author in authors), reverse=True)

    def apply(self, name: str, x: int, y: int) -> bool:
        """Apply one operation of graph_ops(); False if `name` is not one of them (a test's own)."""
        store, users, gen = self.store, self.users, self.gen
        if name == "follow":
            if x != y:
                store.follow(users[x], users[y], gen.next(), gen.next())
                self.follows.add((users[x], users[y]))
        elif name == "unfollow":
            store.unfollow(users[x], users[y])
            self.follows.discard((users[x], users[y]))
        elif name == "post":
            self.barks[store.post_bark(gen.next(), users[x], "t", None, self.threshold, gen.next()).id] = users[x]
        elif name == "rebark":
            originals = [b for b in sorted(self.barks) if b not in self.rebark_of]
            if originals:
                original = originals[y % len(originals)]
                try:
                    posted = store.post_bark(gen.next(), users[x], None, original, self.threshold, gen.next())
                except Conflict:
                    return True
                self.barks[posted.id] = users[x]
                self.rebark_of[posted.id] = original
        elif name == "delete":
            if self.barks:
                victim = sorted(self.barks)[x % len(self.barks)]
                store.delete_bark(victim)
                for gone in [victim] + [r for r, o in self.rebark_of.items() if o == victim]:
                    self.barks.pop(gone, None)
                    self.rebark_of.pop(gone, None)
        elif name == "drain":
            fanout.drain(store, 2)
        elif name == "round":
            fanout.fan_out_some(store, x)
        elif name == "trim":
            store.trim_stream(users[x], y)
        elif name == "compact":  # move a few owners' fresh entries into the settled tier
            store.compact_streams(x, users[y - 1] if y else 0)
        else:
            return False
        return True
