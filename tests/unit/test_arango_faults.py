"""ArangoDB's "disk full" and resource errors, without a server: the error numbers the driver reports are
translated into StorageFull / StoreUnavailable, and a group commit on a full disk tells every caller
StorageFull, observed on the recording fake of the python-arango driver (tests/arango_driver_fake.py)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

import arango.errno as driver_errno
import pytest
from arango.exceptions import AQLQueryExecuteError, DocumentInsertError, TransactionCommitError

from barker.errors import StorageFull, StoreUnavailable
from barker.ports.types import NewUser
from barker.store import arango_support
from barker.store.arango import ArangoStore
from barker.store.arango_support import WriteConflict, translate
from barker.writer import WriterThread
from tests.arango_driver_fake import FAKE_CONFIG, Recorder, fake_store, server_error

CONFIG = FAKE_CONFIG


def test_our_error_numbers_are_the_drivers() -> None:
    """Each ERR_ constant is the driver's own number of that name (1653 once stood for "transaction
    aborted", which is 1654: 1653 is a disallowed operation, a bug)."""
    names = {"ERR_CONFLICT": "CONFLICT", "ERR_UNIQUE_CONSTRAINT": "UNIQUE_CONSTRAINT_VIOLATED",
             "ERR_ENGINE_BUSY": "BUSY"}
    ours = {name: value for name, value in vars(arango_support).items() if name.startswith("ERR_")}
    for name, value in ours.items():
        assert getattr(driver_errno, names.get(name, name.removeprefix("ERR_"))) == value, name


@pytest.mark.parametrize("code", [1104, 7004])
def test_a_full_disk_is_storage_full(code: int) -> None:
    error = translate(server_error(AQLQueryExecuteError, code, 500, "filesystem full"), CONFIG)
    assert isinstance(error, StorageFull) and "filesystem full" in error.message


@pytest.mark.parametrize("code", [3, 32, 1004, 1303, 1305, 1654, 21003])
def test_resource_and_io_errors_are_unavailable(code: int) -> None:
    assert type(translate(server_error(AQLQueryExecuteError, code, 500))) is StoreUnavailable


@pytest.mark.parametrize("code", [1457, 1465, 1495, 1496, 1004, 1478])
def test_a_cluster_fail_over_is_unavailable_not_a_500(code: int) -> None:
    """Timeouts and lost connections between Coordinator and DB-Servers, a leader being replaced, a
    read-only server: 503 with Retry-After (StoreUnavailable, a condition of the store), not the raw
    driver error that would surface as a 500."""
    error = translate(server_error(AQLQueryExecuteError, code, 503), CONFIG)
    assert type(error) is StoreUnavailable and error.outage


def test_a_lock_timeout_is_retried_like_a_conflict(rec: Recorder, store: ArangoStore) -> None:
    rec.fail_once(lambda op, arg: op == "insert", server_error(DocumentInsertError, 18, 409, "lock timeout"))
    store.create_token(b"a" * 32, 1, 10)
    assert [what for _, what in rec.transactions] == ["begin", "abort", "begin", "commit"]


def test_a_query_killed_after_its_max_runtime_fails_the_request_not_the_store() -> None:
    error = translate(server_error(AQLQueryExecuteError, 1500, 410, "query killed"), CONFIG)
    assert isinstance(error, StoreUnavailable) and not error.outage and "time limit" in error.message


def test_a_bug_stays_a_bug_and_a_conflict_is_no_outage() -> None:
    disallowed = server_error(AQLQueryExecuteError, 1653, 400)
    assert translate(disallowed) is disallowed
    conflict = translate(server_error(AQLQueryExecuteError, 1200))
    assert isinstance(conflict, WriteConflict) and not conflict.outage


@pytest.fixture
def rec() -> Recorder:
    return Recorder()


@pytest.fixture
def store(rec: Recorder) -> ArangoStore:
    return fake_store(rec)


def user(uid: int, handle: str) -> NewUser:
    return NewUser(uid, handle, handle, handle.title(), "", "h")


def queue_behind_a_gate(writer: WriterThread, calls: list[Callable[[], Any]]) -> list[Future[Any]]:
    """Submit the calls while the writer is busy, so they are all waiting at once (a group, on SQLite)."""
    gate = threading.Event()
    writer.submit(gate.wait)
    futures = [writer.submit(call) for call in calls]
    gate.set()
    return futures


def test_request_writes_queued_together_are_not_one_transaction(rec: Recorder, store: ArangoStore) -> None:
    """The writer does not group on ArangoDB (no savepoints): the second call's user insert fails for lack
    of room after its handle claim was written; that call alone is rolled back and hears StorageFull, and
    the calls queued with it commit in transactions of their own."""
    rec.fail_once(lambda op, arg: op == "insert" and arg[0] == "users" and arg[1]["id"] == 2,
                  server_error(DocumentInsertError, 1104, 500, "filesystem full"))
    writer = WriterThread(store)
    first, failing, last = queue_behind_a_gate(writer, [lambda u=u: store.create_user(u) for u in (
        user(1, "ann"), user(2, "bob"), user(3, "cat"))])
    first.result(10)
    with pytest.raises(StorageFull):
        failing.result(10)
    last.result(10)
    writer.shutdown()
    assert [what for _, what in rec.transactions] == ["begin", "commit", "begin", "abort", "begin", "commit"]
    assert sorted(key for collection, key in rec.documents if collection in ("users", "handles")) == [
        "1", "3", "ann", "cat"]  # bob's handle claim went with the rest of its transaction


def test_a_write_conflict_in_a_queued_write_is_retried_alone(rec: Recorder, store: ArangoStore) -> None:
    """A write-write conflict (1200) on one queued call retries that call in a new transaction; the others
    queued with it are neither rolled back nor answered 503."""
    rec.fail_once(lambda op, arg: op == "insert" and arg[0] == "users" and arg[1]["id"] == 2,
                  server_error(DocumentInsertError, 1200, 409, "write-write conflict"))
    writer = WriterThread(store)
    futures = queue_behind_a_gate(writer, [lambda u=u: store.create_user(u) for u in (
        user(1, "ann"), user(2, "bob"), user(3, "cat"))])
    for future in futures:
        future.result(10)
    writer.shutdown()
    assert [what for _, what in rec.transactions].count("commit") == 3
    assert [what for _, what in rec.transactions].count("abort") == 1  # bob's first attempt
    assert sorted(key for collection, key in rec.documents if collection == "users") == ["1", "2", "3"]


def test_a_commit_failing_for_lack_of_room_is_storage_full(rec: Recorder, store: ArangoStore) -> None:
    rec.fail_once(lambda op, arg: op == "commit", server_error(TransactionCommitError, 1104, 500))
    with pytest.raises(StorageFull):
        store.create_token(b"a" * 32, 1, 10)
    assert "commit" not in [what for _, what in rec.transactions] and rec.transactions[-1][1] == "abort"
    with pytest.raises(StoreUnavailable):  # an I/O error is an outage too, just not a full disk
        rec.fail_once(lambda op, arg: op == "commit", server_error(TransactionCommitError, 1305, 500))
        store.create_token(b"b" * 32, 1, 10)
