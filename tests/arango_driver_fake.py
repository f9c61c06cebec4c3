"""A recording fake of the python-arango DRIVER surface the ArangoDB store uses (ArangoClient.db,
db.aql.execute, db.collection(...).get/insert/update/delete/count, begin_transaction, commit/abort, the
bootstrap calls). No ArangoDB server can run here, so this stands in for the driver, never for our store:
the real ArangoStore runs on top of it, and the tests read what it would have sent to the server (every
query with its bind_vars, every document write, every transaction boundary).

Queries answer with canned rows, chosen per query name (a list, or a function of the bind_vars); documents
live in a dict so get/insert/update/delete behave like the server's for the paths the store takes (an
abort restores them; one transaction at a time, as the tests use it). Nothing here evaluates AQL: it
cannot tell whether a query is right, only what the store asks for.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from arango.exceptions import DocumentInsertError, DocumentUpdateError
from arango.request import Request
from arango.response import Response

from barker.store.arango import ArangoStore
from barker.store.arango_queries import load_queries
from barker.store.arango_support import ArangoConfig

Canned = list[Any] | Callable[[dict[str, Any]], list[Any]]


def server_error(cls: type[Exception], code: int, http: int = 409, message: str = "fake") -> Exception:
    """A driver exception as python-arango raises it for a server answer with this errorNum."""
    resp = Response("post", "http://fake:8529/_api/x", {}, http, "fake", '{"error": true}')
    resp.error_code, resp.error_message = code, message
    return cls(resp, Request("post", "/_api/x"))


@dataclass
class Recorder:
    queries: list[tuple[str, dict[str, Any], str | None]] = field(default_factory=list)  # (name, bind, tx)
    max_runtimes: list[float | None] = field(default_factory=list)  # each query's max_runtime, in order
    writes: list[tuple[str, str, Any, str | None]] = field(default_factory=list)  # (op, collection, doc, tx)
    transactions: list[tuple[str, str]] = field(default_factory=list)  # (tx id, "begin"|"commit"|"abort")
    declared: list[list[str]] = field(default_factory=list)  # each transaction's write collections
    snapshots: dict[str, dict[tuple[str, str], dict[str, Any]]] = field(default_factory=dict)
    canned: dict[str, Canned] = field(default_factory=dict)
    documents: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    failures: list[tuple[Callable[[str, Any], bool], Exception]] = field(default_factory=list)
    created: list[tuple[str, Any]] = field(default_factory=list)  # bootstrap: (what, spec)
    by_text: dict[str, str] = field(default_factory=lambda: {q.text: n for n, q in load_queries().items()})

    def fail_once(self, when: Callable[[str, Any], bool], error: Exception) -> None:
        """Raise `error` from the next driver call for which when(operation, argument) holds."""
        self.failures.append((when, error))

    def _maybe_fail(self, op: str, arg: Any) -> None:
        for i, (when, error) in enumerate(self.failures):
            if when(op, arg):
                del self.failures[i]
                raise error


class FakeCollection:
    def __init__(self, rec: Recorder, name: str, tx: str | None) -> None:
        self.rec, self.name, self.tx = rec, name, tx

    def get(self, key: str) -> dict[str, Any] | None:
        self.rec._maybe_fail("get", (self.name, key))
        doc = self.rec.documents.get((self.name, key))
        return copy.deepcopy(doc)

    def insert(self, doc: dict[str, Any], overwrite_mode: str | None = None, **_: Any) -> dict[str, Any]:
        self.rec._maybe_fail("insert", (self.name, doc))
        where = (self.name, doc["_key"])
        if where in self.rec.documents and overwrite_mode is None:
            raise server_error(DocumentInsertError, 1210)
        self.rec.writes.append(("insert", self.name, doc, self.tx))
        if overwrite_mode != "ignore" or where not in self.rec.documents:
            self.rec.documents[where] = copy.deepcopy(doc)
        return {"_key": doc["_key"]}

    def update(self, doc: dict[str, Any], merge: bool = True, **_: Any) -> dict[str, Any]:
        self.rec._maybe_fail("update", (self.name, doc))
        where = (self.name, doc["_key"])
        if where not in self.rec.documents:
            raise server_error(DocumentUpdateError, 1202, 404)
        self.rec.writes.append(("update", self.name, doc, self.tx))
        self.rec.documents[where].update(copy.deepcopy(doc))
        return {"_key": doc["_key"]}

    def delete(self, key: str, ignore_missing: bool = False, **_: Any) -> bool:
        self.rec._maybe_fail("delete", (self.name, key))
        found = self.rec.documents.pop((self.name, key), None) is not None
        if found:
            self.rec.writes.append(("delete", self.name, key, self.tx))
        return found

    def count(self) -> int:
        return sum(1 for collection, _ in self.rec.documents if collection == self.name)

    def add_index(self, spec: dict[str, Any]) -> dict[str, Any]:
        self.rec.created.append(("index", (self.name, spec)))
        return spec


class FakeAql:
    def __init__(self, rec: Recorder, tx: str | None) -> None:
        self.rec, self.tx = rec, tx

    def execute(self, query: str, bind_vars: dict[str, Any] | None = None, max_runtime: float | None = None,
                **_: Any) -> Any:
        name = self.rec.by_text.get(query)
        assert name is not None, f"a query that is not one of the aql/ files was sent: {query[:80]!r}"
        bind = copy.deepcopy(bind_vars or {})
        self.rec._maybe_fail("aql", name)
        self.rec.queries.append((name, bind, self.tx))
        self.rec.max_runtimes.append(max_runtime)
        answer = self.rec.canned.get(name, [])
        return iter(copy.deepcopy(answer(bind) if callable(answer) else answer))


class FakeDatabase:
    def __init__(self, rec: Recorder, tx: str | None = None) -> None:
        self.rec, self.tx = rec, tx
        self.aql = FakeAql(rec, tx)

    def collection(self, name: str) -> FakeCollection:
        return FakeCollection(self.rec, name, self.tx)

    def begin_transaction(self, write: list[str] | None = None, **_: Any) -> FakeDatabase:
        self.rec._maybe_fail("begin", write)
        tx = f"tx{len([t for t in self.rec.transactions if t[1] == 'begin']) + 1}"
        self.rec.transactions.append((tx, "begin"))
        self.rec.declared.append(list(write or []))
        self.rec.snapshots[tx] = copy.deepcopy(self.rec.documents)  # an abort puts them back
        return FakeDatabase(self.rec, tx)

    def commit_transaction(self) -> bool:
        self.rec._maybe_fail("commit", self.tx)
        self.rec.transactions.append((self.tx or "", "commit"))
        return True

    def abort_transaction(self) -> bool:
        self.rec.transactions.append((self.tx or "", "abort"))
        snapshot = self.rec.snapshots.pop(self.tx or "", None)
        if snapshot is not None:
            self.rec.documents.clear()
            self.rec.documents.update(snapshot)
        return True

    def version(self) -> str:
        self.rec._maybe_fail("version", None)
        return "3.12.0"

    # -- bootstrap ----------------------------------------------------------------------------------
    def has_database(self, name: str) -> bool:
        return False

    def create_database(self, name: str, **options: Any) -> bool:
        self.rec.created.append(("database", (name, options)))
        return True

    def has_collection(self, name: str) -> bool:
        return False

    def create_collection(self, name: str, **options: Any) -> FakeCollection:
        self.rec.created.append(("collection", (name, options)))
        return self.collection(name)

    def create_analyzer(self, name: str, analyzer_type: str, **options: Any) -> dict[str, Any]:
        self.rec.created.append(("analyzer", (name, {"analyzer_type": analyzer_type, **options})))
        return {"name": name}

    def views(self) -> list[dict[str, Any]]:
        return []

    def create_view(self, name: str, view_type: str, properties: dict[str, Any] | None = None) -> dict[str, Any]:
        self.rec.created.append(("view", (name, {"view_type": view_type, "properties": properties})))
        return {"name": name}

    def has_graph(self, name: str) -> bool:
        return False

    def create_graph(self, name: str, **options: Any) -> None:
        self.rec.created.append(("graph", (name, options)))


class FakeClient:
    def __init__(self, rec: Recorder) -> None:
        self.rec = rec
        self.closed = False

    def db(self, name: str, username: str = "", password: str = "", verify: bool = False) -> FakeDatabase:
        self.rec._maybe_fail("connect", name)
        return FakeDatabase(self.rec)

    def close(self) -> None:
        self.closed = True


FAKE_CONFIG = ArangoConfig(("http://fake:8529",), "root", "pw", "barker")


def fake_store(rec: Recorder, **options: Any) -> ArangoStore:
    """The real ArangoDB adapter over this fake driver, recording into `rec` (options: ArangoStore's)."""
    return ArangoStore(FAKE_CONFIG, client_factory=lambda _: FakeClient(rec), **options)
