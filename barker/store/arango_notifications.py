"""The ArangoDB store's notifications part: writing notifications with their stream entries (lent to the
barks and graph parts, inside their transactions), rendering the stream's notification events, the owner's
pages and the read marker. A base of ArangoStore (barker/store/arango.py); semantics are the SQLite store's
(barker/store/sqlite_notifications.py; who is notified of what: policies.bark_notifications, notifies).

Documents: `notifications` {owner, id, type, actor, bark}, sharded by owner (server-made _key), id = that of
the cause (reaction, rebark, reply or mentioning bark, follow edge), bark null for a follow. Indexes:
(owner, id) unique (pages of every type, the marker's count), (owner, type, id) (pages of some types),
bark and id (removed with a deleted bark).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from barker.ids import iso
from barker.policies import NOTIFICATION_TYPES
from barker.ports.notifications import NotificationView, ReadMarker
from barker.ports.types import BarkView, UserView
from barker.store.arango_base import NO_CURSOR, ArangoBase, transactional
from barker.store.arango_support import key
from barker.store.arango_views import bark_notification_event, follower_event, reaction_event, rebark_event

if TYPE_CHECKING:
    from barker.store.arango_safety import HiddenUsers

# Stream entry kinds that are notifications, and the event types they render as (a follow is `follower`).
BARK_NOTIFICATIONS = ("reply", "mention")  # their event carries the bark itself


class Notice(NamedTuple):
    """One notification to write: for `owner`, of `kind`, caused by `cause` (its id) by `actor`, about
    `bark` (None for a follow)."""

    owner: int
    kind: str
    cause: int
    actor: int
    bark: int | None


def moved_marker(current: int, up_to: int, newest: int | None) -> int:
    """Where the read marker goes when its owner marks up to `up_to`: forward only, and never past their
    newest notification (`newest`; None: they have none), as SQLite's MARK_READ."""
    return max(current, min(up_to, newest or 0))


def wanted_types(types: Sequence[str] | None) -> list[str] | None:
    """The notification types a page asks for, each once in policies order (None: all, no filter)."""
    return None if types is None else [kind for kind in NOTIFICATION_TYPES if kind in types]


