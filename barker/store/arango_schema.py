"""The ArangoDB store's schema, created idempotently on start-up: the database, collections, the `social`
graph and every index the queries in aql/ rely on.

Choices that survive sharding (a cluster that is not OneShard):
- `stream` is sharded by `owner`: a user's stream (timeline page, backlog, trimming) lives on one shard.
  Its documents therefore carry no user-supplied `_key`, and both unique indexes contain `owner`.
- Uniqueness is otherwise carried by deterministic `_key`s, because a unique secondary index must contain
  the shard key: follow edges are `<follower>-<followee>`, reactions `<bark>-<user>-<emoji hex>`, the
  handle claim is a `handles` document keyed by the canonical handle.
- Every other collection keeps the default shard key `_key`; users and barks are keyed by their ids.
- Conversations (issue 18): `bookmarks` and `notifications` are sharded by their owner like `stream` (a
  user's list on one shard; their unique indexes contain it); `replies` (the reply tree) and `bark_tags`
  shard by `_key`.

Bark search: an inverted index on barks.text with the `barker_text` Analyzer (below), reached through the
search-alias View `barks_search`. The Analyzer matches what SQLite's FTS5 tokenizer (unicode61
remove_diacritics 2) matches: words split on Unicode word boundaries, lower-cased, accents removed, no
stemming and no stop words, so a search finds the same barks on both stores (the built-in `text_en`
stems, and "running" would then find "run" on ArangoDB only). The index is eventually consistent:
ArangoSearch makes a write visible to searches after its next commit (about a second), unlike FTS5.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger("barker.store.arango")

GRAPH = "social"
TEXT_ANALYZER = "barker_text"
# A `text` Analyzer: locale "en" only names the word-break and case rules (ICU, language-neutral for
# splitting); features frequency/norm/position let PHRASE and scoring work on it.
ANALYZERS: tuple[dict[str, Any], ...] = (
    {"name": TEXT_ANALYZER, "analyzer_type": "text",
     "properties": {"locale": "en", "case": "lower", "accent": False, "stemming": False, "stopwords": []},
     "features": ["frequency", "norm", "position"]},
)
BARK_SEARCH_INDEX = "barks_text"
# Views (not collections: transactions do not declare them): the search-alias View over the inverted index.
VIEWS: tuple[dict[str, Any], ...] = (
    {"name": "barks_search", "view_type": "search-alias",
     "properties": {"indexes": [{"collection": "barks", "index": BARK_SEARCH_INDEX}]}},
)


@dataclass(frozen=True)
class Collection:
    name: str
    edge: bool = False
    shard_fields: tuple[str, ...] = ()
    indexes: tuple[dict[str, Any], ...] = field(default=())


def _persistent(name: str, *fields: str, unique: bool = False, sparse: bool = False) -> dict[str, Any]:
    return {"type": "persistent", "name": name, "fields": list(fields), "unique": unique, "sparse": sparse}


COLLECTIONS: tuple[Collection, ...] = (
    Collection("users", indexes=(
        _persistent("users_id", "id"),  # joins by numeric id (the _key is its string form)
        _persistent("users_handle", "handle_canon"),  # log-in look-up, handle-prefix search
        _persistent("users_name_prefixes", "name_prefixes[*]"),  # search tier 1
        _persistent("users_bio_words", "bio_words[*]"),  # search tier 2
        _persistent("users_role", "role", "id"),  # the admins' account lists by role
        _persistent("users_state", "state", "id"),  # ... and by state (pending sign-ups)
    )),
    Collection("handles"),  # _key = canonical handle: the unique claim on it
    Collection("barks", indexes=(
        _persistent("barks_id", "id"),  # public timeline, joins
        _persistent("barks_author", "author", "id"),  # user timelines, top barks per author
        _persistent("barks_rebark", "author", "rebark_of", sparse=True),  # kept: older releases declare it
        # "Did the viewer rebark it?" (bark_views, stream_readers_touched). Not sparse: a sparse index serves
        # a lookup only where the optimizer proves the values non-null, which a loop variable never is.
        _persistent("barks_author_rebark", "author", "rebark_of"),
        _persistent("barks_rebarks_of", "rebark_of", sparse=True),  # cascade on delete
        # A user's barks without their replies (?replies=false): reply_to == null. Not sparse: a sparse index
        # leaves out documents with a null in an indexed field, which are exactly the ones wanted.
        _persistent("barks_author_reply", "author", "reply_to", "id"),
        # Bark search (schema v11): words of the text (barker_text) and the tags as stored (normalised),
        # newest first (primarySort on id descending serves "newest first" without sorting the matches).
        {"type": "inverted", "name": BARK_SEARCH_INDEX,
         # `id` too: a search's `before` bound is then a range of the index (SEARCH b.id < @before).
         "fields": [{"name": "text", "analyzer": TEXT_ANALYZER}, {"name": "tags[*]", "analyzer": "identity"},
                    {"name": "id"}],
         "primarySort": {"fields": [{"field": "id", "direction": "desc"}]}},
    )),
    # The reply tree (schema v11): an edge `barks/<reply>` -> `barks/<parent>` per reply, keyed by the reply,
    # kept as a tombstone after the reply is deleted while replies hang from it, so a thread's branches still
    # hang together. A parent's replies in id order: index [parent, id].
    Collection("replies", edge=True, indexes=(_persistent("replies_parent", "parent", "id"),)),
    # A tag's barks newest first (its timeline), and the tags of recent barks (trending: bark ids are
    # time-ordered). Documents {tag, bark, author}, one per distinct tag of a bark.
    Collection("bark_tags", indexes=(
        _persistent("bark_tags_tag", "tag", "bark"),
        # Trending groups the window's rows by tag and author: stored with the index entries, so the range
        # read needs no document look-ups (as SQLite's covering bark_tags_time index).
        {**_persistent("bark_tags_bark", "bark"), "storedValues": ["tag", "author"]},
    )),
    # Private bookmarks {user, bark, id}: once per (user, bark); paged by when they were made (id).
    Collection("bookmarks", shard_fields=("user",), indexes=(
        _persistent("bookmarks_user_bark", "user", "bark", unique=True),
        _persistent("bookmarks_user_id", "user", "id", unique=True),
        _persistent("bookmarks_bark", "bark"),  # removed with the bark
    )),
    # Notifications {owner, id, type, actor, bark}: the durable history behind the stream's notification
    # events; id is that of what caused it (reaction, rebark, reply or mentioning bark, follow edge).
    Collection("notifications", shard_fields=("owner",), indexes=(
        _persistent("notifications_owner_id", "owner", "id", unique=True),  # a user's list, newest first
        # A page of some types only (?types=mention): one range per wanted type, newest first, so an owner
        # with 100k reactions is not read through to find their few mentions (SQLite: notifications_type).
        _persistent("notifications_owner_type_id", "owner", "type", "id"),
        _persistent("notifications_bark", "bark"),  # removed with the bark they are about...
        _persistent("notifications_id", "id"),  # ... and with the bark that caused them
    )),
    Collection("follows", edge=True, indexes=(  # plus the automatic edge index on _from/_to
        _persistent("follows_out_time", "follower", "id"),  # following pages, newest first
        _persistent("follows_in_time", "followee", "id"),  # follower pages
        _persistent("follows_in", "followee", "follower"),  # fan-out batches by follower id; flags
    )),
    Collection("stream", shard_fields=("owner",), indexes=(
        _persistent("stream_owner_seq", "owner", "seq", unique=True),  # backlog after a seq, trimming
        # Entries are unique per (owner, kind, ref). A bark has one entry in a stream, live or tombstoned
        # ('gone', on unfollow; revived in place on a follow again), so its tombstone keeps its ref.
        # Sparse: tombstones written before that rule have ref null and stay out of it.
        _persistent("stream_item", "owner", "kind", "ref", unique=True, sparse=True),
        # The look-up of an entry (stream_append, stream_fanout, home_page): the sparse index above cannot
        # serve it (h.owner and the like are not proven non-null), so the same fields again, not sparse, and
        # not unique (old null-ref tombstones repeat). New name: a changed definition under an old name
        # fails at start-up.
        _persistent("stream_owner_kind_ref", "owner", "kind", "ref"),
    )),
    Collection("tokens", indexes=(_persistent("tokens_user", "user"),)),
    Collection("server_settings"),  # _key = the setting's name (the registration mode)
    Collection("invites", indexes=(_persistent("invites_id", "id"),)),  # _key = the code's digest (hex)
    Collection("audit_log", indexes=(_persistent("audit_log_id", "id"),)),
    # Reports to the moderators, keyed by id: "my reports", the queue by state, removal with either account.
    Collection("reports", indexes=(_persistent("reports_id", "id"),
                                   _persistent("reports_reporter_id", "reporter", "id"),
                                   _persistent("reports_state_id", "state", "id"),
                                   _persistent("reports_target", "target"))),
    Collection("reactions", indexes=(
        _persistent("reactions_by_user", "user", "bark"),
        _persistent("reactions_bark", "bark"),
        _persistent("reactions_id", "id"),  # stream events refer to reactions by id
    )),
    Collection("jobs", indexes=(_persistent("jobs_id", "id"),)),
    Collection("node_leases"),
    Collection("locations", indexes=(
        # GeoJSON Point {"type": "Point", "coordinates": [lon, lat]}: longitude first.
        {"type": "geo", "name": "locations_geo", "fields": ["location"], "geoJson": True},
        _persistent("locations_resolution", "resolution"),  # the start-up pass finds what to snap
    )),
    # The purge of counters whose window has ended (see arango_discovery); `window`, the index of the
    # window, was the attribute of older releases.
    Collection("rate_limits", indexes=(_persistent("rate_limits_ends_ms", "ends_ms"),)),
    Collection("dismissed", indexes=(_persistent("dismissed_user", "user"),)),
    # Media records keyed by id; files keyed by their storage key (content address) with a reference count.
    Collection("media", indexes=(_persistent("media_state", "state", "created_ms"),)),  # the expiry sweep
    Collection("media_files", indexes=(_persistent("media_files_deleting", "deleting_since", sparse=True),)),
    # Blocks and mutes (issue 19): {blocker, blocked, id} and {muter, muted, id, until_ms (null: until
    # unmuted)}, keyed "<blocker>-<blocked>" / "<muter>-<muted>" (arango_support.pair_key), so a pair is
    # there once in any sharding and one pair is read by key. Reads that hide users for a viewer read the
    # viewer's blocks and mutes by their first field ([blocker, id], [muter, id]: also the pages by id),
    # the blocks against the viewer by the reverse index, and one pair by either field with the reverse
    # index ([blocked, blocker] / [muted, muter]: both fields, an exact look-up per rendered user). Not
    # unique: sharded by _key, a unique index would have to contain it (the key already makes pairs unique).
    Collection("blocks", indexes=(_persistent("blocks_time", "blocker", "id"),
                                  _persistent("blocks_blocked", "blocked", "blocker"))),
    Collection("mutes", indexes=(_persistent("mutes_time", "muter", "id"),
                                 _persistent("mutes_muted", "muted", "muter"))),
)
NAMES: tuple[str, ...] = tuple(c.name for c in COLLECTIONS)


def bootstrap(client: Any, config: Any) -> None:
    """Create whatever is missing; safe to run on every start-up, from several processes at once (a
    creation that loses a race to another process is fine: the other one created it)."""
    from arango.exceptions import ArangoServerError, CollectionCreateError, GraphCreateError, ViewCreateError

    try:
        # verify=True pings _system: the driver raises ServerConnectionError (an ArangoServerError) on
        # 401/403 there, which a user who owns only its own database gets. An unreachable server raises
        # something else and stops here.
        system = client.db("_system", username=config.username, password=config.password, verify=True)
        if not system.has_database(config.database):
            try:
                system.create_database(config.database, sharding=config.sharding)
                log.info("created database %s", config.database)
            except ArangoServerError as e:
                if e.error_code != 1207:  # duplicate name: another process was first
                    raise
    except ArangoServerError as e:
        # A user without rights on _system may still own the database: go on, and find out below.
        log.warning("cannot check or create database %s through _system (%s)", config.database, e.error_message)
    db = client.db(config.database, username=config.username, password=config.password, verify=True)
    for analyzer in ANALYZERS:  # before the indexes that use them; an identical one is a no-op (HTTP 200)
        db.create_analyzer(**analyzer)
    for spec in COLLECTIONS:
        if not db.has_collection(spec.name):
            try:
                db.create_collection(spec.name, edge=spec.edge, shard_fields=list(spec.shard_fields) or None)
            except CollectionCreateError as e:
                if e.error_code != 1207:
                    raise
        collection = db.collection(spec.name)
        for index in spec.indexes:
            collection.add_index(dict(index))  # an identical existing index is a no-op
    views = {view["name"] for view in db.views()}
    for view in VIEWS:
        if view["name"] not in views:
            try:
                db.create_view(**view)
            except ViewCreateError as e:
                if e.error_code != 1207:  # duplicate name: another process was first
                    raise
    if not db.has_graph(GRAPH):
        try:
            db.create_graph(GRAPH, edge_definitions=[{"edge_collection": "follows",
                                                      "from_vertex_collections": ["users"],
                                                      "to_vertex_collections": ["users"]}])
        except GraphCreateError as e:
            if e.error_code != 1925:  # graph already exists
                raise
