"""List models for QML: rows are dicts, one role per key. Bark rows flatten a rebark onto what it
rebarks (who rebarked it is a field), so a delegate shows one shape."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import (
    Property,
    QAbstractListModel,
    QByteArray,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
    Slot,
)

from client_qt.formatting import followed_by_text, radar_angle, relative_time
from client_qt.rich_text import link_target, rich_html

Row = dict[str, Any]
Index = QModelIndex | QPersistentModelIndex


class RowModel(QAbstractListModel):
    countChanged = Signal()
    ROLES: tuple[str, ...] = ()

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[Row] = []
        self._role_of = {name: Qt.ItemDataRole.UserRole + i for i, name in enumerate(self.ROLES)}

    def roleNames(self) -> dict[int, QByteArray]:
        return {role: QByteArray(name.encode()) for name, role in self._role_of.items()}

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        name = self.ROLES[role - Qt.ItemDataRole.UserRole] if role >= Qt.ItemDataRole.UserRole else None
        return self.rows[index.row()].get(name) if name else None

    def _get_count(self) -> int:
        return len(self.rows)

    count = Property(int, _get_count, notify=countChanged)

    @Slot(int, result="QVariantMap")
    def get(self, i: int) -> Row:
        return self.rows[i] if 0 <= i < len(self.rows) else {}

    def reset(self, rows: Iterable[Row]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()
        self.countChanged.emit()

    def insert(self, i: int, row: Row) -> None:
        self.beginInsertRows(QModelIndex(), i, i)
        self.rows.insert(i, row)
        self.endInsertRows()
        self.countChanged.emit()

    def extend(self, rows: list[Row]) -> None:
        if rows:
            self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(rows) - 1)
            self.rows.extend(rows)
            self.endInsertRows()
            self.countChanged.emit()

    def remove_where(self, test: Callable[[Row], bool]) -> None:
        for i in reversed(range(len(self.rows))):
            if test(self.rows[i]):
                self.beginRemoveRows(QModelIndex(), i, i)
                del self.rows[i]
                self.endRemoveRows()
                self.countChanged.emit()

    def update_where(self, test: Callable[[Row], bool], change: Callable[[Row], Row]) -> None:
        for i, row in enumerate(self.rows):
            if test(row):
                self.rows[i] = {**row, **change(row)}
                self.dataChanged.emit(self.index(i), self.index(i))

    def find(self, test: Callable[[Row], bool]) -> int:
        return next((i for i, row in enumerate(self.rows) if test(row)), -1)

    def refresh_role(self, name: str, value_of: Callable[[Row], Any]) -> None:
        """Recompute one field of every row (the relative times, as the clock moves)."""
        if self.rows:
            for row in self.rows:
                row[name] = value_of(row)
            self.dataChanged.emit(self.index(0), self.index(len(self.rows) - 1), [self._role_of[name]])

    def tick(self) -> None:
        """Relative times move on with the clock."""
        if "relTime" in self._role_of:
            now = datetime.now(UTC)
            self.refresh_role("relTime", lambda r: relative_time(r["createdAt"], now) if r["createdAt"] else "")


def bark_counts(bark: dict[str, Any]) -> Row:
    """The fields of a bark that change after it is written: reactions and rebarks (as the caller sees them)."""
    mine = set(bark["my_reactions"])
    reactions = [{"emoji": e, "count": n, "mine": e in mine} for e, n in sorted(bark["reactions"].items(),
                                                                               key=lambda kv: (-kv[1], kv[0]))]
    return {"reactions": reactions, "rebarkCount": bark["rebark_count"], "rebarkedByMe": bark["rebarked_by_me"],
            "replyCount": bark["reply_count"], "bookmarked": bark["bookmarked"]}


def media_items(bark: dict[str, Any]) -> list[Row]:
    """A bark's images, in order: URLs as the API gives them (paths on its origin; QML resolves them), and
    each one's description (alt text: plain user text, "" for none)."""
    return [{"id": m["id"], "url": m["url"], "thumbnailUrl": m["thumbnail_url"], "width": m["width"],
             "height": m["height"], "animated": m["animated"], "description": m.get("description") or ""}
            for m in bark.get("media") or []]


