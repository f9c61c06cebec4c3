"""backend/ws_protocol.py on a real uvicorn and real sockets, apart from the stream hub: every graceful
close uvicorn makes is bounded, so a peer that never reads cannot keep a connection (and its queued data)
for ever; the reset the app asks for drops the connection at once."""

from __future__ import annotations

import asyncio
import errno
import socket
import sys
import threading
from collections.abc import Iterator
from typing import Any

import pytest
import uvicorn

from backend.serving import uvicorn_options
from backend.ws_protocol import RESET_EXTENSION
from barker.settings import Settings
from tests.servers import free_port, wait_until

TCP_ESTABLISHED, TCP_CLOSE = 1, 7
CLOSE_BOUND = 1.0
pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="reads the client socket's TCP state with TCP_INFO (Linux only)")


async def flood_then(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """Accept, then send until a send has waited half a second (the peer is not reading), then either
    return (uvicorn closes gracefully) or, with `?reset`, ask for a reset first."""
    assert scope["type"] == "websocket"
    await receive()
    await send({"type": "websocket.accept"})
    chunk = "x" * 65536
    while True:
        try:
            await asyncio.wait_for(send({"type": "websocket.send", "text": chunk}), 0.5)
        except TimeoutError:
            break
    if scope["query_string"] == b"reset":
        scope["extensions"][RESET_EXTENSION]["reset"]()


@pytest.fixture
def server() -> Iterator[int]:
    port = free_port()
    options = uvicorn_options(Settings(stream_send_timeout=CLOSE_BOUND))
    config = uvicorn.Config(flood_then, host="127.0.0.1", port=port, lifespan="off", log_level="warning",
                            **{k: v for k, v in options.items() if k != "log_config"})
    served = uvicorn.Server(config)
    thread = threading.Thread(target=served.run, daemon=True)
    thread.start()
    wait_until(lambda: served.started, 10, 0.02, "uvicorn to start")
    yield port
    served.should_exit = True
    thread.join(10)


def never_reading_client(port: int, query: str) -> socket.socket:
    raw = socket.socket()
    raw.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    raw.connect(("127.0.0.1", port))
    raw.sendall((f"GET /?{query} HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                 f"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
    return raw


@pytest.mark.parametrize("query", ["close", "reset"])
def test_a_peer_that_never_reads_is_reset(server, query):
    raw = never_reading_client(server, query)
    try:
        wait_until(lambda: raw.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 1)[0] != TCP_ESTABLISHED,
                   CLOSE_BOUND + 20, 0.05, "the server to let go of the peer")
        assert raw.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 1)[0] == TCP_CLOSE  # reset, not closed
        assert raw.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == errno.ECONNRESET
    finally:
        raw.close()

