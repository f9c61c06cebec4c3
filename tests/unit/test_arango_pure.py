"""The ArangoDB store's parts that need no server: the store URL, key derivation, GeoJSON order, search
words, error translation, view rendering, and the transaction bookkeeping (begin/commit/abort, joining,
retries, rolling back a block) observed on the recording fake of the python-arango DRIVER
(tests/arango_driver_fake.py; it stands in for the driver, which cannot reach a server here)."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from arango.exceptions import AQLQueryExecuteError, DocumentInsertError, ServerConnectionError, ServerVersionError
from requests.exceptions import ConnectionError as RequestsConnectionError

from barker.errors import Conflict, NotFound, StoreUnavailable
from barker.geo import coarsen, snap
from barker.ports.types import NewUser
from barker.store.arango import ArangoStore
from barker.store.arango_support import (
    ArangoConfig,
    WriteConflict,
    follow_key,
    geojson_point,
    key,
    name_key,
    parse_store_url,
    reaction_key,
    translate,
    user_handle,
    word_prefixes,
    words,
)
from barker.store.arango_views import bark_view, entity_view, reply_to_view, user_view
from tests.arango_driver_fake import FAKE_CONFIG, FakeClient, Recorder, fake_store, server_error

CONFIG = FAKE_CONFIG


# -- the store URL ------------------------------------------------------------------------------------
def test_store_url() -> None:
    c = parse_store_url("arangodb://barker:s%40cret@db.example:8530/social")
    assert (c.hosts, c.username, c.password, c.database, c.sharding) == (
        ("http://db.example:8530",), "barker", "s@cret", "social", None)
    assert "s@cret" not in c.describe()


def test_store_url_defaults_and_clusters() -> None:
    assert parse_store_url("arangodb://arangodb") == ArangoConfig(("http://arangodb:8529",), "root", "", "barker")
    c = parse_store_url("arangodb://root:pw@coord1:8529,coord2/barker?tls=true&sharding=single")
    assert c.hosts == ("https://coord1:8529", "https://coord2:8529") and c.sharding == "single"


@pytest.mark.parametrize("url", ["sqlite:///x.db", "arangodb://", "arangodb://h/a/b", "arangodb://h/db?sharding=x"])
def test_bad_store_urls(url: str) -> None:
    with pytest.raises(ValueError):
        parse_store_url(url)


# -- keys and GeoJSON ---------------------------------------------------------------------------------
def test_keys_are_derived_from_ids() -> None:
    big = (1 << 53) - 1
    assert key(big) == "9007199254740991" and user_handle(42) == "users/42"
    assert follow_key(1, 2) == "1-2" != follow_key(2, 1)
    assert reaction_key(7, 8, "🐶") == "7-8-f09f90b6" != reaction_key(7, 8, "🐱")
    odd = name_key("login:ünï code/" + "x" * 300)
    assert odd.startswith("sha256-") and len(odd) < 254 and odd == name_key("login:ünï code/" + "x" * 300)


NAMES_FROM_USER_INPUT = ["login:alice", "login:%61lice", "login:%2F", "login:/", "login:a/../b", "login:ünï",
                         "login:🐶", "login:" + "é" * 60, "login:" + "é" * 61, "login:a b?c#d&e"]


def test_name_keys_need_no_escaping_and_never_collide() -> None:
    """The driver puts a `_key` into the URL path unescaped: a key with `%` would be decoded by the server
    ("%61lice" addressing alice's counter) and `%2F` or `/` would address another path. Every name key is
    made of characters a URL path keeps as they are, and different names never share one."""
    keys = [name_key(name) for name in NAMES_FROM_USER_INPUT]
    for name, k in zip(NAMES_FROM_USER_INPUT, keys, strict=True):
        assert re.fullmatch(r"[0-9a-f]+|sha256-[0-9a-f]{64}", k), (name, k)
        assert quote(k, safe="") == k and len(k.encode()) <= 254
    assert len(set(keys)) == len(keys)
    assert name_key("login:alice") == b"login:alice".hex()  # short names stay readable (decodable)


def test_geojson_puts_longitude_first() -> None:
    assert geojson_point(lat=52.5, lon=13.4) == {"type": "Point", "coordinates": [13.4, 52.5]}


def test_search_words_fold_case_and_diacritics_like_fts5() -> None:
    assert words("Café Crème, dog_house & Über-Wälder 42") == ["cafe", "creme", "dog", "house", "uber", "walder", "42"]
    assert word_prefixes("Dog Do") == ["d", "do", "dog"]


# -- errors -------------------------------------------------------------------------------------------
def test_error_translation() -> None:
    assert isinstance(translate(server_error(DocumentInsertError, 1210)), Conflict)
    assert isinstance(translate(server_error(AQLQueryExecuteError, 1202, 404)), NotFound)
    conflict = translate(server_error(AQLQueryExecuteError, 1200))
    assert isinstance(conflict, WriteConflict) and isinstance(conflict, StoreUnavailable)
    for error in (server_error(ServerVersionError, 0, 401), server_error(AQLQueryExecuteError, 1228, 404),
                  server_error(AQLQueryExecuteError, 1203, 404)):
        assert type(translate(error)) is StoreUnavailable
    unreachable = translate(ConnectionAbortedError("Can't connect to host(s) within limit (3)"), CONFIG)
    assert isinstance(unreachable, StoreUnavailable) and "http://fake:8529/barker" in unreachable.message
    assert isinstance(translate(RequestsConnectionError("refused")), StoreUnavailable)
    parse_error = server_error(AQLQueryExecuteError, 1501, 400)
    assert translate(parse_error) is parse_error  # a bug in a query is not an outage


def test_an_unreachable_server_is_unavailable_through_the_real_driver() -> None:
    """The real python-arango client against a local port nobody listens on: start-up (which bootstraps
    the schema) and /readyz's ping both fail with a StoreUnavailable that names the server."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again when the block ends: nothing listens there
    with pytest.raises(StoreUnavailable, match=f"127.0.0.1:{port}/barker.*unreachable"):
        ArangoStore.from_url(f"arangodb://root:pw@127.0.0.1:{port}/barker")
    store = ArangoStore(parse_store_url(f"arangodb://root:pw@127.0.0.1:{port}/barker"), bootstrap=False)
    with pytest.raises(StoreUnavailable, match="unreachable"):
        store.ping()
    with pytest.raises(StoreUnavailable, match="unreachable"):
        store.create_token(b"a" * 32, 1, 10)
    store.close()


# -- rendering ----------------------------------------------------------------------------------------
def test_views_make_counts_ints_and_sort_my_reactions() -> None:
    row = {"id": 5.0, "created_at": "t", "text": None, "reactions": {"🐶": 2.0}, "rebark_count": 1.0,
           "author": {"id": 1.0, "handle": "a", "display_name": "A"}, "my_reactions": ["🐶", "👍", "❤️"],
           "rebarked_by_me": True, "media": [{"id": 9.0, "width": 640.0, "height": 480, "animated": False,
                                               "url": "/u", "thumbnail_url": "/t", "original_url": "/o"}]}
    view = bark_view({"bark": row, "original": None})
    assert view["reactions"] == {"🐶": 2} and type(view["reactions"]["🐶"]) is int and type(view["id"]) is int
    assert [type(view["media"][0][k]) for k in ("id", "width", "height")] == [int, int, int]
    assert view["media"][0]["description"] is None  # stored before descriptions: none
    assert view["author"]["avatar_url"] is None  # a user document from before media
    assert bark_view({"bark": {**row, "media": None}, "original": None})["media"] == []
    assert view["my_reactions"] == sorted(["🐶", "👍", "❤️"]) and view["rebark_of"] is None
    user = user_view({"id": 1.0, "handle": "a", "display_name": "A", "bio": "", "created_at": "t",
                      "followers_count": 3.0, "following_count": 0, "barks_count": 1, "following": True,
                      "followed_by": False, "blocking": False, "blocked_by": True, "muting": False})
    # the SQLite store's order (its JSON objects keep insertion order)
    assert list(user) == ["id", "handle", "display_name", "avatar_url", "avatar_thumbnail_url", "bio", "created_at",
                          "followers_count", "following_count", "barks_count", "following", "followed_by",
                          "blocking", "blocked_by", "muting"]
    assert (user["blocking"], user["blocked_by"], user["muting"]) == (False, True, False)
    assert list(view) == ["id", "created_at", "author", "text", "media", "reactions", "my_reactions", "rebark_count",
                          "rebarked_by_me", "rebark_of", "reply_to", "reply_count", "mentions", "tags", "entities",
                          "bookmarked"]
    assert type(user["followers_count"]) is int
    # a bark stored before schema v11 (no conversation fields): none of them
    assert (view["reply_to"], view["reply_count"], view["mentions"], view["tags"], view["entities"],
            view["bookmarked"]) == (None, 0, [], [], [], False)


def test_conversation_fields_render_with_ints() -> None:
    author = {"id": 2.0, "handle": "b", "display_name": "B"}
    assert reply_to_view(None) is None
    assert reply_to_view({"id": 7.0, "author": None}) == {"id": 7, "author": None}  # the parent was deleted
    found = reply_to_view({"id": 7.0, "author": author})
    assert found == {"id": 7, "author": {"id": 2, "handle": "b", "display_name": "B", "avatar_url": None,
                                         "avatar_thumbnail_url": None}}
    assert found is not None and type(found["id"]) is int and type(found["author"]["id"]) is int
    mention = {"type": "mention", "start": 0.0, "end": 2.0, "user_id": 2.0, "handle": "b"}
    assert entity_view(mention) == {"type": "mention", "start": 0, "end": 2, "user_id": 2, "handle": "b"}
    assert all(type(entity_view(mention)[k]) is int for k in ("start", "end", "user_id"))
    url = {"type": "url", "start": 3, "end": 9.0, "url": "https://x.example"}
    assert entity_view(url) == {"type": "url", "start": 3, "end": 9, "url": "https://x.example"}


def test_a_rendered_bark_has_the_sqlite_stores_fields_in_its_order(tmp_path) -> None:
    """The ArangoDB rendering of a reply with mentions, tags and entities has exactly the keys, in the same
    order, as the SQLite store's (whose JSON objects keep insertion order)."""
    from barker.ports.types import BarkContent
    from barker.store.sqlite import SqliteStore

    sqlite = SqliteStore(tmp_path / "shape.db")
    try:
        sqlite.create_user(NewUser(1, "a", "a", "A", "", "h"))
        root = sqlite.post_bark(10, 1, "root", None, 10_000, 11).id
        reply = sqlite.post_bark(12, 1, "re @a #t", None, 10_000, 13, content=BarkContent(
            reply_to=root, mentions=(1,), tags=("t",),
            entities=({"type": "mention", "start": 3, "end": 5, "user_id": 1, "handle": "a"},))).id
        [expected] = sqlite.bark_views([reply], 1)
    finally:
        sqlite.close()
    author = {"id": 1, "handle": "a", "display_name": "A", "avatar_url": None, "avatar_thumbnail_url": None}
    row = {"id": reply, "created_at": expected["created_at"], "text": "re @a #t", "reactions": {}, "rebark_count": 0,
           "author": author, "my_reactions": [], "rebarked_by_me": False, "media": [],
           "reply_to": {"id": root, "author": author}, "reply_count": 0, "mentions": [author], "tags": ["t"],
           "entities": expected["entities"], "bookmarked": False}
    found = bark_view({"bark": row, "original": None})
    assert list(found) == list(expected)
    assert found == expected


# -- transactions, on the driver fake ------------------------------------------------------------------
@pytest.fixture
def rec() -> Recorder:
    return Recorder()


@pytest.fixture
def store(rec: Recorder) -> ArangoStore:
    return fake_store(rec)


def user(uid: int, handle: str) -> NewUser:
    return NewUser(uid, handle, handle, handle.title(), "", "h")


def test_bootstrap_creates_the_schema(rec: Recorder, store: ArangoStore) -> None:
    created = {what: [spec for w, spec in rec.created if w == what] for what, _ in rec.created}
    assert created["database"] == [("barker", {"sharding": None})]
    collections = {name: options for name, options in created["collection"]}
    assert collections["follows"]["edge"] and collections["stream"]["shard_fields"] == ["owner"]
    indexes = {spec["name"]: (name, spec) for name, spec in created["index"]}
    assert indexes["locations_geo"][1]["geoJson"] is True and indexes["locations_geo"][1]["type"] == "geo"
    assert indexes["stream_owner_seq"][1]["unique"] and indexes["stream_item"][1]["sparse"]
    [(graph, options)] = created["graph"]
    assert graph == "social" and options["edge_definitions"][0]["edge_collection"] == "follows"


def test_bootstrap_creates_the_conversation_schema(rec: Recorder, store: ArangoStore) -> None:
    """Schema v11 on ArangoDB: the reply tree as an edge collection, tags, bookmarks and notifications (the
    last two sharded by their owner, so their unique indexes may hold), and bark search: the Analyzer first,
    then the inverted index that names it, then the search-alias View over that index."""
    order = [what for what, _ in rec.created]
    collections = dict(spec for what, spec in rec.created if what == "collection")
    assert collections["replies"]["edge"]
    assert collections["bookmarks"]["shard_fields"] == ["user"]
    assert collections["notifications"]["shard_fields"] == ["owner"]
    indexes = {spec["name"]: (name, spec) for what, (name, spec) in rec.created if what == "index"}
    assert indexes["replies_parent"] == ("replies", {"type": "persistent", "name": "replies_parent",
                                                     "fields": ["parent", "id"], "unique": False, "sparse": False})
    assert [indexes[n][1]["fields"] for n in ("bark_tags_tag", "bark_tags_bark")] == [["tag", "bark"], ["bark"]]
    assert [(indexes[n][1]["fields"], indexes[n][1]["unique"]) for n in (
        "bookmarks_user_bark", "bookmarks_user_id", "bookmarks_bark")] == [
        (["user", "bark"], True), (["user", "id"], True), (["bark"], False)]
    assert [(indexes[n][1]["fields"], indexes[n][1]["unique"]) for n in (
        "notifications_owner_id", "notifications_bark", "notifications_id", "notifications_owner_type_id")] == [
        (["owner", "id"], True), (["bark"], False), (["id"], False), (["owner", "type", "id"], False)]
    for spec in (indexes[n][1] for n in indexes if n.startswith(("bookmarks_", "notifications_"))):
        if spec["unique"]:  # a unique index in a sharded collection must hold its shard key
            assert spec["fields"][0] == collections[indexes[spec["name"]][0]]["shard_fields"][0]
    [(analyzer, definition)] = [spec for what, spec in rec.created if what == "analyzer"]
    assert definition["analyzer_type"] == "text" and definition["properties"]["stemming"] is False
    assert definition["properties"]["accent"] is False and definition["properties"]["case"] == "lower"
    collection, search = indexes["barks_text"]
    assert collection == "barks" and search["type"] == "inverted"
    assert {"name": "text", "analyzer": analyzer} in search["fields"]
    [(view, options)] = [spec for what, spec in rec.created if what == "view"]
    assert view == "barks_search"
    assert options == {"view_type": "search-alias",
                       "properties": {"indexes": [{"collection": "barks", "index": "barks_text"}]}}
    assert order.index("analyzer") < order.index("index") and order.index("view") > max(
        i for i, what in enumerate(order) if what == "index")


def test_lookups_have_non_sparse_indexes_and_the_old_sparse_ones_stay(rec: Recorder, store: ArangoStore) -> None:
    """A sparse index serves a lookup only where the optimizer proves the values non-null, which a loop
    variable (stream_fanout's h.owner, bark_views' x.id) never is: the lookups get non-sparse indexes
    under new names (an index under an old name with a changed definition fails at start-up), and the
    old sparse ones are still declared, exactly as before (older processes rely on them; stream_item also
    carries the uniqueness of stream entries)."""
    indexes = {spec["name"]: (collection, spec) for what, (collection, spec) in rec.created if what == "index"}
    assert indexes["stream_owner_kind_ref"] == ("stream", {"type": "persistent", "name": "stream_owner_kind_ref",
                                                           "fields": ["owner", "kind", "ref"], "unique": False,
                                                           "sparse": False})
    assert indexes["barks_author_rebark"] == ("barks", {"type": "persistent", "name": "barks_author_rebark",
                                                        "fields": ["author", "rebark_of"], "unique": False,
                                                        "sparse": False})
    assert indexes["stream_item"] == ("stream", {"type": "persistent", "name": "stream_item",
                                                 "fields": ["owner", "kind", "ref"], "unique": True, "sparse": True})
    assert indexes["barks_rebark"] == ("barks", {"type": "persistent", "name": "barks_rebark",
                                                 "fields": ["author", "rebark_of"], "unique": False, "sparse": True})


def test_a_user_without_rights_on_system_starts_the_store_on_its_own_database(rec: Recorder) -> None:
    """The driver's verify=True pings _system and raises ServerConnectionError on 401/403: a user who owns
    only its own database must still get its store (collections and indexes created there)."""
    rec.fail_once(lambda op, arg: op == "connect" and arg == "_system",
                  server_error(ServerConnectionError, 0, 401, "bad username/password or token is expired"))
    ArangoStore(CONFIG, client_factory=lambda _: FakeClient(rec))
    created = [what for what, _ in rec.created]
    assert "database" not in created and "collection" in created and "graph" in created


def test_a_refused_log_in_on_the_own_database_is_still_unavailable(rec: Recorder) -> None:
    """...while wrong credentials, refused on the database as well, stop the start with StoreUnavailable."""
    for _ in range(2):
        rec.fail_once(lambda op, arg: op == "connect",
                      server_error(ServerConnectionError, 0, 401, "bad username/password or token is expired"))
    with pytest.raises(StoreUnavailable):
        ArangoStore(CONFIG, client_factory=lambda _: FakeClient(rec))


def test_each_write_method_is_its_own_transaction(rec: Recorder, store: ArangoStore) -> None:
    store.create_user(user(1, "ann"))
    store.create_token(b"a" * 32, 1, 10)
    assert rec.transactions == [("tx1", "begin"), ("tx1", "commit"), ("tx2", "begin"), ("tx2", "commit")]


def test_bulk_is_one_transaction_and_a_clean_failure_inside_leaves_the_rest(rec: Recorder,
                                                                             store: ArangoStore) -> None:
    with store.bulk():
        store.create_user(user(1, "ann"))
        with pytest.raises(Conflict):  # the handle claim fails before anything is written
            store.create_user(user(2, "ann"))
        store.create_user(user(3, "bob"))
    assert rec.transactions == [("tx1", "begin"), ("tx1", "commit")]
    assert {w[3] for w in rec.writes} == {"tx1"}


def test_a_failure_after_writing_rolls_the_whole_block_back(rec: Recorder, store: ArangoStore) -> None:
    rec.fail_once(lambda op, arg: op == "insert" and arg[0] == "users" and arg[1]["id"] == 2,
                  server_error(DocumentInsertError, 1210))
    with pytest.raises(StoreUnavailable), store.bulk():
        store.create_user(user(1, "ann"))
        with pytest.raises(Conflict):  # the handle claim was written, then the user insert failed
            store.create_user(user(2, "bob"))
        with pytest.raises(StoreUnavailable):  # nothing more can happen in this transaction
            store.create_token(b"a" * 32, 1, 10)
    assert rec.transactions == [("tx1", "begin"), ("tx1", "abort")]


def test_a_failed_write_query_inside_a_block_rolls_it_all_back(rec: Recorder, store: ArangoStore) -> None:
    """A write query that fails may have written part of its rows: the block cannot keep the rest."""
    rec.documents[("users", "1")] = {"_key": "1", "id": 1, "followers_count": 0, "has_unfanned": False,
                                    "stream_head": 0}
    rec.fail_once(lambda op, arg: op == "aql" and arg == "stream_append", server_error(AQLQueryExecuteError, 1200))
    with pytest.raises(StoreUnavailable), store.bulk():
        store.create_token(b"a" * 32, 1, 10)
        with pytest.raises(WriteConflict):
            store.post_bark(10, 1, "hi", None, 100, 11)
    assert [what for _, what in rec.transactions] == ["begin", "abort"]
    assert ("tokens", (b"a" * 32).hex()) not in rec.documents


def test_an_exception_in_the_block_aborts(rec: Recorder, store: ArangoStore) -> None:
    with pytest.raises(RuntimeError), store.bulk():
        store.create_user(user(1, "ann"))
        raise RuntimeError("boom")
    assert rec.transactions == [("tx1", "begin"), ("tx1", "abort")]


def test_write_conflicts_are_retried_from_the_start(rec: Recorder, store: ArangoStore) -> None:
    rec.fail_once(lambda op, arg: op == "aql" and arg == "stream_append", server_error(AQLQueryExecuteError, 1200))
    rec.documents[("users", "1")] = {"_key": "1", "id": 1, "followers_count": 0, "has_unfanned": False,
                                    "stream_head": 0}
    store.post_bark(10, 1, "hi", None, 100, 11)
    assert rec.transactions == [("tx1", "begin"), ("tx1", "abort"), ("tx2", "begin"), ("tx2", "commit")]
    assert [name for name, _, tx in rec.queries if name == "stream_append"] == ["stream_append"]


def test_a_stream_insert_losing_a_race_is_retried(rec: Recorder, store: ArangoStore) -> None:
    """A unique violation on (owner, seq) means a concurrent append won: retry, don't report a Conflict."""
    rec.fail_once(lambda op, arg: op == "aql" and arg == "stream_append", server_error(AQLQueryExecuteError, 1210))
    rec.documents[("users", "1")] = {"_key": "1", "id": 1, "followers_count": 0, "has_unfanned": False,
                                    "stream_head": 0}
    store.post_bark(10, 1, "hi", None, 100, 11)
    assert [what for _, what in rec.transactions] == ["begin", "abort", "begin", "commit"]


def test_conflicts_that_persist_surface_as_unavailable(rec: Recorder, store: ArangoStore) -> None:
    for _ in range(10):
        rec.fail_once(lambda op, arg: op == "insert", server_error(DocumentInsertError, 1200))
    with pytest.raises(StoreUnavailable):
        store.create_token(b"a" * 32, 1, 10)
    assert [what for _, what in rec.transactions].count("abort") == 6


def test_unreachable_server_is_unavailable(rec: Recorder, store: ArangoStore) -> None:
    rec.fail_once(lambda op, arg: op == "version", ConnectionAbortedError("Can't connect to host(s) within limit (3)"))
    with pytest.raises(StoreUnavailable, match="unreachable"):
        store.ping()
    store.ping()


def test_close_closes_every_thread_client(rec: Recorder) -> None:
    clients: list[FakeClient] = []

    def factory(_: ArangoConfig) -> FakeClient:
        clients.append(FakeClient(rec))
        return clients[-1]

    import threading

    store = ArangoStore(CONFIG, client_factory=factory)
    worker = threading.Thread(target=store.ping)
    worker.start()
    worker.join()
    store.ping()
    store.close()
    assert len(clients) == 2 and all(c.closed for c in clients)


# -- the start-up pass that snaps stored locations to cells --------------------------------------------
def emulate_locations_to_snap(rec: Recorder) -> None:
    """aql/locations_to_snap.aql's filter, over the fake's documents (the fake evaluates no AQL)."""
    rec.canned["locations_to_snap"] = lambda bind: [
        d for (c, _), d in sorted(rec.documents.items()) if c == "locations"
        and (d.get("resolution") is None or d["resolution"] > bind["resolution"])][:bind["n"]]


def test_start_up_snaps_exact_points_and_coarsens_finer_cells(rec: Recorder) -> None:
    """Locations stored before cells hold exact points: opening the store replaces each with its cell
    (the whole document: the exact point is nowhere in it); the visibility set is kept. Opening it with a
    coarser resolution coarsens stored cells to their ancestors."""
    raw = {1: (52.520008, 13.404954), 2: (-33.868820, 151.209296), 3: (0.0, 179.99999)}
    for uid, (lat, lon) in raw.items():
        rec.documents[("locations", str(uid))] = {"_key": str(uid), "user": uid, "lat": lat, "lon": lon,
                                                  "location": {"type": "Point", "coordinates": [lon, lat]},
                                                  "updated_ms": 5, **({"visibility": "nobody"} if uid == 2 else {})}
    emulate_locations_to_snap(rec)
    ArangoStore(CONFIG, client_factory=lambda _: FakeClient(rec)).close()
    for uid, (lat, lon) in raw.items():
        doc = rec.documents[("locations", str(uid))]
        cell = snap(lat, lon, 7)
        assert (doc["cell"], doc["resolution"], doc["lat"], doc["lon"]) == (cell.id, 7, cell.lat, cell.lon)
        assert doc["location"] == {"type": "Point", "coordinates": [cell.lon, cell.lat]}
        assert lat not in _numbers(doc) and lon not in _numbers(doc)
        assert doc["visibility"] == ("nobody" if uid == 2 else "everyone") and doc["updated_ms"] == 5
    writes = len(rec.writes)
    ArangoStore(CONFIG, client_factory=lambda _: FakeClient(rec)).close()
    assert len(rec.writes) == writes  # nothing left to snap: the next start-up writes nothing
    ArangoStore(CONFIG, client_factory=lambda _: FakeClient(rec), location_resolution=5).close()
    for uid, (lat, lon) in raw.items():
        doc = rec.documents[("locations", str(uid))]
        assert (doc["cell"], doc["resolution"]) == (coarsen(snap(lat, lon, 7), 5).id, 5)


def _numbers(doc: object) -> list[float]:
    if isinstance(doc, dict):
        return [n for v in doc.values() for n in _numbers(v)]
    if isinstance(doc, list):
        return [n for v in doc for n in _numbers(v)]
    return [doc] if isinstance(doc, float) else []
