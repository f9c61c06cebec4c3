"""Reading a user's event stream over plain HTTP (the websocket session reads it the same way)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any, Protocol

from barker.errors import Forbidden, Invalid, Unauthorized
from barker.gateway import StoreGateway
from barker.ids import MAX_ID
from barker.ports.accounts import Tokens
from barker.ports.streams import Streams
from barker.ports.types import StreamEvents
from barker.services import authenticate


class StreamReader(Streams, Tokens, Protocol):
    """What the stream service uses of the store: users' streams, and the tokens that open them."""


def parse_after(raw: str | None) -> int | None:
    """The `after` cursor: absent means "from now"; otherwise a non-negative integer seq."""
    if raw is None or raw == "":
        return None
    if not raw.isdigit() or int(raw) > MAX_ID:
        raise Invalid("after must be a non-negative integer seq", code="invalid_cursor")
    return int(raw)


def tokens_gone(store: Tokens, tokens: Iterable[str | None]) -> set[str | None]:
    """Of these tokens, the ones that no longer authenticate (expired or revoked): one call for all the
    open sockets of a process."""
    gone = set()
    for token in tokens:
        try:
            authenticate(store, token)
        except (Unauthorized, Forbidden):  # Forbidden: restricted to changing its password
            gone.add(token)
    return gone


async def events(gw: StoreGateway, token: str | None, after: int | None, limit: int) -> dict[str, Any]:
    def read(store: StreamReader) -> dict[str, Any]:
        owner = authenticate(store, token)
        return _body(store.stream_events(owner, after, limit))

    return await gw.read(read, gw.store)


def newest_events(store: Streams, owner: int, count: int) -> StreamEvents:
    """The owner's newest `count` stream entries as events, oldest first, and last_seq to carry on from (the
    websocket's or stream_events' `after`). An entry whose subject is gone is skipped, as everywhere, so
    there may be fewer events. Two reads: an append in between is left for the next `after` (the slice stops
    at `count`), a trim in between leaves fewer; never a gap, since the caller had no cursor to fall behind."""
    batch = store.stream_events(owner, store.stream_newest_cursor(owner, count), count)
    return replace(batch, gap=False)


async def newest(gw: StoreGateway, token: str | None, count: int) -> dict[str, Any]:
    def read(store: StreamReader) -> dict[str, Any]:
        return _body(newest_events(store, authenticate(store, token), count))

    return await gw.read(read, gw.store)


def _body(batch: StreamEvents) -> dict[str, Any]:
    """A slice as GET /v1/stream/events answers it (models.StreamEvents)."""
    return {"events": batch.events, "last_seq": batch.last_seq, "gap": batch.gap}
