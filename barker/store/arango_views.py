"""Rows from the ArangoDB store's queries, shaped exactly as the SQLite store renders them (the API's Bark
and User objects, the stream events). AQL arithmetic yields doubles, so every count and id is made an int
here: a counter raised in a query must not reach a client as 3.0."""

from __future__ import annotations

from typing import Any

from barker.ids import iso
from barker.ports.types import BarkView, UserView


def media_view(view: dict[str, Any]) -> dict[str, Any]:
    """A stored Media object (barks carry them) with its numbers as ints; one stored before descriptions
    existed has none."""
    return {"id": int(view["id"]), "width": int(view["width"]), "height": int(view["height"]),
            "animated": bool(view["animated"]), "url": view["url"], "thumbnail_url": view["thumbnail_url"],
            "original_url": view["original_url"], "description": view.get("description")}


def user_view(row: dict[str, Any]) -> UserView:
    return {"id": int(row["id"]), "handle": row["handle"], "display_name": row["display_name"],
            "avatar_url": row.get("avatar_url"), "avatar_thumbnail_url": row.get("avatar_thumbnail_url"),
            "bio": row["bio"],
            "created_at": row["created_at"], "followers_count": int(row["followers_count"]),
            "following_count": int(row["following_count"]), "barks_count": int(row["barks_count"]),
            "following": bool(row["following"]), "followed_by": bool(row["followed_by"]),
            "blocking": bool(row["blocking"]), "blocked_by": bool(row["blocked_by"]), "muting": bool(row["muting"])}


def author_view(row: dict[str, Any]) -> dict[str, Any]:
    return {"id": int(row["id"]), "handle": row["handle"], "display_name": row["display_name"],
            "avatar_url": row.get("avatar_url"), "avatar_thumbnail_url": row.get("avatar_thumbnail_url")}


# The numbers of an Entity object (the rest are strings: handle, tag, url).
_ENTITY_NUMBERS = ("start", "end", "user_id")


def entity_view(entity: dict[str, Any]) -> dict[str, Any]:
    """A stored Entity object (barks carry them as given) with its numbers as ints."""
    return {name: int(value) if name in _ENTITY_NUMBERS else value for name, value in entity.items()}


def reply_to_view(reply_to: dict[str, Any] | None) -> dict[str, Any] | None:
    """The ReplyTo object: the bark answered, with its author while it exists (None once deleted)."""
    if reply_to is None:
        return None
    author = reply_to.get("author")
    return {"id": int(reply_to["id"]), "author": author_view(author) if author else None}


def _bark(row: dict[str, Any], original: BarkView | None) -> BarkView:
    return {"id": int(row["id"]), "created_at": row["created_at"], "author": author_view(row["author"]),
            "text": row["text"], "media": [media_view(m) for m in row.get("media") or []],
            "reactions": {emoji: int(n) for emoji, n in (row["reactions"] or {}).items()},
            # SQLite lists them in index order, which is code-point order (UTF-8 bytes compare the same way)
            "my_reactions": sorted(row["my_reactions"]), "rebark_count": int(row["rebark_count"]),
            "rebarked_by_me": bool(row["rebarked_by_me"]), "rebark_of": original,
            "reply_to": reply_to_view(row.get("reply_to")), "reply_count": int(row.get("reply_count") or 0),
            "mentions": [author_view(m) for m in row.get("mentions") or []], "tags": list(row.get("tags") or []),
            "entities": [entity_view(e) for e in row.get("entities") or []],
            "bookmarked": bool(row.get("bookmarked"))}


def bark_view(row: dict[str, Any]) -> BarkView:
    """A row of bark_views.aql: {bark, original} (original null unless a rebark)."""
    original = row.get("original")
    return _bark(row["bark"], _bark(original, None) if original else None)


def notification_event(seq: int, kind: str, ref: int, fields: dict[str, Any]) -> dict[str, Any]:
    """A notification's stream event, as the SQLite store renders it: seq, type, its own fields, then the
    notification's id (the stream entry's ref) and time (the id's)."""
    return {"seq": seq, "type": kind, **fields, "notification_id": int(ref), "created_at": iso(int(ref))}


def reaction_event(seq: int, ref: int, reaction: dict[str, Any], user: UserView) -> dict[str, Any]:
    return notification_event(seq, "reaction", ref, {"bark_id": int(reaction["bark"]), "emoji": reaction["emoji"],
                                                     "user": author_view(user)})


def follower_event(seq: int, ref: int, user: UserView) -> dict[str, Any]:
    return notification_event(seq, "follower", ref, {"user": user})


def rebark_event(seq: int, ref: int, rebark: dict[str, Any], user: UserView) -> dict[str, Any]:
    """`rebark`: the owner's bark that was rebarked, and the rebarker."""
    return notification_event(seq, "rebark", ref, {"bark_id": int(rebark["bark"]), "user": author_view(user)})


def bark_notification_event(seq: int, kind: str, ref: int, bark: BarkView) -> dict[str, Any]:
    """A `reply` or `mention`: the reply or mentioning bark, as the owner sees it."""
    return notification_event(seq, kind, ref, {"bark": bark})
