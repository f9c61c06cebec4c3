"""One `/v1/stream` websocket: the adapter between a socket and its `StreamSession` (barker/stream_session.py).

The session is the state machine (opening, replaying, live, closing, closed) and owns the delivery state;
this adapter only accepts the socket, asks the services who the token belongs to, sends the frames the
session's cursor leads to, notices the client leaving, and finally sends the close frame (or resets the
connection) the session ended with. See docs/stream.md for the protocol.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import Any

import orjson
from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState

from backend.ws_protocol import RESET_EXTENSION
from barker.errors import Forbidden, Invalid, RateLimited, Unauthorized
from barker.gateway import StoreGateway
from barker.services import authenticate
from barker.services.streams import parse_after
from barker.stream_session import Close, State, StreamSession
from barker.streams import StreamHub

__all__ = ["Close", "State", "StreamSocket", "credentials"]

log = logging.getLogger("barker.stream")

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


class StreamSocket:
    def __init__(self, ws: WebSocket, gw: StoreGateway, hub: StreamHub) -> None:
        self.ws = ws
        self.gw = gw
        self.hub = hub
        token, self._subprotocol = credentials(ws)
        self.session = StreamSession(token=token)
        self._send_timeout = gw.settings.stream_send_timeout

    async def run(self) -> None:
        session = self.session
        await self.ws.accept(subprotocol=self._subprotocol)
        try:
            after = parse_after(self.ws.query_params.get("after"))
            session.owner = await self.gw.read(authenticate, self.gw.store, session.token)
            self.hub.admit(session)
        except (Unauthorized, Forbidden) as e:  # Forbidden: a session that must change its password first
            session.refuse(Close.UNAUTHORIZED, str(e))
        except Invalid as e:
            session.refuse(Close.BAD_REQUEST, str(e))
        except RateLimited as e:
            session.refuse(Close.TOO_MANY_SOCKETS, str(e))
        if session.close_code is not None:  # refused
            return await self._end()
        serving = session.task = asyncio.create_task(self._serve(after))
        watching = asyncio.create_task(self._watch_client())
        try:
            await asyncio.wait({serving, watching}, return_when=asyncio.FIRST_COMPLETED)
            if session.delivering:  # the client went while the session was parked
                session.client_left()
            await self._end()
        finally:
            self.hub.unregister(session)
            for task in (serving, watching):
                task.cancel()
            for task in (serving, watching):
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
            if session.state is not State.CLOSED:  # cancelled: the server is stopping
                if session.state is not State.CLOSING:
                    session.server_stopped()
                session.closed()

    async def _serve(self, after: int | None) -> None:
        """Send the backlog, then live events, until the session leaves replaying and live."""
        session = self.session
        try:
            session.replay_from(after if after is not None
                                else await self.gw.read(self.gw.store.stream_head, session.owner))
            while True:
                session.start_round()  # before reading: a wake-up during the read is not lost
                await self._send_new()
                if not session.delivering:
                    return
                if session.state is State.REPLAYING:
                    await self._send(session.caught_up())
                while session.live_barks and session.delivering:
                    await self._send_live_bark(session.live_barks.popleft())
                if not session.delivering:
                    return
                # No timeout here or around sends: the hub's one watchdog revalidates tokens and cuts off
                # sockets stuck in a send, for all sessions at once (StreamHub._watch).
                session.park()  # a wake-up may start the next read at once (StreamHub._prefetch)
                await session.woken.wait()
                if not session.delivering:  # woken to close (token revoked)
                    return
        except (WebSocketDisconnect, RuntimeError, OSError):
            if session.delivering:
                session.client_left()  # the client went away mid-send
        except Exception:
            log.exception("stream session for user %d failed", session.owner)
            if session.state is not State.CLOSING:
                session.failed()

    async def _send_new(self) -> None:
        session = self.session
        while True:
            batch = await self.hub.events_after(session, session.cursor)
            if not session.delivering:
                return
            if batch.gap:
                await self._send(session.gap())
            for event in batch.events:
                await self._send(event)
            session.cursor = batch.last_seq
            # Not read again to find nothing: a wake-up that came during this read is not lost (the
            # session's flag was cleared before it), and sends the session round again.
            if not batch.more:
                return

    async def _send_live_bark(self, bark_id: int) -> None:
        session = self.session
        views = await self.gw.read(self.gw.store.bark_views, [bark_id], session.owner)
        if views:  # deleted meanwhile: nothing to show
            await self._send({"seq": session.cursor, "type": "bark", "live_only": True, "bark": views[0]})

    async def _send(self, message: dict[str, Any]) -> None:
        # A client that stops reading fills the socket buffers, and then this send waits: the hub's
        # watchdog gives up on it after the send timeout instead of letting its backlog grow.
        self.session.sending_since = time.monotonic()
        try:
            await self.ws.send_text(orjson.dumps(message).decode())
        finally:
            self.session.sending_since = None

    async def _watch_client(self) -> None:
        """Read (and ignore) what the client sends, to notice when it disconnects."""
        while True:
            message = await self.ws.receive()
            if message["type"] == "websocket.disconnect":
                return

    async def _end(self) -> None:
        """Carry out how the session ended: a close frame, a reset, or nothing (the client went)."""
        session = self.session
        if session.reset:
            await self._drop_slow_client()
        elif session.close_code is not None:
            await self._close(session.close_code, session.close_reason)
        session.closed()

    async def _drop_slow_client(self) -> None:
        """Nothing reaches a client that does not read, a close frame included (it would queue behind what
        the client has not read, and a graceful close would wait on it for ever): reset the connection,
        which drops what is queued for it. Only where the server cannot reset it, try a close frame."""
        log.info("stream socket of user %d: nothing could be sent for %g s (the client is not reading); "
                 "connection reset", self.session.owner, self._send_timeout)
        reset = self.ws.scope.get("extensions", {}).get(RESET_EXTENSION)
        if reset is not None:
            reset["reset"]()
        elif self.session.close_code is not None:
            await self._close(self.session.close_code, self.session.close_reason)

    async def _close(self, code: int, reason: str) -> None:
        if self.ws.application_state is WebSocketState.CONNECTED:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.ws.close(code=int(code), reason=reason[:120]), 2.0)
