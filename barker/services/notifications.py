"""Your notifications: the history (reactions to your barks, rebarks of them, replies to them, mentions of
you, new followers), newest first, and the read marker with the unread count. They are written with their
causes by the store; the stream carries the same events live (docs/stream.md)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from barker.gateway import StoreGateway
from barker.ports.accounts import Tokens
from barker.ports.notifications import Notifications, ReadMarker
from barker.services import Page, authenticate


class NotificationStore(Notifications, Tokens, Protocol):
    """What the notification service uses of the store: notifications, and the tokens of their owners."""


async def page(gw: StoreGateway, token: str | None, before: int | None, types: Sequence[str] | None,
               limit: int) -> Page:
    """A page of the caller's notifications, of `types` only (None or empty: all; validated by the
    caller against policies.NOTIFICATION_TYPES)."""
    wanted = sorted(set(types)) if types else None

    def read(store: NotificationStore) -> Page:
        items = store.notification_page(authenticate(store, token), before, limit, wanted)
        return Page.of(items, [item["id"] for item in items], limit)

    return await gw.read(read, gw.store)


def _marker(marker: ReadMarker) -> dict[str, Any]:
    return {"last_read_id": marker.last_read_id, "unread_count": marker.unread_count}


async def mark_read(gw: StoreGateway, token: str | None, up_to: int) -> dict[str, Any]:
    """Move the caller's read marker up to `up_to` (never back; clamped to their newest notification)."""

    def write(store: NotificationStore) -> ReadMarker:
        return store.mark_notifications_read(authenticate(store, token), up_to)

    return _marker(await gw.write(write, gw.store))


async def unread(gw: StoreGateway, token: str | None) -> dict[str, Any]:
    def read(store: NotificationStore) -> ReadMarker:
        return store.notifications_unread(authenticate(store, token))

    return _marker(await gw.read(read, gw.store))
