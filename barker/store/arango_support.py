"""Pure parts of the ArangoDB store, kept apart so they are tested without a server: the store URL,
document keys, GeoJSON points, search words, and the translation of driver errors into barker.errors."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit

from barker.errors import BarkerError, Conflict, NotFound, StorageFull, StoreUnavailable

DEFAULT_PORT = 8529

# ArangoDB error numbers (arango.errno) the store reacts to.
ERR_CONFLICT = 1200  # write-write conflict between concurrent transactions: retry the transaction
ERR_DOCUMENT_NOT_FOUND = 1202
ERR_DATA_SOURCE_NOT_FOUND = 1203  # a collection is missing: the schema was not bootstrapped
ERR_UNIQUE_CONSTRAINT = 1210
ERR_DATABASE_NOT_FOUND = 1228
ERR_FORBIDDEN = 11
ERR_LOCKED = 28
ERR_LOCK_TIMEOUT = 18  # a lock (a stream transaction's collection lock) could not be had in time
ERR_DEADLOCK = 29
ERR_SHUTTING_DOWN = 30
ERR_CLUSTER_BACKEND_UNAVAILABLE = 1478
# A cluster fail-over in progress: a DB-Server is gone or a shard's leader is being replaced. Seconds long,
# so an outage (503 with Retry-After), not a conflict to retry at once.
ERR_CLUSTER_TIMEOUT = 1457
ERR_CLUSTER_CONNECTION_LOST = 1465
ERR_CLUSTER_LEADERSHIP_CHALLENGE_ONGOING = 1495
ERR_CLUSTER_NOT_LEADER = 1496
ERR_TRANSACTION_NOT_FOUND = 1655
ERR_TRANSACTION_ABORTED = 1654  # (1653 is "disallowed operation inside transaction": a bug, not an outage)
ERR_QUERY_KILLED = 1500  # what a query gets after its max_runtime (ArangoBase.query_max_runtime)
ERR_OUT_OF_MEMORY = 3
ERR_RESOURCE_LIMIT = 32
ERR_READ_ONLY = 1004
ERR_FILESYSTEM_FULL = 1104  # RocksDB's "no space" I/O error (rocksutils::convertStatus)
ERR_ENGINE_BUSY = 1303
ERR_IO_ERROR = 1305
ERR_QUEUE_FULL = 21003  # the server's request queue is full: overloaded
ERR_NO_SPACE_LEFT_ON_DEVICE = 7004
# The server has no room left for the write: nothing of the transaction was kept.
NO_ROOM = frozenset({ERR_FILESYSTEM_FULL, ERR_NO_SPACE_LEFT_ON_DEVICE})
# Failures worth retrying the whole transaction for: someone else touched the same documents, or a lock
# could not be taken in time.
RETRYABLE = frozenset({ERR_CONFLICT, ERR_LOCKED, ERR_DEADLOCK, ERR_LOCK_TIMEOUT})
CLUSTER_FAILOVER = frozenset({ERR_CLUSTER_TIMEOUT, ERR_CLUSTER_CONNECTION_LOST,
                              ERR_CLUSTER_LEADERSHIP_CHALLENGE_ONGOING, ERR_CLUSTER_NOT_LEADER})
# The server (or the cluster behind a Coordinator) is not in a state to serve: the store is unavailable.
UNAVAILABLE = frozenset({ERR_DATA_SOURCE_NOT_FOUND, ERR_DATABASE_NOT_FOUND, ERR_FORBIDDEN, ERR_SHUTTING_DOWN,
                         ERR_CLUSTER_BACKEND_UNAVAILABLE, ERR_TRANSACTION_NOT_FOUND, ERR_TRANSACTION_ABORTED,
                         ERR_OUT_OF_MEMORY, ERR_RESOURCE_LIMIT, ERR_READ_ONLY, ERR_ENGINE_BUSY, ERR_IO_ERROR,
                         ERR_QUEUE_FULL}) | CLUSTER_FAILOVER


@dataclass(frozen=True)
class ArangoConfig:
    hosts: tuple[str, ...]  # Coordinator (or single server) base URLs
    username: str
    password: str
    database: str
    # How a newly created database places its collections in a cluster: "single" (OneShard: every
    # collection on one DB-Server, whole queries run there) or "flexible"; None: the server default.
    sharding: str | None = None

    def describe(self) -> str:
        """For messages and logs: never the password."""
        return f"{','.join(self.hosts)}/{self.database} as {self.username}"


def parse_store_url(url: str) -> ArangoConfig:
    """`arangodb://user:pass@host:8529/dbname`. Several Coordinators: `host1:8529,host2:8529`; TLS:
    `?tls=true`; a OneShard database (cluster): `?sharding=single`. User and password are URL-decoded
    (a `@` in a password is written `%40`); defaults are root, no password, port 8529, database `barker`."""
    parts = urlsplit(url)
    if parts.scheme != "arangodb":
        raise ValueError(f"not an arangodb:// URL: {url!r}")
    userinfo, _, hostlist = parts.netloc.rpartition("@")
    username, _, password = userinfo.partition(":")
    if not hostlist:
        raise ValueError("the ArangoDB URL names no host")
    query = parse_qs(parts.query)
    scheme = "https" if query.get("tls", ["false"])[0].lower() in ("1", "true", "yes") else "http"
    hosts = []
    for host in hostlist.split(","):
        name, _, port = host.strip().rpartition(":") if re.search(r":\d+$", host.strip()) else (host.strip(), "", "")
        if not name:
            raise ValueError(f"bad host {host!r} in the ArangoDB URL")
        hosts.append(f"{scheme}://{name}:{port or DEFAULT_PORT}")
    database = unquote(parts.path.strip("/")) or "barker"
    if "/" in database:
        raise ValueError(f"bad database name {database!r} in the ArangoDB URL")
    sharding = query.get("sharding", [None])[0]
    if sharding not in (None, "single", "flexible"):
        raise ValueError(f"sharding must be single or flexible, not {sharding!r}")
    return ArangoConfig(tuple(hosts), unquote(username) or "root", unquote(password), database, sharding)


# -- document keys: derived from our integer ids, so every process computes the same key ------------------
def key(id_: int) -> str:
    """The `_key` of a user, bark, job, ... with this id (ids are integers below 2^53)."""
    return str(int(id_))


def user_handle(user_id: int) -> str:
    """The `_id` of a user vertex, the start of a traversal."""
    return f"users/{int(user_id)}"


def bark_handle(bark_id: int) -> str:
    """The `_id` of a bark document (the reply tree's edges join them)."""
    return f"barks/{int(bark_id)}"


def follow_key(follower: int, followee: int) -> str:
    """Deterministic edge key: following twice writes the same edge (no unique index on _from/_to needed,
    which a sharded edge collection could not have)."""
    return f"{int(follower)}-{int(followee)}"


def pair_key(a: int, b: int) -> str:
    """Key of a (user, target) record such as a dismissed suggestion."""
    return f"{int(a)}-{int(b)}"


def reaction_key(bark: int, user: int, emoji: str) -> str:
    """One reaction per (bark, user, emoji). Emoji are not allowed in keys, so the emoji's UTF-8 bytes
    in hex (at most 8 reactions of a few bytes each: far below the 254-byte key limit)."""
    return f"{int(bark)}-{int(user)}-{emoji.encode().hex()}"


def token_key(digest: bytes) -> str:
    return digest.hex()


NAME_KEY_HEX_BYTES = 120  # names up to this many UTF-8 bytes are kept readable (hex: 2 key bytes each)


def name_key(name: str) -> str:
    """A free-form name (a rate-limit key such as "login:alice", which holds user input) as a `_key`.

    Only [0-9a-f-] come out: the driver puts keys into URL paths unescaped, so a key with `%` or `/` in it
    would address another document ("%61lice" reads "alice"'s counter) or fail untranslated. The hex of
    the name's UTF-8 when short enough, else "sha256-" and its digest (keys have at most 254 bytes); the
    two forms cannot meet, hex having no `-`."""
    raw = name.encode()
    if len(raw) <= NAME_KEY_HEX_BYTES:
        return raw.hex()
    return "sha256-" + hashlib.sha256(raw).hexdigest()


# -- geo -----------------------------------------------------------------------------------------------
def geojson_point(lat: float, lon: float) -> dict[str, object]:
    """GeoJSON puts longitude first: [lon, lat]."""
    return {"type": "Point", "coordinates": [lon, lat]}


# -- search words ----------------------------------------------------------------------------------------
def words(text: str) -> list[str]:
    """The words of a text as the search matches them, like SQLite FTS5's unicode61 tokenizer with
    remove_diacritics 2: case-folded, diacritics removed, split on everything but letters and digits."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return re.findall(r"[^\W_]+", plain.casefold())


def word_prefixes(text: str) -> list[str]:
    """Every prefix of every word, so "display name has a word starting with w" is one array-index
    lookup (FTS5 answers it from its prefix index)."""
    return sorted({w[:i] for w in words(text) for i in range(1, len(w) + 1)})


# -- errors ----------------------------------------------------------------------------------------------
class WriteConflict(StoreUnavailable):
    """A concurrent transaction wrote the same document: the transaction must be retried as a whole."""

    code = "write_conflict"
    outage = False  # a moment's contention, not a condition of the store


class QueryTooLong(StoreUnavailable):
    """A query killed by the server after its max_runtime: this request fails (503), the store is fine."""

    outage = False


def translate(exc: BaseException, config: ArangoConfig | None = None) -> BaseException:
    """The barker.errors equivalent of a driver error, or the error itself if it is a bug (a query that
    does not parse, say): those must not pass for an outage."""
    from arango.exceptions import ArangoClientError, ArangoServerError
    from requests.exceptions import RequestException

    where = f"ArangoDB at {config.describe()}" if config else "ArangoDB"
    if isinstance(exc, BarkerError):
        return exc
    if isinstance(exc, ConnectionAbortedError | RequestException | ConnectionError | TimeoutError):
        return StoreUnavailable(f"{where} is unreachable: {exc}")
    if isinstance(exc, ArangoServerError):
        code = exc.error_code
        if code == ERR_UNIQUE_CONSTRAINT:
            return Conflict(f"already exists ({exc.error_message})")
        if code == ERR_DOCUMENT_NOT_FOUND:
            return NotFound(f"not found ({exc.error_message})")
        if code in RETRYABLE:
            return WriteConflict(f"{where}: concurrent write, retry ({exc.error_message})")
        if code == ERR_QUERY_KILLED:
            return QueryTooLong(f"{where}: a query ran past its time limit and was stopped ({exc.error_message})")
        if code in NO_ROOM:
            return StorageFull(f"storage is full ({where}: {exc.error_message})")
        if code in UNAVAILABLE or exc.http_code in (401, 403, 503):
            return StoreUnavailable(f"{where} cannot serve: {exc.message}")
        return exc
    if isinstance(exc, ArangoClientError) and str(exc).startswith("bad connection"):
        return StoreUnavailable(f"{where} is unreachable: {exc}")  # client.db(verify=True) failing to connect
    return exc