class ArangoNotifications(ArangoBase):
    """Mixed into ArangoStore; see the Notifications protocol for each method's contract."""

    if TYPE_CHECKING:  # ArangoStore's, which this part is mixed into
        def _append(self, owner: int, kind: str, refs: Sequence[int], author: int) -> list[int]: ...

        def user_views(self, user_ids: Sequence[int], viewer: int | None) -> list[UserView]: ...

        def bark_views(self, bark_ids: Sequence[int], viewer: int | None) -> list[BarkView]: ...

        def hidden_users(self, viewer: int | None) -> HiddenUsers: ...

    # -- writing, inside the cause's transaction ---------------------------------------------------
    def _notify(self, notices: Sequence[Notice]) -> None:
        """Write these notifications (one query) and, for each, its owner's stream entry of the same kind
        (ref = the notification id), whose event the stream renders. Call after every check of the cause."""
        if not notices:
            return
        self._aql("notifications_insert", items=[
            {"owner": n.owner, "id": n.cause, "type": n.kind, "actor": n.actor, "bark": n.bark} for n in notices])
        for n in notices:
            self._append(n.owner, n.kind, [n.cause], n.actor)

    def _unnotify_reaction(self, owner: int, reaction_id: int) -> None:
        """Undoing a reaction: its notification goes (its stream entry stays, and renders as nothing)."""
        self._aql("remove_reaction_notification", owner=owner, id=reaction_id)

    # -- the stream's notification events ----------------------------------------------------------
    def _notification_events(self, owner: int, entries: Sequence[dict[str, Any]]) -> dict[int, dict[str, Any]]:
        """The events of the notification entries among `entries` (rows of stream_events.aql), rendered
        for their owner, by seq. One whose subject is gone (removed reaction, deleted bark) has none."""
        people: list[int] = []
        for e in entries:
            if e["kind"] == "follow":
                people.append(int(e["author"]))
            elif e["kind"] in ("reaction", "rebark") and e.get(e["kind"]):
                people.append(int(e[e["kind"]]["user"]))
        users = {v["id"]: v for v in self.user_views(list(dict.fromkeys(people)), owner)} if people else {}
        refs = [int(e["ref"]) for e in entries if e["kind"] in BARK_NOTIFICATIONS]
        barks = {v["id"]: v for v in self.bark_views(list(dict.fromkeys(refs)), owner)} if refs else {}
        events: dict[int, dict[str, Any]] = {}
        for e in entries:
            seq, kind, ref = int(e["seq"]), e["kind"], int(e["ref"])
            subject = e.get(kind) if kind in ("reaction", "rebark") else None
            if kind == "reaction" and subject and int(subject["user"]) in users:
                events[seq] = reaction_event(seq, ref, subject, users[int(subject["user"])])
            elif kind == "rebark" and subject and int(subject["user"]) in users:
                events[seq] = rebark_event(seq, ref, subject, users[int(subject["user"])])
            elif kind == "follow" and int(e["author"]) in users:
                events[seq] = follower_event(seq, ref, users[int(e["author"])])
            elif kind in BARK_NOTIFICATIONS and ref in barks:
                events[seq] = bark_notification_event(seq, kind, ref, barks[ref])
        return events

    # -- the history and the read marker -----------------------------------------------------------
    def notification_page(self, owner: int, before: int | None, limit: int,
                          types: Sequence[str] | None) -> list[NotificationView]:
        wanted = wanted_types(types)
        if wanted == []:  # asked only for types there are none of
            return []
        # Those whose actor is hidden from the owner are left out before the LIMIT.
        bounds = {"owner": owner, "before": before or NO_CURSOR, "n": limit, "hidden": self.hidden_users(owner).hidden}
        rows = (self._aql("notification_page", **bounds) if wanted is None
                else self._aql("notification_page_of_types", **bounds, types=wanted))
        actors = {v["id"]: v for v in self.user_views(list(dict.fromkeys(int(r["actor"]) for r in rows)), owner)}
        bark_ids = list(dict.fromkeys(int(r["bark"]) for r in rows if r["bark"] is not None))
        barks = {v["id"]: v for v in self.bark_views(bark_ids, owner)}
        items = [notification_view(row, actors, barks) for row in rows]
        items.sort(key=lambda item: item["id"], reverse=True)
        return items

    @transactional
    def mark_notifications_read(self, owner: int, up_to: int) -> ReadMarker:
        user = self._get("users", key(owner))
        if user is None:
            return ReadMarker(0, 0)
        current = int(user.get("notifications_read") or 0)
        newest = [int(i) for i in self._aql("notifications_newest", owner=owner)]
        moved = moved_marker(current, up_to, newest[0] if newest else None)
        if moved != current:  # a marker that stays puts no write (nor a write-write conflict) on the user
            self._update("users", {"_key": key(owner), "notifications_read": moved})
        return self.notifications_unread(owner)

    def notifications_unread(self, owner: int) -> ReadMarker:
        rows = self._aql("notifications_unread", owner=owner, hidden=self.hidden_users(owner).hidden)
        return ReadMarker(int(rows[0]["last_read_id"]), int(rows[0]["unread"] or 0)) if rows else ReadMarker(0, 0)


def notification_view(row: dict[str, Any], actors: dict[int, UserView],
                      barks: dict[int, BarkView]) -> NotificationView:
    """A row of notification_page(_of_types).aql as the API's Notification, its actor and bark rendered for
    the owner (a bark that is gone, or a follow's, is null), in the SQLite store's key order."""
    bark = row["bark"]
    return {"id": int(row["id"]), "type": row["type"], "actor": actors.get(int(row["actor"])),
            "bark": barks.get(int(bark)) if bark is not None else None,
            "emoji": row["emoji"] if row["type"] == "reaction" else None, "created_at": iso(int(row["id"]))}
