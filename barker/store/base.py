"""The store contract every adapter implements (SQLite embedded, ArangoDB distributed).

Methods are synchronous and thread-safe; the service layer calls them off the event loop through
barker.gateway. Each write method is atomic: it either applies completely or raises and changes nothing.
Errors are the driver-neutral ones in barker.errors.

Views (BarkView, UserView) are plain JSON-ready dicts in the shape of the API models in barker.models,
rendered by the store itself so a timeline page is one round trip in either engine. The hottest reads (home
and public timelines) go further: they check the caller's token and render the whole response body in one
query, returned as RawJson, because on a busy server every extra statement costs a thread hand-over.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from barker.geo import Cell

# The rules every adapter applies (limits, thresholds, who may do what) are in barker/policies.py.

# A file whose deletion was announced (Store.expire_media) but not confirmed this long after is announced
# again: the process deleting it died half-way.
MEDIA_DELETE_RETRY_MS = 60_000

BarkView = dict[str, Any]
UserView = dict[str, Any]
JobKind = Literal["fanout", "backfill"]


@dataclass(frozen=True)
class NewUser:
    id: int
    handle: str
    handle_canon: str
    display_name: str
    bio: str
    password_hash: str


@dataclass(frozen=True)
class Credentials:
    user_id: int
    password_hash: str


@dataclass(frozen=True)
class Job:
    """A queued side effect (the outbox). `cursor` records progress so a crash resumes, never restarts."""

    id: int
    kind: JobKind
    bark: int  # fanout: the bark to copy; backfill: 0
    author: int  # fanout: the bark's author; backfill: the followee whose barks are copied
    target: int  # backfill: the new follower; fanout: 0
    cursor: int


@dataclass(frozen=True)
class FanoutProgress:
    rows_written: int
    done: bool
    owners: tuple[int, ...] = ()  # whose streams advanced (to wake their sockets)


@dataclass(frozen=True)
class CompactionSlice:
    moved: int
    last_owner: int | None  # resume the pass after this owner; None: nothing is left past where it began


@dataclass(frozen=True)
class StreamEvents:
    """A slice of one user's stream, oldest first, rendered as the API renders each item."""

    events: list[dict[str, Any]]  # {"seq": n, "type": "bark" | "reaction" | "follower", ...}
    last_seq: int  # cursor after this slice (past any entries whose subject has since gone)
    gap: bool  # entries after the requested cursor were trimmed away: reload over REST
    more: bool = False  # the slice stopped at the limit: entries may follow last_seq


def bark_event(seq: int, view: BarkView) -> dict[str, Any]:
    """A stream entry of kind bark, as an event (both stores render it this way)."""
    return {"seq": seq, "type": "bark", "bark": view, "live_only": False}


@dataclass(frozen=True)
class Suggestion:
    user_id: int
    mutuals: int  # people the user follows who follow this one
    paths: int  # follow paths of length three from the user to this one (depth 3; else 0)
    followed_by: list[int]  # a few of those mutuals, most-followed first


@dataclass(frozen=True, slots=True)
class StoredLocation:
    """A user's shared location as stored: the cell (never an exact point) and who may find them."""

    cell: Cell
    visibility: str


@dataclass(frozen=True)
class SessionKey:
    """A bearer token as the store checks it: its digest, and the time its expiry is compared with."""

    digest: bytes
    now_ms: int


@dataclass(frozen=True, slots=True)
class RawJson:
    """A complete JSON response body rendered by the store, passed to the client unparsed."""

    body: bytes


@dataclass(frozen=True)
class HomeStream:
    """What a home-timeline page needs from the reader's own stream, fetched in one round trip."""

    floor: int  # the stream holds every home bark with id >= floor; older ones may be missing
    bark_ids: list[int]  # newest first, existing barks only
    celebrities: list[int]  # followed authors whose barks skipped fan-out (merged at read time)


MediaPurpose = Literal["post", "avatar"]
MediaState = Literal["new", "used", "released"]


@dataclass(frozen=True)
class NewMedia:
    """An upload's metadata (its files are written by the caller: barker/media/storage.py)."""

    id: int
    owner: int
    purpose: MediaPurpose
    created_ms: int
    view: dict[str, Any]  # the API's Media object, rendered into every bark it is attached to
    keys: tuple[str, ...]  # storage keys of its files, distinct


@dataclass(frozen=True)
class MediaRecord:
    id: int
    owner: int
    purpose: MediaPurpose
    state: MediaState  # new: not attached yet (expires); used: on a bark or the avatar; released: to delete
    created_ms: int
    bark: int | None
    view: dict[str, Any]
    keys: tuple[str, ...]


@dataclass(frozen=True)
class MediaSweep:
    removed: int  # media records deleted
    keys: list[str]  # files no record refers to any more: delete them, then call media_files_deleted


