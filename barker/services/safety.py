"""Blocks and mutes: a user's own filters on other users (Mastodon's rules). A block hides each party from the
other everywhere and ends what binds them (follows both ways, reactions, rebarks); a mute quietly hides the
muted user's barks, rebarks and notifications from the muter only, for a while or until undone. Reads apply
both in the store; the write paths that a block forbids check `check_interaction` (services/barks.py,
services/social.py)."""

from __future__ import annotations

from typing import Any, Protocol

from barker.gateway import StoreGateway
from barker.ids import iso_ms, now_ms
from barker.policies import check_not_self, mute_until
from barker.ports.accounts import Accounts, Tokens
from barker.ports.rate_limits import RateLimits
from barker.ports.safety import Safety
from barker.rate_limits import Budget, charge, per_user_writes
from barker.services import Page, authenticate, user_id_for, user_view


class SafetyStore(Safety, Accounts, Tokens, RateLimits, Protocol):
    """What this service uses of the store: blocks and mutes, profiles, who is asking, limits."""


def _target(store: SafetyStore, token: str | None, handle: str, what: str,
            settings: Any) -> tuple[int, int, Budget | None]:
    me = authenticate(store, token)
    budget = charge(store, per_user_writes(settings, "blocks", me), now_ms())
    target = user_id_for(store, handle)
    check_not_self(me, target, what)
    return me, target, budget


async def block(gw: StoreGateway, token: str | None, handle: str) -> tuple[dict[str, Any], Budget | None]:
    """Block (idempotent); returns the blocked user as the caller now sees them and what is left of the
    caller's block budget."""

    def add(store: SafetyStore) -> tuple[dict[str, Any], Budget | None]:
        me, target, budget = _target(store, token, handle, "block", gw.settings)
        store.block(me, target, gw.ids.next())
        return user_view(store, target, me), budget

    return await gw.write(add, gw.store)


async def unblock(gw: StoreGateway, token: str | None, handle: str) -> Budget | None:
    def remove(store: SafetyStore) -> Budget | None:
        me, target, budget = _target(store, token, handle, "block", gw.settings)
        store.unblock(me, target)
        return budget

    return await gw.write(remove, gw.store)


async def mute(gw: StoreGateway, token: str | None, handle: str,
               duration_seconds: int | None) -> tuple[dict[str, Any], Budget | None]:
    """Mute for `duration_seconds` (None: until unmuted), or change an existing mute's end; returns the muted
    user as the caller sees them (with `muting_until`) and what is left of the caller's block budget."""
    until = mute_until(now_ms(), duration_seconds)  # a bad duration is refused before anything is counted

    def add(store: SafetyStore) -> tuple[dict[str, Any], Budget | None]:
        me, target, budget = _target(store, token, handle, "mute", gw.settings)
        store.mute(me, target, gw.ids.next(), until)
        return {**user_view(store, target, me), "muting_until": None if until is None else iso_ms(until)}, budget

    return await gw.write(add, gw.store)


async def unmute(gw: StoreGateway, token: str | None, handle: str) -> Budget | None:
    def remove(store: SafetyStore) -> Budget | None:
        me, target, budget = _target(store, token, handle, "mute", gw.settings)
        store.unmute(me, target, now_ms())
        return budget

    return await gw.write(remove, gw.store)


async def my_blocks(gw: StoreGateway, token: str | None, before: int | None, limit: int) -> Page:
    """The users the caller blocks, most recent first; next_before is a block id."""

    def page(store: SafetyStore) -> Page:
        rows = store.block_page(authenticate(store, token), before, limit)
        return Page.of([view for _, view in rows], [cursor for cursor, _ in rows], limit)

    return await gw.read(page, gw.store)


async def my_mutes(gw: StoreGateway, token: str | None, before: int | None, limit: int) -> Page:
    """The users the caller mutes (mutes in force), most recent first, each with `muting_until`."""

    def page(store: SafetyStore) -> Page:
        rows = store.mute_page(authenticate(store, token), before, limit, now_ms())
        items = [{**row.user, "muting_until": None if row.until_ms is None else iso_ms(row.until_ms)}
                 for row in rows]
        return Page.of(items, [row.cursor for row in rows], limit)

    return await gw.read(page, gw.store)
