"""The websocket protocol `barker serve` runs: uvicorn's own (websockets-sansio), plus the means to let go
of a peer that does not read.

What gives such a peer away: uvicorn's `send` waits while the transport is paused for writing, which it is
once its buffer passes the high-water mark (64 KiB) — and it only fills after the kernel's send buffer
(megabytes on a fast link) has. So a peer that stops reading makes sends block, after a while; the
stream hub's watchdog notices a send blocked for BARKER_STREAM_SEND_TIMEOUT (barker/streams.py).

What uvicorn cannot do is let go: every close it makes is graceful, and a graceful close first delivers
what is buffered, which a peer that keeps its receive window shut never takes. Measured before this module:
a client that never read was still connected after minutes, 2.8 MB parked in the kernel's send queue, and
a SIGTERM could not stop the server, whose shutdown waits for its connections. So this protocol

- offers the app a **reset** (ASGI scope extension RESET_EXTENSION, `{"reset": callable}`): the socket is
  closed with SO_LINGER 0, so the kernel drops what is queued and sends a TCP RST at once; and
- bounds every **graceful close** (after a close frame, a missed heartbeat, the app's return, a shutdown):
  a connection still open `close_bound` seconds after uvicorn closed it is reset. (After a close frame,
  uvicorn first waits as long for the peer's own close frame.)
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import struct
from typing import Any, cast

from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol

from barker.settings import Settings

RESET_EXTENSION = "barker.reset"
_LINGER_OFF_NOW = struct.pack("ii", 1, 0)  # l_onoff=1, l_linger=0: close() discards the queue, sends RST


class _BoundedCloseTransport:
    """The transport as the protocol sees it: the same, except that close() arms the protocol's reset
    timer. Wrapping it catches every close uvicorn makes, present and future, without copying its code."""

    def __init__(self, transport: asyncio.Transport, protocol: StreamWebSocketProtocol) -> None:
        self._transport = transport
        self._protocol = protocol
        self.write = transport.write  # every frame sent: the transport's own method, not a lookup each time

    def close(self) -> None:
        if self._transport.is_closing():  # already closing (its timer runs) or aborted
            return
        self._transport.close()
        self._protocol.reset_later()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)


class StreamWebSocketProtocol(WebSocketsSansIOProtocol):
    # How long a graceful close may wait for the peer to take what is buffered (set by protocol_class).
    close_bound: float = 10.0
    _reset_timer: asyncio.TimerHandle | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # After sending a close frame, uvicorn waits this long for the peer's before closing its side.
        self.close_timeout = self.close_bound

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        super().connection_made(cast(asyncio.Transport, _BoundedCloseTransport(
            cast(asyncio.Transport, transport), self)))

    def connection_lost(self, exc: Exception | None) -> None:
        if self._reset_timer is not None:
            self._reset_timer.cancel()
            self._reset_timer = None
        super().connection_lost(exc)

    async def run_asgi(self) -> None:
        self.scope["extensions"][RESET_EXTENSION] = {"reset": self.reset}
        await super().run_asgi()

    def reset_later(self) -> None:
        if self._reset_timer is None and not self.disconnected:
            self._reset_timer = self.loop.call_later(self.close_bound, self.reset)

    def reset(self) -> None:
        """Drop the connection now, and whatever is still queued for the peer, kernel's queue included
        (a plain abort only drops uvicorn's buffer: the kernel would go on trying to deliver the rest)."""
        self._reset_timer = None
        if self.disconnected:
            return
        sock = self.transport.get_extra_info("socket")
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, _LINGER_OFF_NOW)
        self.transport.abort()


def protocol_class(settings: Settings) -> type[StreamWebSocketProtocol]:
    """The protocol class for uvicorn's `ws` option, its close bound taken from the settings: a peer gets
    as long to take a close as to take any other send."""
    return type("StreamWebSocketProtocol", (StreamWebSocketProtocol,),
                {"close_bound": settings.stream_send_timeout})
