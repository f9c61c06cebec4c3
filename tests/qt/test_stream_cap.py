"""The client's stream, refused with 4429 because its user's other sockets fill the server's cap, waits
30 s or more before trying again (docs/stream.md) instead of being refused twice a second."""

from __future__ import annotations

import socket

from client_qt.stream import TOO_MANY_SOCKETS_WAIT, Stream
from tests.live.client import User
from tests.qt.ui import WAIT_MS
from tests.servers import Server


def test_refused_for_too_many_sockets_it_backs_off_the_longest(qtbot, tmp_path) -> None:
    server = Server(tmp_path / "data", tmp_path / "server.log", BARKER_STREAM_SOCKETS_PER_USER="1").start()
    holder = socket.create_connection(("127.0.0.1", server.port), timeout=5)
    stream = Stream()
    try:
        ann = User(server.base, "ann")
        holder.sendall((f"GET /v1/stream HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        f"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                        f"Authorization: Bearer {ann.token}\r\n\r\n").encode())
        assert holder.recv(12) == b"HTTP/1.1 101"  # ann's one socket on this server
        stream.start(server.base, ann.token, None)
        qtbot.waitUntil(lambda: "Too many open stream connections." in stream.detail, timeout=WAIT_MS)
        assert stream.state == "offline" and stream.connections == 1
        assert stream.last_wait >= TOO_MANY_SOCKETS_WAIT  # 30 s or more, as docs/stream.md asks
    finally:
        stream.stop()
        holder.close()
        server.stop()
