"""The writer thread's promises: group commit with per-call rollback, urgent before background."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from barker.errors import Conflict, StoreUnavailable
from barker.ids import IdGenerator
from barker.ports.types import NewUser
from barker.store.sqlite import SqliteStore
from barker.writer import WriterThread


@pytest.fixture
def store(tmp_path):
    s = SqliteStore(tmp_path / "w.db")
    yield s
    s.close()


def user(ids: IdGenerator, handle: str) -> NewUser:
    return NewUser(ids.next(), handle, handle.lower(), handle, "", "h")


def test_a_failing_call_rolls_back_alone(store):
    ids = IdGenerator(0)
    writer = WriterThread(store)
    gate = threading.Event()
    blocker = writer.submit(gate.wait)  # holds the thread so the next calls queue up as one group

    def create_two_then_fail():
        store.create_user(user(ids, "partial"))
        store.create_user(user(ids, "Ann"))  # duplicate of "ann" below once that one ran first

    first = writer.submit(lambda: store.create_user(user(ids, "ann")))
    failing = writer.submit(create_two_then_fail)
    last = writer.submit(lambda: store.create_user(user(ids, "bob")))
    gate.set()
    blocker.result(5)
    first.result(5)
    with pytest.raises(Conflict):
        failing.result(5)
    last.result(5)
    writer.shutdown()
    assert store.credentials("ann") and store.credentials("bob")
    assert store.credentials("partial") is None  # the failing call's first write was rolled back too


def test_reads_inside_a_write_see_its_writes(store):
    ids = IdGenerator(0)
    writer = WriterThread(store)

    def create_and_read():
        store.create_user(user(ids, "cat"))
        return store.user_id_by_handle("cat")

    assert writer.submit(create_and_read).result(5) is not None
    writer.shutdown()


def test_urgent_work_runs_before_background(store):
    writer = WriterThread(store)
    gate = threading.Event()
    order: list[str] = []
    writer.submit(gate.wait)
    background = [writer.submit(lambda i=i: order.append(f"bg{i}"), background=True) for i in range(3)]
    urgent = [writer.submit(lambda i=i: order.append(f"req{i}")) for i in range(3)]
    gate.set()
    for f in background + urgent:
        f.result(5)
    writer.shutdown()
    assert order[:3] == ["req0", "req1", "req2"]
    assert sorted(order[3:]) == ["bg0", "bg1", "bg2"]


def test_when_the_transaction_fails_every_call_in_the_group_fails(tmp_path):
    """Another process holds SQLite's write lock past the busy timeout: the group cannot begin, and every
    caller is told so; nothing is written."""
    store = SqliteStore(tmp_path / "locked.db", busy_timeout_ms=50)
    ids = IdGenerator(0)
    other = sqlite3.connect(tmp_path / "locked.db", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    writer = WriterThread(store)
    calls = [writer.submit(lambda h=h: store.create_user(user(ids, h))) for h in ("dan", "eve")]
    for f in calls:
        with pytest.raises(StoreUnavailable):
            f.result(5)
    other.execute("ROLLBACK")
    other.close()
    writer.shutdown()
    assert store.credentials("dan") is None and store.credentials("eve") is None
    store.close()
