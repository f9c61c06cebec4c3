"""The data the store contract passes in and out: plain frozen values, JSON-ready views, no behaviour of an
engine. Shared by every port (barker/ports/*.py), the adapters that implement them and the services."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from barker.geo import Cell

# The rules every adapter applies (limits, thresholds, who may do what) are in barker/policies.py.

# A file whose deletion was announced (Store.expire_media) but not confirmed this long after is announced
# again: the process deleting it died half-way.
MEDIA_DELETE_RETRY_MS = 60_000

BarkView = dict[str, Any]
UserView = dict[str, Any]
JobKind = Literal["fanout", "backfill", "departure"]


@dataclass(frozen=True)
class NewUser:
    id: int
    handle: str
    handle_canon: str
    display_name: str
    bio: str
    password_hash: str
    role: str = "user"  # barker.policies.ROLES
    state: str = "active"  # 'active', or 'pending' until a moderator approves it (registration mode approval)


@dataclass(frozen=True)
class Credentials:
    user_id: int
    password_hash: str
    state: str = "active"
    must_change_password: bool = False


@dataclass(frozen=True)
class Job:
    """A queued side effect (the outbox). `cursor` records progress so a crash resumes, never restarts."""

    id: int
    kind: JobKind
    bark: int  # fanout: the bark to copy; backfill, departure: 0
    author: int  # fanout: the bark's author; backfill: the followee whose barks are copied; departure: who leaves
    target: int  # backfill: the new follower; fanout, departure: 0
    cursor: int  # fanout: the last follower done; departure: the step reached (ports/departures.py STEPS)


@dataclass(frozen=True)
class FanoutProgress:
    rows_written: int
    done: bool
    owners: tuple[int, ...] = ()  # whose streams advanced (to wake their sockets)
    # Rows the slice removed or changed besides its appends (a departure's), counted against the same budget
    # as rows_written, but not as fresh stream rows for compaction.
    rows_touched: int = 0


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
class BarkContent:
    """What a new bark's text refers to: found by barker/text_entities.py, resolved by the bark service
    (mentions to user ids that exist), stored with the bark in the same transaction."""

    reply_to: int | None = None  # the bark replied to; a rebark there means its original (the store resolves)
    mentions: tuple[int, ...] = ()  # ids of the users mentioned, distinct, first-seen order (<= MAX_MENTIONS)
    tags: tuple[str, ...] = ()  # normalised tags (text_entities.Tag.tag), distinct, first-seen order
    entities: tuple[dict[str, Any], ...] = ()  # the API's Entity objects, rendered into the bark as given


NO_CONTENT = BarkContent()


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


@dataclass(frozen=True)
class ThreadView:
    """A bark in its conversation, rendered for a viewer (the API's Thread object)."""

    ancestors: list[BarkView]  # oldest first, up to the root (at most MAX_THREAD_ANCESTORS, the nearest)
    bark: BarkView
    descendants: list[BarkView]  # depth-first, each branch oldest first; each with its "depth"
    next_after: int | None  # pass as `after` for the next page of descendants; None: this was the last
