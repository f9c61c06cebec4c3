"""Connections, transactions and driver calls of the ArangoDB store (barker/store/arango.py builds on it).

Threads. python-arango is synchronous (requests underneath) and its cursors must not be shared between
threads, so each thread gets its own ArangoClient and connection pool (closed together by close()).
Every driver call happens on the caller's thread: the backend only calls the store from worker threads
(barker/gateway.py), never on the event loop.

Transactions. Each write method is one stream transaction that declares every collection for writing. A
write-write conflict (another transaction wrote the same document, error 1200) aborts it and the method
is retried from the start, a few times with a growing random pause: with the per-user seq counters in
`users`, two transactions appending to one stream always conflict, which is what makes seq allocation
race-free. bulk() opens one transaction for a block of calls (seeding, tests); calls inside it join it and
are not retried on their own. ArangoDB has no savepoints, so a call that fails inside a block rolls back
alone only if it wrote nothing before failing. Every method checks what can fail before its first write,
so that is the usual case; otherwise (a conflict or outage mid-way) the whole block is rolled back and its
end raises StoreUnavailable: nothing is committed and nobody is told that something was. That is why the
writer does not group request writes here (capabilities.group_commit is False): each is its own transaction.
"""

from __future__ import annotations

import contextlib
import random
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import wraps
from typing import Any, ParamSpec, TypeVar

from barker.errors import Conflict, StoreUnavailable
from barker.geo import DEFAULT_RESOLUTION, check_resolution
from barker.ids import MAX_ID
from barker.ports.capabilities import Capabilities
from barker.store import arango_schema
from barker.store.arango_queries import Query, load_queries
from barker.store.arango_support import ArangoConfig, WriteConflict, translate

P = ParamSpec("P")
T = TypeVar("T")

NO_CURSOR = MAX_ID + 1  # `before` for a first page: above every id (exact as a double: 2^53)
RETRIES = 6
BATCH_SIZE = 10_000  # rows per cursor batch: results are read at once, in one round trip where they fit
REQUEST_TIMEOUT_S = 30  # how long the HTTP client waits for an answer
DEFAULT_QUERY_MAX_RUNTIME_S = 10.0  # below REQUEST_TIMEOUT_S (settings.arango_query_max_runtime)


def default_client_factory(config: ArangoConfig) -> Any:
    """One client per thread. An unreachable server must fail fast (/readyz, requests waiting on a
    thread): the driver's defaults (three rounds of three attempts with 1 s exponential backoff) took
    about 18 s per call against a closed port. Here: each host tried twice, 0.1 s apart; reads that the
    server answers with 429/5xx are retried as the driver does, just sooner."""
    from arango import ArangoClient
    from arango.http import DefaultHTTPClient

    return ArangoClient(hosts=list(config.hosts), resolver_max_tries=len(config.hosts) + 1,
                        http_client=DefaultHTTPClient(request_timeout=REQUEST_TIMEOUT_S, retry_attempts=1,
                                                      backoff_factor=0.1, pool_connections=2, pool_maxsize=2))


@dataclass
class _Transaction:
    db: Any  # python-arango TransactionDatabase
    writes: int = 0  # successful writes so far: whether a failing call left something behind
    doomed: bool = False  # rolled back because a call failed after writing; the block's end raises
    doomed_by: BaseException | None = None  # that call's error: a full disk stays StorageFull to the end

    def doomed_error(self) -> StoreUnavailable:
        cause = self.doomed_by
        if isinstance(cause, StoreUnavailable) and cause.outage:  # each later caller gets its own copy
            return type(cause)(cause.message, code=cause.code, retry_after=cause.retry_after)
        return StoreUnavailable("a call in this transaction failed after writing: everything in it was rolled back")


def transactional(method: Callable[P, T]) -> Callable[P, T]:
    """Run a store method in this thread's transaction, or in a new one of its own (retried on conflict)."""

    @wraps(method)
    def run(*args: P.args, **kwargs: P.kwargs) -> T:
        self = args[0]
        return self._in_transaction(lambda: method(*args, **kwargs))  # type: ignore[attr-defined]

    return run


@contextmanager
def stream_race() -> Iterator[None]:
    """Around a stream insert: a unique-index violation there means a concurrent transaction appended to
    the same stream first (its seq, or the same event). That is a conflict to retry, not an error."""
    try:
        yield
    except Conflict as e:
        raise WriteConflict(f"concurrent append to a stream: {e.message}") from e

