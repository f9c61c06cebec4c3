"""What a client reading its stream from its cursor is sent, under any interleaving of follows, unfollows,
follows again, barks, rebarks, deletes, fan-out, trimming and compaction (the real SQLite store).

Clients read the way sockets and the HTTP endpoint do: a page at a time from their cursor, sometimes alone
(stream_events, the HTTP endpoint), sometimes all at once (stream_events_many, the socket hub). Properties:
- nothing twice: no client is ever sent the same bark twice (a soak once saw 3,424 re-deliveries after
  unfollow and follow again), and seqs only grow;
- nothing missing: at the end, every bark in the stream reached every client, except one whose place the
  client passed while it was hidden (its author unfollowed) and that a follow again revived there (the
  documented price of one place per bark: docs/stream.md, "Unfollowing and following again");
- one truth: a bark has at most one entry in a stream, live or tombstoned; a read of the whole stream
  holds each bark once, all of it in the home timeline, and every home-timeline bark at or above the
  stream's floor is in it (below the floor the home timeline falls back to a query).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from barker import fanout
from barker.ids import IdGenerator
from barker.ports.types import NewUser, StreamEvents
from barker.store.sqlite import SqliteStore
from tests.graph_ops import USERS, GraphModel, graph_ops
from tests.pages import home_ids, session_for

CLIENTS = 2  # per user: two devices reading at different moments
THRESHOLD = 10_000  # every bark is fanned out (the hybrid rule's barks are not in streams)

op = st.one_of(
    *graph_ops(),
    st.tuples(st.just("read"), st.integers(0, USERS * CLIENTS - 1), st.integers(1, 4)),  # a page of n
    st.tuples(st.just("read_all"), st.integers(1, 4), st.just(0)),  # one page for every client at once
)


@dataclass
class Client:
    owner: int
    cursor: int = 0
    sent: list[int] = field(default_factory=list)  # bark ids, in the order they were sent
    passed_hidden: set[int] = field(default_factory=set)  # barks whose place it passed while tombstoned

    def take(self, batch: StreamEvents, hidden: dict[int, int]) -> None:
        """Apply one page, as a client does; `hidden` is the owner's tombstones (seq -> bark) at the read."""
        seqs = [e["seq"] for e in batch.events]
        assert seqs == sorted(set(seqs)) and all(s > self.cursor for s in seqs), (self.cursor, seqs)
        assert batch.last_seq >= self.cursor
        self.passed_hidden |= {bark for seq, bark in hidden.items() if self.cursor < seq <= batch.last_seq}
        self.sent += [e["bark"]["id"] for e in batch.events if e["type"] == "bark"]
        assert len(self.sent) == len(set(self.sent)), f"a bark sent twice: {self.sent}"
        self.cursor = batch.last_seq


def tombstones(store: SqliteStore, owner: int) -> dict[int, int]:
    """The owner's tombstones, seq -> bark (white-box: what a read skips)."""
    rows = store._reader().execute("SELECT seq, ref FROM stream_all WHERE owner = ? AND kind = 'gone'", (owner,))
    return dict(rows.fetchall())


def read_to_end(store: SqliteStore, client: Client) -> None:
    while True:
        batch = store.stream_events(client.owner, client.cursor, 3)
        client.take(batch, tombstones(store, client.owner))
        if not batch.more:
            return


def home_timeline(store: SqliteStore, reader: int) -> list[int]:
    session, out, before = session_for(store, reader), [], None
    while ids := home_ids(store, session, before, 7):
        out += ids
        before = ids[-1]
    return out


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
# The soak's case: a bark sent, its author unfollowed and followed again.
@example(ops=[("follow", 1, 0), ("post", 0, 0), ("drain", 0, 0), ("read", 2, 4), ("unfollow", 1, 0),
              ("follow", 1, 0), ("drain", 0, 0)])
# The same after compaction: the tombstone and its revival in the settled tier.
@example(ops=[("follow", 1, 0), ("post", 0, 0), ("drain", 0, 0), ("read", 2, 4), ("compact", 12, 0),
              ("unfollow", 1, 0), ("follow", 1, 0), ("drain", 0, 0)])
# Retention trims the tombstone away before the follow again.
@example(ops=[("follow", 1, 0), ("post", 0, 0), ("drain", 0, 0), ("read", 2, 4), ("unfollow", 1, 0),
              ("post", 1, 0), ("trim", 1, 1), ("follow", 1, 0), ("drain", 0, 0)])
