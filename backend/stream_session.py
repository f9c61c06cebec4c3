"""One `/v1/stream` websocket, as an explicit state machine:

    OPENING --token and cursor valid--> REPLAYING --backlog sent--> LIVE --client leaves / error--> CLOSED
       \\--bad token or cursor: accept, then close with 4401 / 4400, before any data

The session never buffers events: it keeps a cursor and re-reads the durable stream after it whenever the
hub wakes it, so what reaches the client is exactly the stream, in order, whether the event happened
while it was connected or not. See docs/stream.md for the protocol.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import logging
from typing import Any

import orjson
from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState

from barker.errors import Invalid, Unauthorized
from barker.gateway import StoreGateway
from barker.services import authenticate
from barker.services.streams import parse_after
from barker.streams import Listener, StreamHub

log = logging.getLogger("barker.stream")
REVALIDATE_SECONDS = 60.0  # a revoked or expired token ends the socket within this long


class Close(enum.IntEnum):
    """Close codes (documented in docs/stream.md)."""

    NORMAL = 1000
    INTERNAL_ERROR = 1011
    SERVICE_RESTART = 1012  # server shutting down: reconnect with your last seq
    BAD_REQUEST = 4400  # `after` is not a non-negative integer
    UNAUTHORIZED = 4401  # missing, unknown, expired or revoked token
    TOO_SLOW = 4408  # the client stopped reading; reconnect with your last seq


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
        listener = self.hub.register(owner)
        serving = asyncio.create_task(self._serve(owner, token, after, listener))
        watching = asyncio.create_task(self._watch_client())
        try:
            done, _ = await asyncio.wait({serving, watching}, return_when=asyncio.FIRST_COMPLETED)
            if serving in done and not serving.cancelled() and (code := serving.result()) is not None:
                await self._close(*code)
        finally:
            self.hub.unregister(listener)
            for task in (serving, watching):
                task.cancel()
            for task in (serving, watching):
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
            self.state = State.CLOSED

    async def _serve(self, owner: int, token: str | None, after: int | None,
                     listener: Listener) -> tuple[int, str] | None:
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
                try:
                    # asyncio.timeout, not wait_for: wait_for wraps the wait in a task of its own, and with
                    # 1,000 sockets woken per bark that is measurable (about 8 µs each here).
                    listener.parked_at = self.cursor  # a wake-up may start this read (StreamHub._prefetch)
                    async with asyncio.timeout(REVALIDATE_SECONDS):
                        await listener.woken.wait()
                except TimeoutError:
                    if await self._token_gone(token):
                        return Close.UNAUTHORIZED, "token expired or revoked"
        except TimeoutError:
            return Close.TOO_SLOW, f"not reading: no progress sending for {self._send_timeout:g} s"
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

    async def _token_gone(self, token: str | None) -> bool:
        try:
            await self.gw.read(authenticate, self.gw.store, token)
        except Unauthorized:
            return True
        return False

    async def _send(self, message: dict[str, Any]) -> None:
        # A client that stops reading fills the socket buffers, and then this send waits: give up on it
        # after the timeout instead of letting its backlog grow.
        async with asyncio.timeout(self._send_timeout):
            await self.ws.send_text(orjson.dumps(message).decode())

    async def _watch_client(self) -> None:
        """Read (and ignore) what the client sends, to notice when it disconnects."""
        while True:
            message = await self.ws.receive()
            if message["type"] == "websocket.disconnect":
                return

    async def _close(self, code: int, reason: str) -> None:
        self.state = State.CLOSED
        if self.ws.application_state is WebSocketState.CONNECTED:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.ws.close(code=int(code), reason=reason[:120]), 2.0)
