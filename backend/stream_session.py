"""One `/v1/stream` websocket, as an explicit state machine:

    OPENING --token and cursor valid--> REPLAYING --backlog sent--> LIVE --client leaves / error--> CLOSED
       \\--bad token or cursor, or too many sockets: accept, then close with 4401 / 4400 / 4429, before any data

The session never buffers events: it keeps a cursor and re-reads the durable stream after it whenever the
hub wakes it, so what reaches the client is exactly the stream, in order, whether the event happened
while it was connected or not. See docs/stream.md for the protocol.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import logging
import time
from typing import Any

import orjson
from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState

from backend.ws_protocol import RESET_EXTENSION
from barker.errors import Invalid, RateLimited, Unauthorized
from barker.gateway import StoreGateway
from barker.services import authenticate
from barker.services.streams import parse_after
from barker.streams import Ended, Listener, StreamHub

log = logging.getLogger("barker.stream")


class Close(enum.IntEnum):
    """Close codes (documented in docs/stream.md)."""

    NORMAL = 1000
    INTERNAL_ERROR = 1011
    SERVICE_RESTART = 1012  # server shutting down: reconnect with your last seq
    BAD_REQUEST = 4400  # `after` is not a non-negative integer
    UNAUTHORIZED = 4401  # missing, unknown, expired or revoked token
    # The client stopped reading: sent only where the connection cannot be reset (barker serve resets it,
    # since a close frame would wait behind everything the client has not read).
    TOO_SLOW = 4408
    TOO_MANY_SOCKETS = 4429  # the user already has BARKER_STREAM_SOCKETS_PER_USER sockets in this process


class State(enum.Enum):
    OPENING = "opening"
    REPLAYING = "replaying"
    LIVE = "live"
    CLOSED = "closed"


SUBPROTOCOL_PREFIX = "bearer."


def credentials(ws: WebSocket) -> tuple[str | None, str | None]:
    """(token, subprotocol to echo). From, in order: `Authorization: Bearer`, a `bearer.<token>`
    subprotocol (what browsers can send), the `access_token` query parameter."""
    scheme, _, value = ws.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip(), None
    for offered in ws.scope.get("subprotocols") or ():
        if offered.startswith(SUBPROTOCOL_PREFIX) and len(offered) > len(SUBPROTOCOL_PREFIX):
            return offered[len(SUBPROTOCOL_PREFIX):], offered
    return ws.query_params.get("access_token") or None, None


class StreamSession:
    def __init__(self, ws: WebSocket, gw: StoreGateway, hub: StreamHub) -> None:
        self.ws = ws
        self.gw = gw
        self.hub = hub
        self.state = State.OPENING
        self.cursor = 0
        self.listener: Listener  # registered with the hub once the token checks out
        self._send_timeout = gw.settings.stream_send_timeout

    async def run(self) -> None:
        token, subprotocol = credentials(self.ws)
        await self.ws.accept(subprotocol=subprotocol)
        try:
            after = parse_after(self.ws.query_params.get("after"))
            owner = await self.gw.read(authenticate, self.gw.store, token)
        except Unauthorized as e:
            return await self._close(Close.UNAUTHORIZED, str(e))
        except Invalid as e:
            return await self._close(Close.BAD_REQUEST, str(e))
        try:
            listener = self.listener = self.hub.register(owner, token)
        except RateLimited as e:
            return await self._close(Close.TOO_MANY_SOCKETS, str(e))
        serving = listener.task = asyncio.create_task(self._serve(owner, after, listener))
        watching = asyncio.create_task(self._watch_client())
        try:
            done, _ = await asyncio.wait({serving, watching}, return_when=asyncio.FIRST_COMPLETED)
            if serving in done and serving.cancelled() and listener.ended is Ended.TOO_SLOW:
                await self._drop_slow_client(owner)
            elif serving in done and not serving.cancelled() and (code := serving.result()) is not None:
                await self._close(*code)
        finally:
            self.hub.unregister(listener)
            for task in (serving, watching):
                task.cancel()
            for task in (serving, watching):
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
            self.state = State.CLOSED

    async def _serve(self, owner: int, after: int | None, listener: Listener) -> tuple[int, str] | None:
        """Send the backlog, then live events, until the client leaves. Returns a close code to send, or
        None when the client already went."""
        store = self.gw.store
        try:
            self.state = State.REPLAYING
            self.cursor = after if after is not None else await self.gw.read(store.stream_head, owner)
            while True:
                listener.parked_at = None
                listener.woken.clear()  # before reading: a wake-up during the read is not lost
                await self._send_new(listener)
                if self.state is State.REPLAYING:
                    self.state = State.LIVE
                    await self._send({"type": "caught_up", "seq": self.cursor})
                while listener.live_barks:
                    await self._send_live_bark(owner, listener.live_barks.popleft())
                # No timeout here or around sends: the hub's one watchdog revalidates tokens and cuts off
                # sockets stuck in a send, for all listeners at once (StreamHub._watch).
                listener.parked_at = self.cursor  # a wake-up may start this read (StreamHub._prefetch)
                await listener.woken.wait()
                if listener.ended is Ended.TOKEN_GONE:
                    return Close.UNAUTHORIZED, Ended.TOKEN_GONE.value
        except (WebSocketDisconnect, RuntimeError, OSError):
            return None  # the client went away mid-send
        except Exception:
            log.exception("stream session for user %d failed", owner)
            return Close.INTERNAL_ERROR, "internal error; reconnect with your last seq"

    async def _send_new(self, listener: Listener) -> None:
        while True:
            batch = await self.hub.events_after(listener, self.cursor)
            if batch.gap:
                await self._send({"type": "gap", "after": self.cursor})
            for event in batch.events:
                await self._send(event)
            self.cursor = batch.last_seq
            # Not read again to find nothing: a wake-up that came during this read is not lost (the
            # listener's flag was cleared before it), and sends the session round again.
            if not batch.more:
                return

    async def _send_live_bark(self, owner: int, bark_id: int) -> None:
        views = await self.gw.read(self.gw.store.bark_views, [bark_id], owner)
        if views:  # deleted meanwhile: nothing to show
            await self._send({"seq": self.cursor, "type": "bark", "live_only": True, "bark": views[0]})

    async def _send(self, message: dict[str, Any]) -> None:
        # A client that stops reading fills the socket buffers, and then this send waits: the hub's
        # watchdog gives up on it after the send timeout instead of letting its backlog grow.
        self.listener.sending_since = time.monotonic()
        try:
            await self.ws.send_text(orjson.dumps(message).decode())
        finally:
            self.listener.sending_since = None

    async def _watch_client(self) -> None:
        """Read (and ignore) what the client sends, to notice when it disconnects."""
        while True:
            message = await self.ws.receive()
            if message["type"] == "websocket.disconnect":
                return

    async def _drop_slow_client(self, owner: int) -> None:
        """Nothing reaches a client that does not read, a close frame included (it would queue behind what
        the client has not read, and a graceful close would wait on it for ever): reset the connection,
        which drops what is queued for it. Only where the server cannot reset it, try a close frame."""
        log.info("stream socket of user %d: nothing could be sent for %g s (the client is not reading); "
                 "connection reset", owner, self._send_timeout)
        reset = self.ws.scope.get("extensions", {}).get(RESET_EXTENSION)
        if reset is not None:
            self.state = State.CLOSED
            reset["reset"]()
        else:
            await self._close(Close.TOO_SLOW, f"{Ended.TOO_SLOW.value}: no progress sending for "
                                              f"{self._send_timeout:g} s")

    async def _close(self, code: int, reason: str) -> None:
        self.state = State.CLOSED
        if self.ws.application_state is WebSocketState.CONNECTED:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.ws.close(code=int(code), reason=reason[:120]), 2.0)
