"""The distributed store: ArangoDB 3.12 through python-arango. Same contract as the SQLite store
(barker/ports/) and the same contract tests (tests/contract/, when BARKER_ARANGO_URL is set).

Data model (schema and sharding choices in arango_schema.py; connections and transactions in
arango_base.py; discovery in arango_discovery.py; queries in aql/, one per file):
- users, barks, tokens, jobs, node_leases: documents keyed by the string form of their integer id (the
  numeric id is kept too, for ordering and joins by index);
- follows: edges `users/<follower>` -> `users/<followee>` of the named graph `social`, keyed
  `<follower>-<followee>`;
- stream: one document per event {owner, seq, kind, ref, author}; `seq` comes from the owner's counter
  `users.stream_head`, raised in the same transaction as the insert (see aql/stream_append.aql);
- locations: GeoJSON points (longitude first) under a geo index;
- media, media_files: uploads and their reference-counted files (arango_media.py); a bark carries the
  rendered Media objects of its attachments, a user the URLs of their avatar;
- notifications: {owner, id, type, actor, bark}, written with their cause and its stream entry
  (arango_notifications.py).
Views are rendered in Python from query rows (arango_views.py), in exactly the SQLite store's shapes.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import Any

import orjson

from barker.errors import Conflict, NotFound, Unauthorized
from barker.ids import iso, now_ms
from barker.policies import (
    BACKFILL_FETCH,
    LEAVING,
    bark_notifications,
    check_follow,
    check_not_rebarked,
    check_reaction_room,
    check_rebarkable,
    fans_out,
    notifies,
    plan_backfill,
    reply_reaches_home,
    retention_cutoff,
)
from barker.ports.types import (
    NO_CONTENT,
    BarkContent,
    BarkView,
    CompactionSlice,
    Credentials,
    FanoutProgress,
    HomeStream,
    Job,
    NewUser,
    PostedBark,
    RawJson,
    SessionKey,
    StreamEvents,
    UserView,
    bark_event,
)
from barker.store.arango_base import NO_CURSOR, stream_race, transactional
from barker.store.arango_departures import ArangoDepartures
from barker.store.arango_discovery import ArangoDiscovery
from barker.store.arango_media import ArangoMedia
from barker.store.arango_notifications import ArangoNotifications, Notice
from barker.store.arango_operators import ArangoOperators
from barker.store.arango_reports import ArangoReports
from barker.store.arango_safety import ArangoSafety
from barker.store.arango_support import (
    bark_handle,
    follow_key,
    key,
    parse_store_url,
    reaction_key,
    token_key,
    user_handle,
    word_prefixes,
    words,
)
from barker.store.arango_tags import ArangoTags
from barker.store.arango_threads import ArangoThreads
from barker.store.arango_views import bark_view, user_view


def with_originals(bark_ids: Sequence[int], views: dict[int, BarkView]) -> set[int]:
    """The barks that still exist and, for rebarks, their originals: what a reader may have reacted to or
    rebarked, which changes how the bark looks to them."""
    found = set()
    for bark_id in bark_ids:
        if bark_id in views:
            found.add(bark_id)
            if views[bark_id]["rebark_of"]:
                found.add(views[bark_id]["rebark_of"]["id"])
    return found


class ArangoStore(ArangoDiscovery, ArangoMedia, ArangoNotifications, ArangoThreads, ArangoTags, ArangoOperators,
                  ArangoDepartures, ArangoReports, ArangoSafety):
    @classmethod
    def from_url(cls, url: str, **options: Any) -> ArangoStore:
        """`arangodb://user:pass@host:8529/dbname` (see arango_support.parse_store_url)."""
        return cls(parse_store_url(url), **options)

    # -- id-generator node leases ------------------------------------------------------------------
    @transactional
    def claim_node(self, holder: str, now_ms: int, ttl_ms: int) -> int:
        from barker.ids import MAX_NODES

        busy = {int(lease["node"]) for lease in self._aql("node_leases")
                if lease["expires_ms"] > now_ms and lease["holder"] != holder}
        for node in range(MAX_NODES):
            if node not in busy:
                self._insert("node_leases", {"_key": key(node), "node": node, "holder": holder,
                                             "expires_ms": now_ms + ttl_ms}, overwrite_mode="replace")
                return node
        raise Conflict(f"all {MAX_NODES} id-generator node numbers are leased by running processes")

    @transactional
    def renew_node(self, node: int, holder: str, now_ms: int, ttl_ms: int) -> bool:
        lease = self._get("node_leases", key(node))
        if lease is None or lease["holder"] != holder:
            return False
        self._update("node_leases", {"_key": key(node), "expires_ms": now_ms + ttl_ms})
        return True

    # -- accounts and tokens -----------------------------------------------------------------------
    @transactional
    def create_user(self, user: NewUser) -> None:
        try:  # the handle claim: its _key is the canonical handle, unique in any sharding
            self._insert("handles", {"_key": user.handle_canon, "user": user.id})
        except Conflict:
            raise Conflict("that handle is taken", code="handle_taken") from None
        self._insert("users", {
            "_key": key(user.id), "id": user.id, "handle": user.handle, "handle_canon": user.handle_canon,
            "created_at": iso(user.id), "display_name": user.display_name, "bio": user.bio,
            "password_hash": user.password_hash, "followers_count": 0, "following_count": 0, "barks_count": 0,
            "has_unfanned": False, "stream_floor": 0, "stream_trimmed": 0, "stream_head": 0, "notifications_read": 0,
            "avatar_media": None, "avatar_url": None, "avatar_thumbnail_url": None,
            "role": user.role, "state": user.state, "must_change_password": False,
            "name_prefixes": word_prefixes(user.display_name), "bio_words": words(user.bio)})

    def credentials(self, handle_canon: str) -> Credentials | None:
        rows = self._aql("user_by_handle", handle=handle_canon)
        if not rows:
            return None
        row = rows[0]
        if row.get("state") == LEAVING:  # gone to log-in and to handle look-ups (barker/ports/departures.py)
            return None
        return Credentials(int(row["id"]), row["password_hash"], row.get("state") or "active",
                           bool(row.get("must_change_password")))

    def password_hash(self, user_id: int) -> str | None:
        doc = self._get("users", key(user_id))
        return doc["password_hash"] if doc else None

    def user_id_by_handle(self, handle_canon: str) -> int | None:
        found = self.credentials(handle_canon)
        return found.user_id if found else None

    def user_ids_by_handles(self, handles_canon: Sequence[str]) -> dict[str, int]:
        if not handles_canon:
            return {}
        return {handle: int(user_id) for handle, user_id in self._aql("users_by_handles", handles=list(handles_canon))}

    def user_view(self, user_id: int, viewer: int | None) -> UserView | None:
        views = self.user_views([user_id], viewer)
        return views[0] if views else None

    def user_views(self, user_ids: Sequence[int], viewer: int | None) -> list[UserView]:
        if not user_ids:
            return []
        return [user_view(row) for row in self._aql("user_views", ids=list(user_ids), viewer=viewer)]

    @transactional
    def update_profile(self, user_id: int, display_name: str | None, bio: str | None) -> None:
        patch: dict[str, Any] = {"_key": key(user_id)}
        if display_name is not None:
            patch.update(display_name=display_name, name_prefixes=word_prefixes(display_name))
        if bio is not None:
            patch.update(bio=bio, bio_words=words(bio))
        try:
            self._update("users", patch)
        except NotFound:
            raise NotFound("no such user") from None

    @transactional
    def set_password_hash(self, user_id: int, password_hash: str) -> None:
        with contextlib.suppress(NotFound):  # like SQLite's UPDATE of no row
            self._update("users", {"_key": key(user_id), "password_hash": password_hash})

    @transactional
    def create_token(self, digest: bytes, user_id: int, expires_ms: int, restricted: bool = False) -> None:
        self._insert("tokens", {"_key": token_key(digest), "user": user_id, "expires_ms": expires_ms,
                                "restricted": restricted})

    def token_user(self, digest: bytes, now_ms: int) -> int | None:
        doc = self._get("tokens", token_key(digest))
        return int(doc["user"]) if doc and doc["expires_ms"] > now_ms and not doc.get("restricted") else None

    def restricted_token_user(self, digest: bytes, now_ms: int) -> int | None:
        doc = self._get("tokens", token_key(digest))
        return int(doc["user"]) if doc and doc["expires_ms"] > now_ms and doc.get("restricted") else None

    @transactional
    def revoke_token(self, digest: bytes) -> None:
        self._delete("tokens", token_key(digest))

    @transactional
    def revoke_user_tokens(self, user_id: int, keep: bytes | None) -> int:
        return len(self._aql("revoke_user_tokens", user=user_id, keep=token_key(keep) if keep else ""))

    # -- barks -------------------------------------------------------------------------------------
    def _append(self, owner: int, kind: str, refs: Sequence[int], author: int) -> list[int]:
        """Append events to one owner's stream (repeats of (kind, ref) ignored); the new seqs. The seqs
        continue the owner's counter, raised in this transaction (see aql/stream_append.aql)."""
        user = self._get("users", key(owner))
        if user is None:
            return []
        with stream_race():
            seqs = [int(s) for s in self._aql("stream_append", owner=owner, kind=kind, refs=list(refs),
                                              author=author, head=int(user["stream_head"]))]
        if seqs:
            self._update("users", {"_key": key(owner), "stream_head": seqs[-1]})
            self._retain([(owner, seq) for seq in seqs])
        return seqs

    @transactional
    def post_bark(self, bark_id: int, author: int, text: str | None, rebark_of: int | None,
                  fanout_threshold: int, job_id: int, media: Sequence[int] = (),
                  content: BarkContent = NO_CONTENT) -> PostedBark:
        user = self._get("users", key(author))
        if user is None:
            raise NotFound("no such user")
        attached = self._attachable(media, author, "post") if media and rebark_of is None else {}
        followers = int(user["followers_count"])
        fanned_out = fans_out(followers, fanout_threshold)
        if rebark_of is not None:
            original = self._get("barks", key(rebark_of))
            check_rebarkable(original is not None, original is not None and original["rebark_of"] is not None)
            # Two concurrent rebarks by one author both raise the original's rebark_count: one of them
            # conflicts and is retried, and then sees the other here.
            check_not_rebarked(bool(self._aql("rebark_id", author=author, original=rebark_of)))
            content = NO_CONTENT  # what a text refers to: a rebark has none (as on SQLite)
        # Checked before the first write (a call failing inside a bulk block must have written nothing).
        parent = self._reply_parent(content.reply_to)
        self._insert("barks", {"_key": key(bark_id), "id": bark_id, "author": author, "created_at": iso(bark_id),
                               "text": text, "rebark_of": rebark_of, "fanned_out": fanned_out, "rebark_count": 0,
                               "reactions": {}, "media": [attached[m]["view"] for m in media if m in attached],
                               "reply_to": parent[0] if parent else None, "reply_author": parent[1] if parent else None,
                               "reply_count": 0, "mentions": list(content.mentions), "tags": list(content.tags),
                               "entities": list(content.entities)})
        self._use_media(attached, bark_id)
        if rebark_of is not None:
            self._bump("barks", {key(rebark_of): {"rebark_count": 1}})
            original_author = int(original["author"]) if original else author
            if notifies(author, original_author):
                self._notify([Notice(original_author, "rebark", bark_id, author, rebark_of)])
        if parent is not None:
            # Concurrent replies to one bark both write it here: one conflicts and is retried (exact count).
            self._insert("replies", {"_key": key(bark_id), "_from": bark_handle(bark_id),
                                     "_to": bark_handle(parent[0]), "id": bark_id, "parent": parent[0]})
            self._bump("barks", {key(parent[0]): {"reply_count": 1}})
        if content.tags:
            self._aql("bark_tags_insert", tags=list(content.tags), bark=bark_id, author=author)
        self._notify([Notice(owner, kind, bark_id, author, bark_id)
                      for owner, kind in bark_notifications(author, parent and parent[1], content.mentions)])
        self._bump("users", {key(author): {"barks_count": 1}})
        if not fanned_out and not user["has_unfanned"]:
            self._update("users", {"_key": key(author), "has_unfanned": True})
        self._append(author, "bark", [bark_id], author)
        if fanned_out and followers > 0:
            self._insert("jobs", {"_key": key(job_id), "id": job_id, "kind": "fanout", "bark": bark_id,
                                  "author": author, "target": 0, "cursor": 0})
        return PostedBark(bark_id, fanned_out)

    def _reply_parent(self, reply_to: int | None) -> tuple[int, int] | None:
        """(id, author) of the bark replied to (the original, for a rebark); NotFound if it is gone."""
        if reply_to is None:
            return None
        parent = self._get("barks", key(reply_to))
        if parent is not None and parent["rebark_of"] is not None:
            parent = self._get("barks", key(parent["rebark_of"]))
        if parent is None:
            raise NotFound("the bark replied to does not exist", code="reply_to_not_found")
        return int(parent["id"]), int(parent["author"])

    def bark_author(self, bark_id: int) -> tuple[int, int | None] | None:
        doc = self._get("barks", key(bark_id))
        if doc is None:
            return None
        return int(doc["author"]), None if doc["rebark_of"] is None else int(doc["rebark_of"])

    def rebark_id(self, author: int, original: int) -> int | None:
        rows = self._aql("rebark_id", author=author, original=original)
        return int(rows[0]) if rows else None

    @transactional
    def delete_bark(self, bark_id: int) -> None:
        doc = self._get("barks", key(bark_id))
        if doc is None:
            raise NotFound("no such bark")
        # Rebarks of this bark go with it; each rebarker's count drops by one.
        counts: dict[str, dict[str, int]] = {key(doc["author"]): {"barks_count": -1}}
        for rebark in self._aql("bark_rebarks", bark=bark_id):
            self._delete("barks", rebark["key"])
            counts.setdefault(key(rebark["author"]), {"barks_count": 0})["barks_count"] -= 1
        self._delete("barks", key(bark_id))
        self._release_media([int(m["id"]) for m in doc.get("media") or []])
        self._aql("remove_bark_reactions", bark=bark_id)
        # Its tags, the bookmarks of it, and the notifications about it or caused by it.
        for query in ("remove_bark_tags", "remove_bark_bookmarks", "remove_bark_notifications"):
            self._aql(query, bark=bark_id)
        self._bump("users", counts)
        if doc["rebark_of"] is not None:
            self._bump("barks", {key(doc["rebark_of"]): {"rebark_count": -1}})
        if doc.get("reply_to") is not None:  # a parent deleted before is skipped by the bump
            self._bump("barks", {key(doc["reply_to"]): {"reply_count": -1}})
        self._prune_reply_tree(bark_id)
        # Stream entries of deleted barks are skipped by every read (they check the bark) and age out.

    def _prune_reply_tree(self, bark_id: int) -> None:
        """After deleting a bark: drop its edge in the reply tree unless replies hang from it (it stays as a
        tombstone), then each deleted ancestor's that is left with no replies (see aql/reply_prune.aql)."""
        node: int | None = bark_id
        while node is not None:
            parents = self._aql("reply_prune", key=key(node), node=node)
            node = int(parents[0]) if parents else None

    def _set_reaction_count(self, bark: dict[str, Any], emoji: str, delta: int) -> None:
        reactions = dict(bark["reactions"])
        count = int(reactions.get(emoji, 0)) + delta
        if count > 0:
            reactions[emoji] = count
        else:
            reactions.pop(emoji, None)
        self._update("barks", {"_key": bark["_key"], "reactions": reactions}, merge=False)

    @transactional
    def add_reaction(self, bark_id: int, user_id: int, emoji: str, reaction_id: int) -> bool:
        bark = self._get("barks", key(bark_id))
        if bark is None:
            raise NotFound("no such bark")
        mine = self._aql("my_reactions_on", user=user_id, bark=bark_id)
        if emoji in mine:
            return False
        check_reaction_room(len(mine))
        self._insert("reactions", {"_key": reaction_key(bark_id, user_id, emoji), "id": reaction_id, "bark": bark_id,
                                   "user": user_id, "emoji": emoji})
        self._set_reaction_count(bark, emoji, +1)
        if notifies(user_id, int(bark["author"])):
            self._notify([Notice(int(bark["author"]), "reaction", reaction_id, user_id, bark_id)])
        return True

    @transactional
    def remove_reaction(self, bark_id: int, user_id: int, emoji: str) -> bool:
        bark = self._get("barks", key(bark_id))
        if bark is None:
            raise NotFound("no such bark")
        reaction = self._get("reactions", reaction_key(bark_id, user_id, emoji))
        if reaction is None:
            return False
        if notifies(user_id, int(bark["author"])):  # its notification goes with it
            self._unnotify_reaction(int(bark["author"]), int(reaction["id"]))
        self._delete("reactions", reaction_key(bark_id, user_id, emoji))
        self._set_reaction_count(bark, emoji, -1)
        return True

    def bark_views(self, bark_ids: Sequence[int], viewer: int | None) -> list[BarkView]:
        if not bark_ids:
            return []
        views = [bark_view(row) for row in self._aql("bark_views", ids=list(bark_ids), viewer=viewer)]
        views.sort(key=lambda v: v["id"], reverse=True)
        return views

    def user_bark_ids(self, author: int, before: int | None, limit: int, replies: bool = True, *,
                      viewer: int | None) -> list[int]:
        """As the port's, leaving out the author's rebarks of barks unseen by `viewer` (None: nothing is left
        out)."""
        query = "user_bark_ids" if replies else "user_original_ids"  # the latter leaves replies out
        return [int(i) for i in self._aql(query, author=author, before=before or NO_CURSOR, n=limit,
                                          unseen=self.hidden_users(viewer).unseen)]

    def public_bark_ids(self, before: int | None, limit: int, *, viewer: int | None) -> list[int]:
        return [int(i) for i in self._aql("public_bark_ids", before=before or NO_CURSOR, n=limit,
                                          hidden=self.hidden_users(viewer).hidden)]

    # -- follow graph ------------------------------------------------------------------------------
    @transactional
    def follow(self, follower: int, followee: int, edge_id: int, job_id: int) -> bool:
        check_follow(follower, followee)
        target = self._get("users", key(followee))
        if target is None:
            raise NotFound("no such user")
        if self._get("follows", follow_key(follower, followee)) is not None:
            return False
        self._insert("follows", {"_key": follow_key(follower, followee), "_from": user_handle(follower),
                                 "_to": user_handle(followee), "follower": follower, "followee": followee,
                                 "id": edge_id})
        self._bump("users", {key(follower): {"following_count": 1}, key(followee): {"followers_count": 1}})
        self._notify([Notice(followee, "follow", edge_id, follower, None)])
        # Their barks this stream carried before (unfollowed, followed again) are back at their places at
        # once, under their old seqs; the backfill job adds only barks new to it.
        self._aql("stream_restore_author", owner=follower, author=followee)
        if int(target["barks_count"]) > 0:
            self._insert("jobs", {"_key": key(job_id), "id": job_id, "kind": "backfill", "bark": 0,
                                  "author": followee, "target": follower, "cursor": 0})
        return True

    @transactional
    def unfollow(self, follower: int, followee: int) -> bool:
        if not self._delete("follows", follow_key(follower, followee)):
            return False
        self._bump("users", {key(follower): {"following_count": -1}, key(followee): {"followers_count": -1}})
        # Their barks leave the follower's stream now (as tombstones, kept as their places for a follow
        # again), so reads need no per-row "still following?" check; fan-out and backfill re-check the edge
        # in their own transactions.
        self._aql("stream_tombstone_author", owner=follower, author=followee)
        return True

    def _edge_page(self, query: str, user_id: int, before: int | None, limit: int,
                   viewer: int | None) -> list[tuple[int, UserView]]:
        rows = self._aql(query, user=user_id, before=before or NO_CURSOR, n=limit,
                         unseen=self.hidden_users(viewer).unseen)
        views = {v["id"]: v for v in self.user_views([int(r["user"]) for r in rows], viewer)}
        return [(int(r["cursor"]), views[int(r["user"])]) for r in rows if int(r["user"]) in views]

    def follower_page(self, user_id: int, before: int | None, limit: int,
                      viewer: int | None) -> list[tuple[int, UserView]]:
        return self._edge_page("follower_page", user_id, before, limit, viewer)

    def following_page(self, user_id: int, before: int | None, limit: int,
                       viewer: int | None) -> list[tuple[int, UserView]]:
        return self._edge_page("following_page", user_id, before, limit, viewer)

    # -- home timelines ----------------------------------------------------------------------------
    def home_stream(self, owner: int, before: int | None, limit: int) -> HomeStream:
        rows = self._aql("home_stream", owner=owner, before=before or NO_CURSOR, n=limit,
                         hidden=self.hidden_users(owner).hidden)
        if not rows:
            return HomeStream(0, [], [])
        found = rows[0]
        return HomeStream(int(found["floor"]), sorted((int(i) for i in found["bark_ids"]), reverse=True),
                          [int(c) for c in found["celebrities"]])

    def home_page(self, session: SessionKey, before: int | None, limit: int) -> RawJson:
        return self._page("home_page", session, before, limit)

    def public_page(self, session: SessionKey, before: int | None, limit: int) -> RawJson:
        return self._page("public_page", session, before, limit)

    def _page(self, query: str, session: SessionKey, before: int | None, limit: int) -> RawJson:
        """A BarkPage body: the page's ids (and the caller, from the token) in one query, then the views."""
        [found] = self._aql(query, token=token_key(session.digest), now=session.now_ms,
                            before=before or NO_CURSOR, n=limit)
        if found["caller"] is None:
            raise Unauthorized("missing, expired or revoked token")
        page = [int(i) for i in found["page"]]
        items = self.bark_views(page, int(found["caller"]))
        return RawJson(orjson.dumps({"items": items, "next_before": page[-1] if len(page) >= limit else None}))

    @transactional
    def trim_stream(self, owner: int, keep: int) -> int:
        if keep > 0:  # cut below the keep-th newest entry, if there are that many
            found = self._aql("stream_nth_seq", owner=owner, offset=keep - 1)
            if not found:
                return 0
            cutoff = int(found[0])
        else:
            cutoff = NO_CURSOR
        return self._trim_below(owner, cutoff)

    def _trim_below(self, owner: int, cutoff: int) -> int:
        """Delete the owner's entries with seq < cutoff; remember how far (so a cursor from before is told
        about the gap) and raise the home-timeline floor above the barks that went."""
        gone = self._aql("stream_trim", owner=owner, cutoff=cutoff)
        user = self._get("users", key(owner)) if gone else None
        if user is None:
            return 0
        barks = [int(g["bark"]) for g in gone if g["bark"] is not None]
        self._update("users", {
            "_key": key(owner), "stream_trimmed": max(int(user["stream_trimmed"]), *(int(g["seq"]) for g in gone)),
            "stream_floor": max(int(user["stream_floor"]), max(barks) + 1) if barks else int(user["stream_floor"])})
        return len(gone)

    def _retain(self, appended: Sequence[tuple[int, int]]) -> None:
        """Automatic retention, amortised (policies.retention_cutoff): each owner's seqs count its own
        appends, so every TRIM_EVERY-th one drops the entries more than `stream_retain` seqs older."""
        for owner, seq in appended:
            cutoff = retention_cutoff(seq, self.stream_retain)
            if cutoff is not None:
                self._trim_below(owner, cutoff)

    def stream_head(self, owner: int) -> int:
        doc = self._get("users", key(owner))
        return int(doc["stream_head"]) if doc else 0

    def stream_newest_cursor(self, owner: int, count: int) -> int:
        [cursor] = self._aql("stream_newest_cursor", owner=owner, offset=count - 1)
        return int(cursor)

    def stream_events(self, owner: int, after: int | None, limit: int) -> StreamEvents:
        if after is None:
            return StreamEvents([], self.stream_head(owner), False)
        return self.stream_events_many([(owner, after)], limit)[0]

    def stream_events_many(self, requests: Sequence[tuple[int, int]], limit: int) -> list[StreamEvents]:
        """A few queries for all the slices, as in the SQLite store: the entries, each bark rendered once
        for everyone, and again only for the readers who reacted to or rebarked one of theirs."""
        if not requests:
            return []
        found = self._aql("stream_events", requests=[[owner, after] for owner, after in requests], n=limit)
        barks_of = [[int(e["ref"]) for e in f["entries"] if e["kind"] == "bark"] for f in found]
        bark_ids = list({b for ids in barks_of for b in ids})
        owners = {owner for owner, _ in requests}
        if len(owners) == 1:  # one reader (the HTTP endpoint, a lone socket): render for them, nothing to check
            [owner] = owners
            mine = {v["id"]: v for v in self.bark_views(bark_ids, owner)}
            return [self._events(owner, after, limit, f, mine) for (_, after), f in zip(requests, found, strict=True)]
        shared = {v["id"]: v for v in self.bark_views(bark_ids, None)}
        readers = [[owner, sorted(with_originals(ids, shared))]
                   for (owner, _), ids in zip(requests, barks_of, strict=True) if ids]
        touched = {int(r) for r in self._aql("stream_readers_touched", readers=readers)} if readers else set()
        slices = []
        for (owner, after), f, ids in zip(requests, found, barks_of, strict=True):
            barks = {v["id"]: v for v in self.bark_views(ids, owner)} if owner in touched else shared
            slices.append(self._events(owner, after, limit, f, barks))
        return slices

    def _events(self, owner: int, after: int, limit: int, found: dict[str, Any],
                barks: dict[int, BarkView]) -> StreamEvents:
        entries = found["entries"]
        # reaction, follow, rebark, reply, mention: those the owner may see
        notified = self._notification_events(owner, [e for e in entries if not e.get("hidden")])
        events = []
        for e in entries:  # a subject that is gone (deleted bark, removed reaction, tombstone) is skipped
            seq = int(e["seq"])
            if e.get("hidden"):  # hidden from the owner (stream_events.aql): skipped, the cursor passes it
                continue
            if e["kind"] == "bark" and int(e["ref"]) in barks:
                events.append(bark_event(seq, barks[int(e["ref"])]))
            elif seq in notified:
                events.append(notified[seq])
        last = max((int(e["seq"]) for e in entries), default=0)
        return StreamEvents(events, max(after, last), after < int(found["trimmed"] or 0), len(entries) >= limit)

    # RocksDB is already a log-structured merge tree: appends are cheap and it compacts on its own, so
    # there is no fresh tier to move (see SqliteStreams for why the SQLite store has one). Not part of the
    # contract (the worker drives store.maintenance(), NoMaintenance here): kept so the contract suite's
    # compaction checks run unchanged on both engines.
    def uncompacted_stream_rows(self) -> int:
        return 0

    def compact_streams(self, max_rows: int, after_owner: int = 0) -> CompactionSlice:
        return CompactionSlice(0, None)

    def online_followers(self, author: int, candidates: Sequence[int], bark: int | None = None) -> list[int]:
        """Which of `candidates` follow `author`; given the bark being delivered, only those its home rule
        lets it reach (a reply; see _reached_by). A bark that is gone meanwhile reaches nobody."""
        if not candidates:
            return []
        followers = [int(c) for c in self._aql("online_followers", author=author, candidates=list(candidates))]
        if bark is None or not followers:
            return followers
        doc = self._get("barks", key(bark))
        return self._reached_by(followers, author, doc.get("reply_author")) if doc else []

    def _reached_by(self, readers: list[int], author: int, replied_to: int | None) -> list[int]:
        """The readers (followers of `author`) a bark by `author` reaches on their home timelines, in order:
        policies.reply_reaches_home, with whether each follows `replied_to` (the author of the bark it
        answers; None: no reply) read in one lookup of follow-edge keys (primary index)."""
        if replied_to is None or int(replied_to) == author:
            return readers
        answered = int(replied_to)
        asked = [r for r in readers if r != answered]
        edges = self._aql("follows_among", keys=[follow_key(r, answered) for r in asked]) if asked else []
        following = {int(follower) for follower, _ in edges}
        return [r for r in readers if reply_reaches_home(r, author, answered, r in following)]

    # -- the outbox --------------------------------------------------------------------------------
    def next_jobs(self, limit: int) -> list[Job]:
        return [Job(int(j["id"]), j["kind"], int(j["bark"]), int(j["author"]), int(j["target"]), int(j["cursor"]))
                for j in self._aql("jobs_next", n=limit)]

    def pending_jobs(self) -> int:
        return self._count("jobs")

    @transactional
    def run_fanout_batch(self, job: Job, batch_size: int) -> FanoutProgress:
        stored = self._get("jobs", key(job.id))
        if stored is None:  # finished meanwhile (another worker, or a retry after a crash)
            return FanoutProgress(0, True)
        if job.kind == "backfill":
            return self._backfill(job)
        if job.kind == "departure":  # its step as stored: a retry with a stale copy of the job continues
            return self._departure_batch(job, int(stored["cursor"]), batch_size, now_ms())
        bark = self._get("barks", key(job.bark))
        if bark is None:
            self._delete("jobs", key(job.id))  # the bark was deleted: nothing to copy
            return FanoutProgress(0, True)
        # Progress is read from the store, so a retry with a stale copy of the job continues.
        found = [int(f) for f in self._aql("fanout_followers", author=job.author, cursor=int(stored["cursor"]),
                                           n=batch_size + 1)]
        batch, more = found[:batch_size], len(found) > batch_size
        # A reply reaches only the followers the home rule lets it reach; the cursor still passes them all.
        reached = self._reached_by(batch, job.author, bark.get("reply_author"))
        appended = self._fan_out(reached, job.bark, job.author) if reached else []
        self._retain(appended)
        if more:
            self._update("jobs", {"_key": key(job.id), "cursor": batch[-1]})
        else:
            self._delete("jobs", key(job.id))
        return FanoutProgress(len(appended), not more, tuple(owner for owner, _ in appended))

    def _fan_out(self, owners: list[int], bark: int, author: int) -> list[tuple[int, int]]:
        """Copy a bark into the streams of these followers (each once); the (owner, seq) written."""
        heads = self._aql("stream_heads", owners=owners)
        with stream_race():
            appended = [(int(r["owner"]), int(r["seq"])) for r in self._aql(
                "stream_fanout", heads=heads, kind="bark", ref=bark, author=author)]
        self._bump("users", {key(owner): {"stream_head": 1} for owner, _ in appended})
        return appended

    def _backfill(self, job: Job) -> FanoutProgress:
        """Copy the followee's latest barks into the new follower's stream, oldest first so seq order
        matches time order (those it carried before are live again at their places, restored by the
        follow: stream_append skips them); if more were eligible than copied, raise the floor above the
        gap."""
        self._delete("jobs", key(job.id))
        if self._get("follows", follow_key(job.target, job.author)) is None:
            return FanoutProgress(0, True)
        target = self._get("users", key(job.target))
        floor = int(target["stream_floor"]) if target else 0
        # Only the barks the home rule lets reach this follower count (aql/author_barks_since.aql).
        plan = plan_backfill([int(i) for i in self._aql("author_barks_since", author=job.author, target=job.target,
                                                        floor=floor, n=BACKFILL_FETCH)], floor)
        copied = plan.copied
        written = len(self._append(job.target, "bark", copied[::-1], job.author)) if copied else 0
        if plan.floor != floor and target:
            self._update("users", {"_key": key(job.target), "stream_floor": plan.floor})
        return FanoutProgress(written, True, (job.target,) if written else ())