def avatar(user: dict[str, Any]) -> str:
    """The small avatar of a user or author, "" for none (then the initial-letter badge shows)."""
    return user.get("avatar_thumbnail_url") or ""


def bark_row(bark: dict[str, Any], now: datetime | None = None, depth: int = 0, focused: bool = False) -> Row:
    """A bark (or a rebark, flattened onto what it rebarks) as a row; `depth` and `focused` place it in a
    thread (0 and False elsewhere)."""
    shown = bark["rebark_of"] or bark
    rebarker = bark["author"] if bark["rebark_of"] else None
    text, entities = shown["text"] or "", shown["entities"] or []
    parent = shown["reply_to"] or {}
    return {"rowId": bark["id"], "barkId": shown["id"], "handle": shown["author"]["handle"],
            "displayName": shown["author"]["display_name"], "avatarUrl": avatar(shown["author"]),
            "text": text, "html": rich_html(text, entities), "linkTargets": [link_target(e) for e in entities],
            "media": media_items(shown), "createdAt": shown["created_at"],
            "relTime": relative_time(shown["created_at"], now),
            "rebarkedBy": rebarker["display_name"] if rebarker else "",
            "rebarkedByHandle": rebarker["handle"] if rebarker else "",
            "replyToHandle": (parent.get("author") or {}).get("handle", "") if parent else "",
            "isReply": bool(parent), "depth": depth, "deleted": False, "focused": focused, **bark_counts(shown)}


def tombstone_row(bark_id: int, depth: int = 0) -> Row:
    """A deleted bark that keeps its place in a thread (replies still hang from it)."""
    return {"rowId": bark_id, "barkId": bark_id, "handle": "", "displayName": "", "avatarUrl": "", "text": "",
            "html": "", "linkTargets": [], "media": [], "createdAt": "", "relTime": "", "rebarkedBy": "",
            "rebarkedByHandle": "", "replyToHandle": "", "isReply": False, "depth": depth, "deleted": True,
            "focused": False, "reactions": [], "rebarkCount": 0, "rebarkedByMe": False, "replyCount": 0,
            "bookmarked": False}


class BarkModel(RowModel):
    """Newest first, each bark (or rebark) once, by id."""

    ROLES = ("rowId", "barkId", "handle", "displayName", "avatarUrl", "text", "html", "linkTargets", "media",
             "createdAt", "relTime", "rebarkedBy", "rebarkedByHandle", "replyToHandle", "isReply", "depth",
             "deleted", "focused", "reactions", "rebarkCount", "rebarkedByMe", "replyCount", "bookmarked")

    def ids(self) -> set[int]:
        return {row["rowId"] for row in self.rows}

    def add(self, bark: dict[str, Any]) -> None:
        """A bark from the stream or our own post: in id order, or refreshed if already here."""
        if self.find(lambda r: r["rowId"] == bark["id"]) >= 0:
            self.update_counts(bark["rebark_of"] or bark)
            return
        position = self.find(lambda r: r["rowId"] < bark["id"])
        self.insert(len(self.rows) if position < 0 else position, bark_row(bark))
        if bark["rebark_of"]:
            self.update_counts(bark["rebark_of"])

    def append_page(self, barks: list[dict[str, Any]]) -> None:
        have = self.ids()
        self.extend([bark_row(b) for b in barks if b["id"] not in have])

    def update_counts(self, bark: dict[str, Any]) -> None:
        """New counts for a bark, in every row that shows it (the bark itself and its rebarks)."""
        counts = bark_counts(bark)
        self.update_where(lambda r: r["barkId"] == bark["id"] and not r["deleted"], lambda r: counts)

    def hide_author(self, handle: str, keep_place: bool = False) -> None:
        """I blocked or muted someone: their barks, and rebarks of them, leave the list. In a thread
        (`keep_place`) their barks become tombstones instead, so the replies below still hang together."""
        key = handle.lower()
        if keep_place:
            self.update_where(lambda r: r["handle"].lower() == key and not r["deleted"],
                              lambda r: tombstone_row(r["rowId"], r["depth"]))
        else:
            self.remove_where(lambda r: key in (r["handle"].lower(), r["rebarkedByHandle"].lower()))

    def remove_unfollowed(self, handle: str) -> None:
        """I unfollowed someone: their barks and their rebarks leave my home. What someone I still follow (or
        I) rebarked of theirs stays."""
        key = handle.lower()
        self.remove_where(lambda r: r["rebarkedByHandle"].lower() == key
                          or (r["handle"].lower() == key and not r["rebarkedByHandle"]))

    def update_author(self, user: dict[str, Any]) -> None:
        """Someone as the server now describes them (I edited my profile, or theirs was loaded): every bark of
        theirs shows their name and picture as they are now, and every rebark of theirs their name."""
        fresh = {"displayName": user["display_name"], "avatarUrl": avatar(user)}
        self.update_where(lambda r: r["handle"] == user["handle"] and not r["deleted"]
                          and any(r[k] != v for k, v in fresh.items()), lambda r: fresh)
        self.update_where(lambda r: r["rebarkedByHandle"] == user["handle"] and r["rebarkedBy"] != user["display_name"],
                          lambda r: {"rebarkedBy": user["display_name"]})


