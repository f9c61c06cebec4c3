"""Profiles of others, follow and unfollow, follower and following lists."""

from __future__ import annotations

from typing import Any, Protocol

from barker.bus import streams_advanced
from barker.gateway import StoreGateway
from barker.ids import now_ms
from barker.policies import check_follow, check_interaction
from barker.ports.accounts import Accounts, Tokens
from barker.ports.graph import FollowGraph
from barker.ports.operators import AccountStates
from barker.ports.rate_limits import RateLimits
from barker.ports.safety import Safety
from barker.rate_limits import Budget, charge, per_user_writes
from barker.services import Page, authenticate, shown_user_id_for, user_id_for, user_view


class SocialStore(FollowGraph, Accounts, AccountStates, Tokens, RateLimits, Safety, Protocol):
    """What the social service uses of the store: the follow graph, profiles and whether others see them, who
    is asking, the follow limit, blocks."""


async def profile(gw: StoreGateway, token: str | None, handle: str) -> dict[str, Any]:
    def view(store: SocialStore) -> dict[str, Any]:
        viewer = authenticate(store, token)
        return user_view(store, shown_user_id_for(store, handle), viewer)

    return await gw.read(view, gw.store)


async def follow(gw: StoreGateway, token: str | None, handle: str) -> tuple[dict[str, Any], Budget | None]:
    """Follow (idempotent); returns the followed user's profile as the caller now sees it, and what is left
    of the caller's follow budget."""

    def add(store: SocialStore) -> tuple[dict[str, Any], bool, Budget | None]:
        me = authenticate(store, token)
        budget = charge(store, per_user_writes(gw.settings, "follows", me), now_ms())
        target = shown_user_id_for(store, handle)
        check_follow(me, target)  # the store checks it too; here it is refused before any store call
        check_interaction(store.relationship(me, target, now_ms()), "follow them")
        created = store.follow(me, target, gw.ids.next(), gw.ids.next())
        return user_view(store, target, me), created, budget

    view, created, budget = await gw.write(add, gw.store)
    if created:
        gw.jobs_queued()  # the backfill of their barks into my stream
        gw.announce(streams_advanced([view["id"]]))  # the "new follower" event in their stream
    return view, budget


async def unfollow(gw: StoreGateway, token: str | None, handle: str) -> dict[str, Any]:
    def remove(store: SocialStore) -> dict[str, Any]:
        me = authenticate(store, token)
        target = user_id_for(store, handle)
        store.unfollow(me, target)
        return user_view(store, target, me)

    return await gw.write(remove, gw.store)


async def followers(gw: StoreGateway, token: str | None, handle: str, before: int | None,
                    limit: int) -> Page:
    return await _edge_page(gw, token, handle, before, limit, incoming=True)


async def following(gw: StoreGateway, token: str | None, handle: str, before: int | None,
                    limit: int) -> Page:
    return await _edge_page(gw, token, handle, before, limit, incoming=False)


async def _edge_page(gw: StoreGateway, token: str | None, handle: str, before: int | None, limit: int, *,
                     incoming: bool) -> Page:
    def page(store: SocialStore) -> Page:
        viewer = authenticate(store, token)
        fetch = store.follower_page if incoming else store.following_page
        rows = fetch(shown_user_id_for(store, handle), before, limit, viewer)
        return Page.of([view for _, view in rows], [cursor for cursor, _ in rows], limit)

    return await gw.read(page, gw.store)
