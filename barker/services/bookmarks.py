"""Bookmarks: private, so only their owner's bark views show them and nothing counts them."""

from __future__ import annotations

from typing import Any, Protocol

from barker.errors import NotFound
from barker.gateway import StoreGateway
from barker.ids import now_ms
from barker.ports.accounts import Tokens
from barker.ports.barks import Barks
from barker.ports.bookmarks import Bookmarks
from barker.ports.rate_limits import RateLimits
from barker.rate_limits import Budget, charge, per_user_writes
from barker.services import Page, authenticate


class BookmarkStore(Bookmarks, Barks, Tokens, RateLimits, Protocol):
    """What this service uses of the store: bookmarks, bark views, who is asking, limits."""


async def bookmark(gw: StoreGateway, token: str | None, bark_id: int) -> tuple[dict[str, Any], Budget | None]:
    """Bookmark a bark (a rebark: its original), idempotent; returns the bark bookmarked and what is left of
    the caller's bookmark budget (a repeated bookmark counts too)."""

    def add(store: BookmarkStore) -> tuple[dict[str, Any], Budget | None]:
        user_id = authenticate(store, token)
        budget = charge(store, per_user_writes(gw.settings, "bookmarks", user_id), now_ms())
        if not store.bark_views([bark_id], user_id):  # a bark the caller does not see: as if there were none
            raise NotFound("no such bark")
        original = store.add_bookmark(user_id, bark_id, gw.ids.next())
        views = store.bark_views([original], user_id)
        if not views:
            raise NotFound("no such bark")
        return views[0], budget

    return await gw.write(add, gw.store)


async def unbookmark(gw: StoreGateway, token: str | None, bark_id: int) -> None:
    """Remove a bookmark, idempotent (a bark deleted since has lost its bookmarks already)."""

    def remove(store: BookmarkStore) -> None:
        store.remove_bookmark(authenticate(store, token), bark_id)

    await gw.write(remove, gw.store)


async def my_bookmarks(gw: StoreGateway, token: str | None, before: int | None, limit: int) -> Page:
    """The caller's bookmarks, newest bookmarked first; next_before is a bookmark id."""

    def page(store: BookmarkStore) -> Page:
        user_id = authenticate(store, token)
        marks = store.bookmark_page(user_id, before, limit)
        views = {view["id"]: view for view in store.bark_views([bark for _, bark in marks], user_id)}
        # bark_views orders by bark id; a page is in bookmark order. (A bookmark's bark always exists: deleting
        # a bark deletes its bookmarks in the same transaction; and the page holds none the caller does not see.)
        items = [views[bark] for _, bark in marks if bark in views]
        return Page.of(items, [cursor for cursor, _ in marks], limit)

    return await gw.read(page, gw.store)
