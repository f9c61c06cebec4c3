"""Reading a user's event stream over plain HTTP (the websocket session reads it the same way)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from barker.errors import Invalid, Unauthorized
from barker.gateway import StoreGateway
from barker.ids import MAX_ID
from barker.services import authenticate
from barker.store.base import Store


def parse_after(raw: str | None) -> int | None:
    """The `after` cursor: absent means "from now"; otherwise a non-negative integer seq."""
    if raw is None or raw == "":
        return None
    if not raw.isdigit() or int(raw) > MAX_ID:
        raise Invalid("after must be a non-negative integer seq", code="invalid_cursor")
    return int(raw)


def tokens_gone(store: Store, tokens: Iterable[str | None]) -> set[str | None]:
    """Of these tokens, the ones that no longer authenticate (expired or revoked): one call for all the
    open sockets of a process."""
    gone = set()
    for token in tokens:
        try:
            authenticate(store, token)
        except Unauthorized:
            gone.add(token)
    return gone


async def events(gw: StoreGateway, token: str | None, after: int | None, limit: int) -> dict[str, Any]:
    def read(store: Store) -> dict[str, Any]:
        owner = authenticate(store, token)
        batch = store.stream_events(owner, after, limit)
        return {"events": batch.events, "last_seq": batch.last_seq, "gap": batch.gap}

    return await gw.read(read, gw.store)