@dataclass(frozen=True)
class PostedBark:
    id: int
    fanned_out: bool  # False when the author is above the threshold (merged at read time)


@dataclass(frozen=True, slots=True)
class RateCounter:
    """At most `limit` requests counted under `key` in each fixed window of `window_ms` (windows start at
    multiples of window_ms since the epoch, so every process agrees on them)."""

    key: str
    window_ms: int
    limit: int

    def window_end(self, now_ms: int) -> int:
        """When the window holding now_ms ends (ms since the epoch). Stores keep it with the count: it names
        the window, and says by itself when the counter is dead, whatever the window's length."""
        return window_end(now_ms, self.window_ms)


def window_end(now_ms: int, window_ms: int) -> int:
    return (now_ms // window_ms + 1) * window_ms


@dataclass(frozen=True, slots=True)
class RateTake:
    allowed: bool
    counts: list[int]  # per counter, in the current window: after this request if allowed, else so far


class Store(Protocol):
    # -- lifecycle ---------------------------------------------------------------------------------
    def close(self) -> None: ...
    def ping(self) -> None:
        """Raise StoreUnavailable unless the store answers a trivial query."""

    # Whether barker.writer may group request writes into one bulk() transaction: true where a nested
    # call rolls back alone (SQLite savepoints) and a commit is the expensive part; false on ArangoDB.
    group_commit: bool

    def bulk(self) -> AbstractContextManager[None]:
        """Group writes from this thread into one transaction (group commit, seeding). Nested calls join
        it; reads inside the block see the block's writes. A nested call that raises rolls back alone on
        SQLite (a savepoint); on ArangoDB (no savepoints) only if it wrote nothing before raising, else
        the whole block is rolled back and its end raises StoreUnavailable (see group_commit)."""

    def checkpoint(self) -> None:
        """Engine housekeeping that may take a while; call it periodically, never on the writer thread
        (SQLite: copy committed WAL pages into the database file, so commits never have to)."""

    def claim_node(self, holder: str, now_ms: int, ttl_ms: int) -> int:
        """Lease the lowest free id-generator node number; raise Conflict when all are leased."""

    def renew_node(self, node: int, holder: str, now_ms: int, ttl_ms: int) -> bool:
        """Extend a lease; False if it was lost (expired and taken by another holder)."""

    # -- accounts and tokens -----------------------------------------------------------------------
    def create_user(self, user: NewUser) -> None:
        """Raise Conflict if the canonical handle is taken."""

    def credentials(self, handle_canon: str) -> Credentials | None: ...
    def password_hash(self, user_id: int) -> str | None: ...
    def user_id_by_handle(self, handle_canon: str) -> int | None: ...
    def user_view(self, user_id: int, viewer: int | None) -> UserView | None:
        """Profile with counts; `following`/`followed_by` flags relative to the viewer."""

    def update_profile(self, user_id: int, display_name: str | None, bio: str | None) -> None: ...
    def set_password_hash(self, user_id: int, password_hash: str) -> None: ...
    def create_token(self, digest: bytes, user_id: int, expires_ms: int) -> None: ...
    def token_user(self, digest: bytes, now_ms: int) -> int | None:
        """The user a token belongs to, or None if unknown, revoked or expired."""

    def revoke_token(self, digest: bytes) -> None: ...
    def revoke_user_tokens(self, user_id: int, keep: bytes | None) -> int:
        """Revoke every token of the user except `keep`; return how many were revoked."""

    # -- barks -------------------------------------------------------------------------------------
    def post_bark(self, bark_id: int, author: int, text: str | None, rebark_of: int | None,
                  fanout_threshold: int, job_id: int, media: Sequence[int] = ()) -> PostedBark:
        """Write the bark, the author's own stream entry and (below the threshold) a fan-out job, in one
        transaction. For a rebark (`text` None), raise Conflict if the author already rebarked it.
        `media`: ids of the author's uploads to attach, in order (at most MAX_MEDIA_PER_BARK, distinct,
        purpose "post"), rendered into the bark's `media`. Raises, writing nothing: NotFound
        (code media_not_found) for one that is unknown, expired or not the author's; Conflict (media_in_use)
        for one already attached; Invalid (too_many_media, duplicate_media, wrong_media_purpose)."""

    def bark_author(self, bark_id: int) -> tuple[int, int | None] | None:
        """(author, rebark_of) of a bark, or None."""

    def rebark_id(self, author: int, original: int) -> int | None: ...
    def delete_bark(self, bark_id: int) -> None:
        """Delete the bark with its rebarks and reactions; NotFound if absent. Its media are released
        (their files deleted by the next expire_media)."""

    def add_reaction(self, bark_id: int, user_id: int, emoji: str, reaction_id: int) -> bool:
        """Idempotent; True if added now. NotFound if the bark does not exist."""

    def remove_reaction(self, bark_id: int, user_id: int, emoji: str) -> bool: ...
    def bark_views(self, bark_ids: Sequence[int], viewer: int | None) -> list[BarkView]:
        """Rendered barks for the ids that exist, newest first."""

    def user_bark_ids(self, author: int, before: int | None, limit: int) -> list[int]: ...
    def public_bark_ids(self, before: int | None, limit: int) -> list[int]: ...

    # -- media -------------------------------------------------------------------------------------
    def create_media(self, media: NewMedia) -> None:
        """Record an upload and count a reference to each of its files. Raises Conflict (code media_busy)
        when one of its files is being deleted right now (after a sweep announced it and before
        media_files_deleted): retry shortly, and write the files after this returns."""

    def media(self, media_id: int) -> MediaRecord | None: ...

    def set_avatar(self, user_id: int, media_id: int) -> None:
        """Make one of the user's avatar uploads their avatar (idempotent); the previous one is released.
        NotFound (media_not_found) for one unknown, expired or not theirs; Invalid (wrong_media_purpose)
        for a post upload; Conflict (media_in_use) for one used elsewhere."""

    def clear_avatar(self, user_id: int) -> bool:
        """Remove the avatar (releasing it); False if there was none."""

    def expire_media(self, unattached_before_ms: int, now_ms: int, limit: int) -> MediaSweep:
        """Delete up to `limit` media records that are released, or still unattached and created before
        `unattached_before_ms`, and drop their file references. Returns the keys of files that no record
        refers to any more (marked as being deleted since `now_ms`, so create_media waits for them), plus
        those announced more than MEDIA_DELETE_RETRY_MS ago and never confirmed."""

    def media_files_deleted(self, keys: Sequence[str]) -> None:
        """The files were deleted: forget them (a key referenced again meanwhile is kept)."""

    # -- follow graph ------------------------------------------------------------------------------
    def follow(self, follower: int, followee: int, edge_id: int, job_id: int) -> bool:
        """Idempotent; True if the edge is new. Writes the followee's `follow` stream event and a
        backfill job (so the followee's recent barks join the follower's home stream), and puts the
        followee's barks the follower's stream carried before (tombstoned by an unfollow) back at their
        places, under their old seqs: a bark has one place in a stream, so no reader is sent it twice."""

    def unfollow(self, follower: int, followee: int) -> bool:
        """Idempotent; also hides the followee's barks in the follower's stream (tombstones, kept at their
        places for a follow again)."""
    def follower_page(self, user_id: int, before: int | None, limit: int,
                      viewer: int | None) -> list[tuple[int, UserView]]:
        """(edge id, follower view), most recent follow first; the edge id is the page cursor."""

    def following_page(self, user_id: int, before: int | None, limit: int,
                       viewer: int | None) -> list[tuple[int, UserView]]: ...

    # -- home timelines: per-user streams, hybrid merge, fallback ------------------------------------
    def home_page(self, session: SessionKey, before: int | None, limit: int) -> RawJson:
        """The caller's home timeline page as the API's BarkPage JSON, in one query: barks and rebarks by
        them and everyone they follow, newest first, below `before`. Three sources, merged:
        1. the caller's stream, filled by fan-out on write (the common case: one index range scan);
        2. barks of followed authors above the fan-out threshold, never copied (the hybrid rule);
        3. below the stream's floor (left by trimming or a large backfill), the newest barks of followed
           authors, so a timeline is never wrongly empty however far back one pages.
        Raises Unauthorized for an unknown, revoked or expired token."""

    def public_page(self, session: SessionKey, before: int | None, limit: int) -> RawJson:
        """Everyone's barks, newest first, as BarkPage JSON; raises Unauthorized like home_page."""

    def home_stream(self, owner: int, before: int | None, limit: int) -> HomeStream:
        """The owner's stream page (bark ids below `before`), floor and followed celebrities."""

    def trim_stream(self, owner: int, keep: int) -> int:
        """Drop all but the newest `keep` entries and raise the floor past the barks dropped, tombstoned
        ones included (so a follow again's backfill never copies one anew)."""

    def stream_events(self, owner: int, after: int | None, limit: int) -> StreamEvents:
        """Entries with seq > `after`, oldest first, at most `limit`. `after=None` means "from now": no
        events, and last_seq is the newest seq. An entry whose bark or reaction was deleted is skipped."""

    def stream_newest_cursor(self, owner: int, count: int) -> int:
        """The cursor the owner's newest `count` (>= 1) entries come after: stream_events(owner, it, count)
        reads them. Just below the count-th newest entry's seq; with fewer entries, how far the stream was
        trimmed (0 if never). Seqs jump, so this is never "the newest seq minus count"."""

    def stream_events_many(self, requests: Sequence[tuple[int, int]], limit: int) -> list[StreamEvents]:
        """stream_events(owner, after, limit) for each (owner, after), in order, from one snapshot where the
        engine allows: what the stream hub reads for all the sockets one wake-up touches. Views of the same
        bark may be one shared object: read them, don't mutate them."""

    def stream_head(self, owner: int) -> int:
        """The newest seq in the owner's stream (0 if it never had one)."""

    def uncompacted_stream_rows(self) -> int:
        """Stream entries not yet in the engine's read-optimised layout (0 if it has no such stage)."""

    def compact_streams(self, max_rows: int, after_owner: int = 0) -> CompactionSlice:
        """Move about `max_rows` entries of the owners with ids above `after_owner` into the read-optimised
        layout, whole owners at a time, lowest ids first. A pass over all owners is a series of calls, each
        resuming after the last owner of the one before, until `last_owner` comes back None. Reads see the
        same streams before and after. Engine housekeeping, like checkpoint(): SQLite appends to a small
        fresh tier because that is what makes fan-out cheap (see barker/store/sqlite_streams.py); an engine
        without such a stage moves nothing."""

    def online_followers(self, author: int, candidates: Sequence[int]) -> list[int]:
        """Which of `candidates` follow `author` (live delivery of a bark that was not copied)."""

    # -- discovery ---------------------------------------------------------------------------------
    def set_location(self, user_id: int, cell: Cell, visibility: str | None, now_ms: int) -> StoredLocation:
        """Store the user's cell (already snapped by barker.geo.snap: a store never sees an exact point),
        replacing any; `visibility` None keeps the user's current setting (the default on a first share)."""

    def set_nearby_visibility(self, user_id: int, visibility: str) -> StoredLocation:
        """Change who may find the user; the location is kept. Conflict(code="location_required") if none."""

    def clear_location(self, user_id: int) -> bool:
        """Forget the user's location and visibility setting; False if there was none."""

    def location(self, user_id: int) -> StoredLocation | None: ...
    def nearest_users(self, user_id: int, k: int, max_km: int) -> list[tuple[int, float]]:
        """The first k, in (rounded_km, id) order, of the located users that barker.discoverability.may_find
        lets this user find, whose rounded distance is at most max_km: (user id, great-circle km between
        the two cell centres). Excludes the user. Exact over cell centres at any latitude and across the
        antimeridian; a store must not cut at k by exact distance: it reads through the end of the k-th
        user's rounded bucket. Raises Conflict(code="location_required") if the user has none."""

    def user_views(self, user_ids: Sequence[int], viewer: int | None) -> list[UserView]:
        """Views of these users, in the given order (unknown ids skipped)."""

    def suggestions(self, user_id: int, depth: int, limit: int) -> list[Suggestion]:
        """People 2 (depth 2) or 2-3 (depth 3) follow-hops away, excluding the user, whoever they follow
        and dismissed suggestions. Ranked by mutuals (how many people the user follows follow them), then
        by three-hop paths (depth 3), then fewer followers, then id."""

    def dismiss_suggestion(self, user_id: int, target: int) -> None: ...

    def search_users(self, handle_prefix: str, words: Sequence[str], after: tuple[int, int],
                     limit: int) -> list[tuple[int, int]]:
        """(tier, user id) of users matching, in (tier, id) order after the cursor `after`: tier 0 handle
        starts with handle_prefix, tier 1 display name has words starting with every word, tier 2 bio
        has every word. Each user once, at their best tier."""

    def hit_rate_limit(self, key: str, window_ms: int, now_ms: int) -> int:
        """Count one request against `key` in the current fixed window; returns the count so far."""

    def take_rate_limits(self, counters: Sequence[RateCounter], now_ms: int) -> RateTake:
        """Count one request against every counter (distinct keys) in its current window, all or nothing:
        if any counter already holds its limit, nothing is counted and the answer is not allowed, with the
        counts so far (for a full counter, at least its limit). A refusal leaves the store as it was
        (ArangoDB: writes nothing, since a call that raises after writing dooms its whole group
        transaction)."""

    def purge_rate_limits(self, now_ms: int, limit: int) -> int:
        """Delete at most `limit` counters whose window ended at or before now_ms (they count nothing any
        more: a request in a later window starts its counter afresh); returns how many went."""

    # -- the outbox --------------------------------------------------------------------------------
    def next_jobs(self, limit: int) -> list[Job]: ...
    def run_fanout_batch(self, job: Job, batch_size: int) -> FanoutProgress:
        """Copy the next batch of the job into streams (idempotently) and record progress atomically;
        on the last batch, delete the job."""

    def pending_jobs(self) -> int: ...