# A client passes the bark's place while it is hidden, and the follow again revives it behind the cursor.
@example(ops=[("follow", 1, 0), ("post", 0, 0), ("drain", 0, 0), ("unfollow", 1, 0), ("read", 2, 4),
              ("follow", 1, 0), ("drain", 0, 0)])
# The follow again comes while the bark's fan-out is still on its way to the follower.
@example(ops=[("follow", 2, 0), ("follow", 1, 0), ("post", 0, 0), ("round", 1, 0), ("unfollow", 2, 0),
              ("follow", 2, 0), ("read_all", 4, 0), ("drain", 0, 0)])
@given(ops=st.lists(op, min_size=1, max_size=40))
def test_a_client_is_never_sent_a_bark_twice_and_misses_nothing(tmp_path_factory, ops):
    store = SqliteStore(Path(tmp_path_factory.mktemp("redeliver")) / "s.db")
    model = GraphModel.create(store, THRESHOLD)
    users = model.users
    clients = [Client(users[i // CLIENTS]) for i in range(USERS * CLIENTS)]
    try:
        for name, x, y in ops:
            if model.apply(name, x, y):
                continue
            if name == "read":
                client = clients[x]
                hidden = tombstones(store, client.owner)
                client.take(store.stream_events(client.owner, client.cursor, y), hidden)
            elif name == "read_all":
                hidden_of = {u: tombstones(store, u) for u in users}
                pages = store.stream_events_many([(c.owner, c.cursor) for c in clients], x)
                for client, page in zip(clients, pages, strict=True):
                    client.take(page, hidden_of[client.owner])
        fanout.drain(store, 2)  # eventually consistent: compare once fan-out has caught up
        for client in clients:
            read_to_end(store, client)
        for reader in users:
            places = store._reader().execute(  # white-box: one entry per bark, live or tombstoned
                "SELECT ref FROM stream_all WHERE owner = ? AND kind IN ('bark', 'gone') GROUP BY ref "
                "HAVING count(*) > 1", (reader,)).fetchall()
            assert places == [], f"a bark with two places in one stream: {places}"
            whole = [e["bark"]["id"] for e in store.stream_events(reader, 0, 10_000).events if e["type"] == "bark"]
            assert len(whole) == len(set(whole)), f"a bark twice in one stream: {whole}"
            home = home_timeline(store, reader)
            assert home == model.home_reference(reader)
            floor = store.home_stream(reader, None, 1).floor
            assert set(whole) <= set(home)
            assert {b for b in home if b >= floor} <= set(whole), "a home bark above the floor is not in the stream"
            for client in clients:
                if client.owner == reader:
                    missing = set(whole) - set(client.sent)
                    assert missing <= client.passed_hidden, f"never sent, though it passed no tombstone: {missing}"
    finally:
        store.close()


def test_streams_written_before_the_rule_are_repaired_not_repeated(tmp_path):
    """A stream from before a bark had one place holds a tombstone and a live copy of one bark. Following
    again revives nothing (the live copy stays the one place); unfollowing again leaves one tombstone; and
    compaction merges what the tiers hold."""
    store = SqliteStore(tmp_path / "s.db")
    gen = IdGenerator(0)
    author, reader = gen.next(), gen.next()
    for i, uid in enumerate((author, reader)):
        store.create_user(NewUser(uid, f"u{i}", f"u{i}", f"U{i}", "", "x"))
    try:
        store.follow(reader, author, gen.next(), gen.next())
        bark = store.post_bark(gen.next(), author, "t", None, THRESHOLD, gen.next()).id
        fanout.drain(store, 10)
        store.maintenance().run_all(10)
        with store._tx() as c:  # what the old backfill left: the settled copy a tombstone, a new live copy
            c.execute("UPDATE stream SET kind = 'gone' WHERE owner = ? AND ref = ?", (reader, bark))
            c.execute("UPDATE stream_clock SET seq = seq + 1")
            c.execute("INSERT INTO stream_recent SELECT ?, seq, 'bark', ?, ? FROM stream_clock",
                      (reader, bark, author))
        client = Client(reader)
        read_to_end(store, client)
        assert client.sent == [bark]
        store.unfollow(reader, author)
        store.follow(reader, author, gen.next(), gen.next())
        fanout.drain(store, 10)
        read_to_end(store, client)
        assert client.sent == [bark]
        assert store.stream_events(reader, 0, 100).events[-1]["bark"]["id"] == bark  # the live copy, revived
        store.unfollow(reader, author)
        store.maintenance().run_all(10)
        kinds = store._reader().execute("SELECT kind FROM stream_all WHERE owner = ? AND ref = ?", (reader, bark))
        assert [k for (k,) in kinds.fetchall()] == ["gone"]
    finally:
        store.close()