CAPABILITIES = Capabilities(group_commit=False, local=False, needs_compaction=False)


class NoMaintenance:
    """RocksDB is already a log-structured merge tree: appends are cheap and it compacts on its own, so the
    fan-out worker has nothing to drive here (see barker/store/sqlite_maintenance.py for SQLite's)."""

    def start(self) -> None:
        pass

    def appended(self, rows: int, owners: Iterable[int] = ()) -> None:
        pass

    def due(self) -> bool:
        return False

    def step(self, max_rows: int) -> None:
        pass

    def wants_recount(self) -> bool:
        return False

    def recount(self) -> None:
        pass

    def idle(self) -> bool:
        return False

    def run_all(self, slice_rows: int, on_rows: Callable[[int], None] = lambda n: None) -> int:
        return 0


class ArangoBase:
    # Not local: every read is a network round trip, so never inline on the event loop; backups are
    # arangodump's. No group commit (barker.writer runs each request write in its own transaction): with no savepoints,
    # one call failing after writing, or one write-write conflict, would roll back every call in the
    # group and answer them all 503; alone, a call fails alone and gets its conflict retries. A commit
    # here is a network round trip, not an fsync the group would share.
    capabilities = CAPABILITIES

    def __init__(self, config: ArangoConfig, *, stream_retain: int = 1000, bootstrap: bool = True,
                 client_factory: Callable[[ArangoConfig], Any] = default_client_factory,
                 location_resolution: int = DEFAULT_RESOLUTION,
                 query_max_runtime: float = DEFAULT_QUERY_MAX_RUNTIME_S, search_wait_for_sync: bool = False) -> None:
        self.config = config
        # Whether each bark search first waits for the View to take in the latest commits (ArangoSearch is
        # eventually consistent; see arango_tags.py): for tests that search right after posting, not production.
        self.search_wait_for_sync = search_wait_for_sync
        # Every query's max_runtime: the server kills it after this, even when the client stopped waiting.
        self.query_max_runtime = query_max_runtime
        check_resolution(location_resolution)
        # Shared locations are kept as H3 cells of this resolution, or coarser (barker/geo.py).
        self.location_resolution = location_resolution
        # Each stream keeps about its newest `stream_retain` entries (trimmed every TRIM_EVERY appends).
        self.stream_retain = stream_retain
        self._client_factory = client_factory
        self._local = threading.local()
        self._clients: list[Any] = []
        self._clients_lock = threading.Lock()
        self._queries: dict[str, Query] = load_queries()
        if bootstrap:
            try:
                arango_schema.bootstrap(self._client(), config)
            except Exception as e:
                raise self._translate(e) from e
            self.snap_locations()  # locations stored before cells (or finer ones) become cells

    def snap_locations(self) -> int:
        """See ArangoDiscovery.snap_locations (the adapter's discovery part)."""
        return 0

    # -- connections -------------------------------------------------------------------------------
    def _client(self) -> Any:
        client = getattr(self._local, "client", None)
        if client is None:
            client = self._local.client = self._client_factory(self.config)
            with self._clients_lock:
                self._clients.append(client)
        return client

    def _plain_db(self) -> Any:
        db = getattr(self._local, "db", None)
        if db is None:
            db = self._local.db = self._client().db(self.config.database, username=self.config.username,
                                                    password=self.config.password, verify=False)
        return db

    def _db(self) -> Any:
        """Where this thread's calls go: its open transaction (reads then see its writes), else the database."""
        tx: _Transaction | None = getattr(self._local, "tx", None)
        if tx is None:
            return self._plain_db()
        if tx.doomed:
            raise tx.doomed_error()
        return tx.db

    def _translate(self, exc: BaseException) -> BaseException:
        return translate(exc, self.config)

    def close(self) -> None:
        with self._clients_lock:
            clients, self._clients = self._clients, []
        for client in clients:
            client.close()

    def ping(self) -> None:
        try:
            self._plain_db().version()
        except Exception as e:
            raise self._translate(e) from e

    def checkpoint(self) -> None:
        """Nothing to do: RocksDB flushes and compacts on its own."""

    def maintenance(self) -> NoMaintenance:
        return NoMaintenance()

    # -- transactions ------------------------------------------------------------------------------
    def _begin(self) -> _Transaction:
        try:
            db = self._plain_db().begin_transaction(write=list(arango_schema.NAMES))
        except Exception as e:
            raise self._translate(e) from e
        tx = self._local.tx = _Transaction(db)
        return tx

    def _end(self, tx: _Transaction, *, commit: bool) -> None:
        self._local.tx = None
        if commit:
            try:
                tx.db.commit_transaction()
            except Exception as e:
                self._abort_quietly(tx)
                raise self._translate(e) from e
        elif not tx.doomed:
            self._abort_quietly(tx)

    @staticmethod
    def _abort_quietly(tx: _Transaction) -> None:
        with contextlib.suppress(Exception):  # the server drops abandoned ones after its idle timeout anyway
            tx.db.abort_transaction()

    def _doom(self, tx: _Transaction, cause: BaseException) -> None:
        """A call failed after writing inside a larger transaction: roll it all back now (freeing its
        locks) and make every later call in it, and its end, fail."""
        if not tx.doomed:
            self._abort_quietly(tx)
            tx.doomed, tx.doomed_by = True, cause

    def _in_transaction(self, fn: Callable[[], T]) -> T:
        tx: _Transaction | None = getattr(self._local, "tx", None)
        if tx is not None:  # join the open transaction
            writes_before = tx.writes
            try:
                return fn()
            except BaseException as e:
                if tx.writes != writes_before:
                    self._doom(tx, e)
                raise
        for attempt in range(RETRIES):
            tx = self._begin()
            try:
                result = fn()
                self._end(tx, commit=True)
                return result
            except WriteConflict:
                self._end(tx, commit=False)
                if attempt == RETRIES - 1:
                    raise
                time.sleep(random.uniform(0, 0.005 * 2 ** attempt))
            except BaseException:
                self._end(tx, commit=False)
                raise
        raise AssertionError("unreachable")

    @contextmanager
    def bulk(self) -> Iterator[None]:
        tx: _Transaction | None = getattr(self._local, "tx", None)
        if tx is not None:  # nested: joins, and rolls back alone only if it wrote nothing
            writes_before = tx.writes
            try:
                yield
            except BaseException as e:
                if tx.writes != writes_before:
                    self._doom(tx, e)
                raise
            return
        tx = self._begin()
        try:
            yield
        except BaseException:
            self._end(tx, commit=False)
            raise
        if tx.doomed:
            self._end(tx, commit=False)
            raise tx.doomed_error()
        self._end(tx, commit=True)

    # -- driver calls (the only places that talk to the server) --------------------------------------
    def _wrote(self) -> None:
        tx: _Transaction | None = getattr(self._local, "tx", None)
        if tx is not None:
            tx.writes += 1

    def _aql(self, name: str, **bind_vars: Any) -> list[Any]:
        """Run aql/<name>.aql with exactly these bind parameters and return every row (read at once: a
        cursor left waiting expires on the server)."""
        query = self._queries[name]
        try:
            rows = list(self._db().aql.execute(query.text, bind_vars=bind_vars, batch_size=BATCH_SIZE,
                                               max_runtime=self.query_max_runtime))
        except Exception as e:
            if query.writes:  # it may have written part of its rows before failing: assume it did
                self._wrote()
            raise self._translate(e) from e
        if query.writes:
            self._wrote()
        return rows

    def _get(self, collection: str, key: str) -> dict[str, Any] | None:
        try:
            return self._db().collection(collection).get(key)
        except Exception as e:
            raise self._translate(e) from e

    def _insert(self, collection: str, doc: dict[str, Any], **options: Any) -> None:
        try:
            self._db().collection(collection).insert(doc, **options)
        except Exception as e:
            raise self._translate(e) from e
        self._wrote()

    def _update(self, collection: str, doc: dict[str, Any], **options: Any) -> None:
        try:
            self._db().collection(collection).update(doc, **options)
        except Exception as e:
            raise self._translate(e) from e
        self._wrote()

    def _delete(self, collection: str, key: str) -> bool:
        """Delete a document if present; whether it was."""
        try:
            found = self._db().collection(collection).delete(key, ignore_missing=True)
        except Exception as e:
            raise self._translate(e) from e
        if found:
            self._wrote()
        return bool(found)

    def _count(self, collection: str) -> int:
        try:
            return int(self._db().collection(collection).count())
        except Exception as e:
            raise self._translate(e) from e

    def _bump(self, collection: str, changes: dict[str, dict[str, int]]) -> None:
        """Add deltas to counters: {_key: {attribute: delta}}, in one query."""
        if changes:
            self._aql("bump_counters", **{"@collection": collection, "changes": changes})
