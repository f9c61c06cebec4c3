"""ArangoDB's "disk full" and resource errors, without a server: the error numbers the driver reports are
translated into StorageFull / StoreUnavailable, and a group commit on a full disk tells every caller
StorageFull, observed on the recording fake of the python-arango driver (tests/arango_driver_fake.py)."""

from __future__ import annotations

import threading

import arango.errno as driver_errno
import pytest
from arango.exceptions import AQLQueryExecuteError, DocumentInsertError, TransactionCommitError

from barker.errors import StorageFull, StoreUnavailable
from barker.store import arango_support
from barker.store.arango import ArangoStore
from barker.store.arango_support import ArangoConfig, WriteConflict, translate
from barker.store.base import NewUser
from barker.writer import WriterThread
from tests.arango_driver_fake import FakeClient, Recorder, server_error

CONFIG = ArangoConfig(("http://fake:8529",), "root", "pw", "barker")


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
    return ArangoStore(CONFIG, client_factory=lambda _: FakeClient(rec))


def user(uid: int, handle: str) -> NewUser:
    return NewUser(uid, handle, handle, handle.title(), "", "h")


def test_the_group_commit_on_a_full_disk_tells_every_caller_storage_full(rec: Recorder, store: ArangoStore) -> None:
    """The second call's user insert fails for lack of room after its handle claim was written: the whole
    transaction is aborted, the third call cannot run in it, and every caller hears StorageFull (not a
    vague "something failed earlier")."""
    rec.fail_once(lambda op, arg: op == "insert" and arg[0] == "users" and arg[1]["id"] == 2,
                  server_error(DocumentInsertError, 1104, 500, "filesystem full"))
    writer = WriterThread(store)
    gate = threading.Event()
    writer.submit(gate.wait)
    futures = [writer.submit(lambda u=u: store.create_user(u)) for u in (user(1, "ann"), user(2, "bob"),
                                                                          user(3, "cat"))]
    gate.set()
    for future in futures:
        with pytest.raises(StorageFull):
            future.result(10)
    writer.shutdown()
    assert [what for _, what in rec.transactions] == ["begin", "abort"]
    assert not [key for key in rec.documents if key[0] == "users"]


def test_a_commit_failing_for_lack_of_room_is_storage_full(rec: Recorder, store: ArangoStore) -> None:
    rec.fail_once(lambda op, arg: op == "commit", server_error(TransactionCommitError, 1104, 500))
    with pytest.raises(StorageFull):
        store.create_token(b"a" * 32, 1, 10)
    assert "commit" not in [what for _, what in rec.transactions] and rec.transactions[-1][1] == "abort"
    with pytest.raises(StoreUnavailable):  # an I/O error is an outage too, just not a full disk
        rec.fail_once(lambda op, arg: op == "commit", server_error(TransactionCommitError, 1305, 500))
        store.create_token(b"b" * 32, 1, 10)
