"""Home and public timelines.

Home = barks and rebarks by the owner and everyone they follow, newest first. Three sources, merged:
1. the owner's stream, filled by fan-out on write (the common, cheap case: one index range scan);
2. barks of followed authors above the fan-out threshold, which are never copied (the hybrid rule);
3. below the stream's floor (what trimming or a large backfill left incomplete), a direct query over
   followed authors, so a timeline is never wrongly empty however far back one pages.
"""

from __future__ import annotations

import heapq

from barker.gateway import StoreGateway
from barker.services import Page, authenticate
from barker.store.base import Store


def _merge(limit: int, *sources: list[int]) -> list[int]:
    merged: list[int] = []
    for bark_id in heapq.merge(*sources, reverse=True):
        if not merged or merged[-1] != bark_id:
            merged.append(bark_id)
            if len(merged) == limit:
                break
    return merged


def home_bark_ids(store: Store, owner: int, before: int | None, limit: int) -> list[int]:
    home = store.home_stream(owner, before, limit)
    floor = home.floor
    # Entries below the floor may have gaps around them: they are served by the fallback query instead.
    streamed = [i for i in home.bark_ids if i >= floor]
    sources = [streamed]
    if home.celebrities:
        sources.append(store.author_bark_ids(home.celebrities, before, limit))
    if floor > 0 and len(streamed) < limit:
        sources.append(store.followed_bark_ids(owner, floor if before is None else min(before, floor), limit))
    return _merge(limit, *sources) if len(sources) > 1 else streamed


async def home(gw: StoreGateway, token: str | None, before: int | None, limit: int) -> Page:
    def page(store: Store) -> Page:
        owner = authenticate(store, token)
        ids = home_bark_ids(store, owner, before, limit)
        return Page.of(store.bark_views(ids, owner), ids, limit)

    return await gw.read(page, gw.store)


async def public(gw: StoreGateway, token: str | None, before: int | None, limit: int) -> Page:
    def page(store: Store) -> Page:
        viewer = authenticate(store, token)
        ids = store.public_bark_ids(before, limit)
        return Page.of(store.bark_views(ids, viewer), ids, limit)

    return await gw.read(page, gw.store)