def user_row(user: dict[str, Any], **extra: Any) -> Row:
    return {"handle": user["handle"], "displayName": user["display_name"], "avatarUrl": avatar(user),
            "bio": user["bio"],
            "following": user["following"], "followedBy": user["followed_by"],
            "followersCount": user["followers_count"], "followingCount": user["following_count"], **extra}


class UserModel(RowModel):
    """People: search results, suggestions (`note` = "followed by ...", `dismissed` while its Undo shows in its
    place), nearby (`distanceKm`, `angle`)."""

    ROLES = ("handle", "displayName", "avatarUrl", "bio", "following", "followedBy", "followersCount",
             "followingCount", "note", "distanceKm", "angle", "dismissed")

    def update_user(self, user: dict[str, Any]) -> None:
        """Follow state and counts changed (we followed or unfollowed them)."""
        fresh = user_row(user)
        self.update_where(lambda r: r["handle"] == user["handle"], lambda r: fresh)


def suggestion_row(item: dict[str, Any]) -> Row:
    return user_row(item["user"], note=followed_by_text(item["followed_by"], item["followed_by_others"]))


def nearby_row(item: dict[str, Any]) -> Row:
    user = item["user"]
    return user_row(user, distanceKm=item["distance_km"], angle=radar_angle(user["handle"]))


NOTIFICATION_KINDS = ("reaction", "rebark", "reply", "mention", "follow")


def notification_row(item: dict[str, Any], now: datetime | None = None) -> Row:
    """A notification as GET /v1/notifications gives it."""
    actor, bark = item["actor"], item["bark"] or {}
    return {"id": item["id"], "kind": item["type"], "handle": actor["handle"], "displayName": actor["display_name"],
            "avatarUrl": avatar(actor), "emoji": item.get("emoji") or "", "barkId": bark.get("id", 0),
            "barkText": bark.get("text") or "", "createdAt": item["created_at"],
            "relTime": relative_time(item["created_at"], now)}


class NotificationModel(RowModel):
    """Notifications, newest (highest id) first, each once (by id)."""

    ROLES = ("id", "kind", "handle", "displayName", "avatarUrl", "emoji", "barkId", "barkText", "createdAt",
             "relTime")

    def add(self, row: Row) -> bool:
        """In id order; False if it is already here."""
        if self.find(lambda r: r["id"] == row["id"]) >= 0:
            return False
        position = self.find(lambda r: r["id"] < row["id"])
        self.insert(len(self.rows) if position < 0 else position, row)
        return True

    def newest_id(self) -> int:
        return max((r["id"] for r in self.rows), default=0)

    def set_bark_text(self, bark_id: int, text: str) -> None:
        self.update_where(lambda r: r["barkId"] == bark_id, lambda r: {"barkText": text})
