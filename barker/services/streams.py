"""Reading a user's event stream over plain HTTP (the websocket session reads it the same way)."""

from __future__ import annotations

from typing import Any

from barker.errors import Invalid
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


async def events(gw: StoreGateway, token: str | None, after: int | None, limit: int) -> dict[str, Any]:
    def read(store: Store) -> dict[str, Any]:
        owner = authenticate(store, token)
        batch = store.stream_events(owner, after, limit)
        return {"events": batch.events, "last_seq": batch.last_seq, "gap": batch.gap}

    return await gw.read(read, gw.store)
