"""Finding people: nearby users (opt-in location snapped to a cell, exact k-nearest over cell centres,
rounded distances, who-may-find-me, rate-limited) and friends-of-friends suggestions."""

from __future__ import annotations

import math
import re
import unicodedata
from typing import Any, Protocol

from barker.errors import Invalid, NotFound
from barker.gateway import StoreGateway
from barker.geo import EARTH_RADIUS_KM, rounded_km, snap
from barker.ids import now_ms
from barker.ports.accounts import Accounts, Tokens
from barker.ports.discovery import Discovery
from barker.ports.rate_limits import RateLimits
from barker.ports.types import StoredLocation
from barker.rate_limits import Budget, charge, per_user_hourly, per_user_writes
from barker.services import authenticate, user_id_for


class DiscoveryStore(Discovery, Accounts, Tokens, RateLimits, Protocol):
    """What the discovery service uses of the store: locations, suggestions, search, who is asking, limits."""

MAX_KM = math.ceil(math.pi * EARTH_RADIUS_KM)  # half the circumference, in whole km: everyone


def _limit(store: DiscoveryStore, kind: str, user_id: int, per_hour: int) -> None:
    charge(store, per_user_hourly(kind.replace("_", " "), kind, user_id, per_hour), now_ms())


def location_view(stored: StoredLocation) -> dict[str, Any]:
    """What the owner sees of their location: the cell, flagged approximate (the exact point is gone)."""
    return {"lat": stored.cell.lat, "lon": stored.cell.lon, "approximate": True, "cell": stored.cell.id,
            "resolution": stored.cell.resolution, "visibility": stored.visibility}


async def set_location(gw: StoreGateway, token: str | None, lat: float, lon: float,
                       visibility: str | None = None) -> dict[str, Any]:
    # Snapped here, before the store (or anything that logs what reaches it) sees the point.
    cell = snap(lat, lon, gw.settings.location_resolution)

    def write(store: DiscoveryStore) -> dict[str, Any]:
        user_id = authenticate(store, token)
        _limit(store, "location_updates", user_id, gw.settings.location_updates_per_hour)
        return location_view(store.set_location(user_id, cell, visibility, now_ms()))

    return await gw.write(write, gw.store)


async def set_visibility(gw: StoreGateway, token: str | None, visibility: str) -> dict[str, Any]:
    """Who may find me nearby; not rate-limited: it changes no position, so it reveals none."""
    def write(store: DiscoveryStore) -> dict[str, Any]:
        return location_view(store.set_nearby_visibility(authenticate(store, token), visibility))

    return await gw.write(write, gw.store)


async def clear_location(gw: StoreGateway, token: str | None) -> None:
    def write(store: DiscoveryStore) -> None:
        store.clear_location(authenticate(store, token))

    await gw.write(write, gw.store)


async def my_location(gw: StoreGateway, token: str | None) -> dict[str, Any]:
    def read(store: DiscoveryStore) -> dict[str, Any]:
        found = store.location(authenticate(store, token))
        if found is None:
            raise NotFound("you share no location")
        return location_view(found)

    return await gw.read(read, gw.store)


async def nearby(gw: StoreGateway, token: str | None, limit: int, max_km: int | None) -> dict[str, Any]:
    if max_km is not None and not 1 <= max_km <= MAX_KM:
        raise Invalid(f"max_km must be a whole number from 1 to {MAX_KM}")

    def count(store: DiscoveryStore) -> int:
        user_id = authenticate(store, token)
        _limit(store, "nearby_queries", user_id, gw.settings.nearby_queries_per_hour)
        return user_id

    user_id = await gw.write(count, gw.store)

    def read(store: DiscoveryStore) -> dict[str, Any]:
        found = store.nearest_users(user_id, limit, max_km or MAX_KM)
        views = store.user_views([uid for uid, _ in found], user_id)
        return {"items": [{"user": view, "distance_km": rounded_km(km)}
                          for view, (_, km) in zip(views, found, strict=True)]}

    return await gw.read(read, gw.store)


async def suggestions(gw: StoreGateway, token: str | None, depth: int, limit: int) -> dict[str, Any]:
    if depth not in (2, 3):
        raise Invalid("depth must be 2 or 3")

    def read(store: DiscoveryStore) -> dict[str, Any]:
        me = authenticate(store, token)
        found = store.suggestions(me, depth, limit)
        named = {v["id"]: v["handle"] for v in store.user_views(
            sorted({uid for s in found for uid in s.followed_by}), me)}
        views = {v["id"]: v for v in store.user_views([s.user_id for s in found], me)}
        return {"items": [{"user": views[s.user_id], "mutuals": s.mutuals,
                           "followed_by": [named[uid] for uid in s.followed_by],
                           "followed_by_others": s.mutuals - len(s.followed_by), "paths": s.paths}
                          for s in found if s.user_id in views]}

    return await gw.read(read, gw.store)


async def dismiss(gw: StoreGateway, token: str | None, handle: str) -> Budget | None:
    """Never suggest this user again (idempotent). It shapes the follow graph's suggestions, so it is priced
    with follows: with Undo (below) free, dismiss and undo in a loop would otherwise be unlimited writes."""

    def write(store: DiscoveryStore) -> Budget | None:
        me = authenticate(store, token)
        budget = charge(store, per_user_writes(gw.settings, "follows", me), now_ms())
        store.dismiss_suggestion(me, user_id_for(store, handle))
        return budget

    return await gw.write(write, gw.store)


async def undismiss(gw: StoreGateway, token: str | None, handle: str) -> None:
    """Take a dismissal back: an undo, never limited (the dismissal it undoes was paid for)."""

    def write(store: DiscoveryStore) -> None:
        me = authenticate(store, token)
        store.undismiss_suggestion(me, user_id_for(store, handle))

    await gw.write(write, gw.store)


SEARCH_WORDS = 8
SEARCH_CURSOR_PATTERN = r"^([0-2]):(\d{1,16})$"  # (section, rank) of the last result; the API's schema shows it


def search_terms(q: str) -> tuple[str, list[str]]:
    """(handle prefix, words) of a search: the prefix only if q could start a handle (an optional @ first)."""
    q = unicodedata.normalize("NFC", q).strip()
    if not q or len(q) > 64:
        raise Invalid("q must be 1 to 64 characters", code="invalid_query")
    prefix = q.removeprefix("@").lower()
    words = [w.lower() for w in re.findall(r"\w+", q)][:SEARCH_WORDS]
    return (prefix if re.fullmatch(r"[a-z0-9_]{1,30}", prefix) else ""), words


def parse_search_cursor(raw: str | None) -> tuple[int, int]:
    if raw is None:
        return (0, 0)
    match = re.fullmatch(SEARCH_CURSOR_PATTERN, raw)
    if not match:
        raise Invalid("after must be a cursor from a previous page", code="invalid_cursor")
    return int(match.group(1)), int(match.group(2))


async def search(gw: StoreGateway, token: str | None, q: str, after: str | None, limit: int) -> dict[str, Any]:
    prefix, words = search_terms(q)
    cursor = parse_search_cursor(after)

    def read(store: DiscoveryStore) -> dict[str, Any]:
        me = authenticate(store, token)
        hits = store.search_users(prefix, words, cursor, limit, viewer=me)
        views = store.user_views([uid for _, uid in hits], me)
        last = hits[-1] if len(hits) == limit else None
        return {"items": views, "next": f"{last[0]}:{last[1]}" if last else None}

    return await gw.read(read, gw.store)
