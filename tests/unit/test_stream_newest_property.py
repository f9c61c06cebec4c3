""""The newest N events" (GET /v1/stream/events/newest) under any history of follows, unfollows, barks,
rebarks, deletes, fan-out, trimming and compaction (the real SQLite store): they are exactly the events of
the last N entries of the whole stream, whichever tier those entries sit in, tombstones and deleted barks
counted as entries and skipped as events; and last_seq is the stream's head, so nothing is left between
them and what a client reads next."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from barker.services.streams import newest_events
from barker.store.sqlite import SqliteStore
from tests.graph_ops import GraphModel, graph_ops

THRESHOLD = 10_000  # every bark is fanned out


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=st.lists(st.one_of(*graph_ops()), min_size=1, max_size=30), n=st.integers(1, 8))
def test_the_newest_n_are_the_last_n_entries_of_the_whole_stream(tmp_path_factory, ops, n):
    store = SqliteStore(Path(tmp_path_factory.mktemp("newest")) / "s.db")
    model = GraphModel.create(store, THRESHOLD)
    try:
        for name, x, y in ops:
            model.apply(name, x, y)
        for owner in model.users:
            rows = store._reader().execute("SELECT seq FROM stream_all WHERE owner = ? ORDER BY seq", (owner,))
            last_n = {seq for (seq,) in rows.fetchall()[-n:]}  # white-box: every entry, in either tier
            whole = store.stream_events(owner, 0, 10_000).events
            newest = newest_events(store, owner, n)
            assert newest.events == [e for e in whole if e["seq"] in last_n]
            assert newest.last_seq == store.stream_head(owner) and not newest.gap
            assert store.stream_events(owner, newest.last_seq, 10_000).events == []
    finally:
        store.close()
