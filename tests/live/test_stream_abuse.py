"""/v1/stream against abuse, on a real `barker serve`: a client that never reads is reset (not left holding
megabytes of queued data, nor blocking shutdown), sockets per user are capped, inbound messages are capped,
and a token sent in the query never reaches the log."""

from __future__ import annotations

import asyncio
import errno
import select
import shutil
import signal
import socket
import sys
import threading
from pathlib import Path

import httpx2 as httpx
import pytest
from websockets.exceptions import ConnectionClosed

from barker.ids import IdGenerator, now_ms
from barker.ports.types import NewUser
from barker.security import token_digest
from barker.store.sqlite import SqliteStore
from tests.live.client import Stream, User
from tests.servers import wait_until

TCP_ESTABLISHED, TCP_CLOSE = 1, 7  # tcp_states.h; struct tcp_info starts with the state byte
SEND_TIMEOUT = 1.0
MARGIN = 20.0  # a bound of correctness, not a speed: a loaded machine may take a while to get there

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="reads the client socket's TCP state with TCP_INFO (Linux only)")


def run(coro):
    return asyncio.run(coro)


def tcp_state(raw: socket.socket) -> int:
    return raw.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 1)[0]


TOKEN = "never-reads-token"


@pytest.fixture(scope="module")
def backlog_template(tmp_path_factory) -> Path:
    """A store whose one user's stream holds ~11 MB of barks (more than the kernel's socket buffers
    hold), seeded once for the module: it takes a while."""
    data = tmp_path_factory.mktemp("backlog")
    store = SqliteStore(data / "barker.db", stream_retain=100_000)
    ids = IdGenerator(5)
    me = ids.next()
    store.create_user(NewUser(me, "me", "me", "Me", "", "x"))
    store.create_token(token_digest(TOKEN), me, now_ms() + 3_600_000)
    with store.bulk():
        for i in range(20_000):
            store.post_bark(ids.next(), me, f"{i} " + "x" * 270, None, 10_000, ids.next())
    store.close()
    return data


@pytest.fixture
def backlog(backlog_template, tmp_path) -> tuple[Path, str]:
    """A copy of that store for one test, and the user's token."""
    return Path(shutil.copytree(backlog_template, tmp_path / "data")), TOKEN


def never_reading_client(port: int, token: str) -> socket.socket:
    """The websocket handshake over a plain socket with a tiny receive buffer, which then never reads."""
    raw = socket.socket()
    raw.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    raw.connect(("127.0.0.1", port))
    raw.sendall((f"GET /v1/stream?after=0 HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                 f"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                 f"Authorization: Bearer {token}\r\n\r\n").encode())
    return raw


@linux_only
def test_a_client_that_never_reads_is_reset_within_the_send_timeout(start_server, backlog):
    """Its backlog plus a steady flow of live barks fill every buffer; the server gives up on it after
    BARKER_STREAM_SEND_TIMEOUT and resets the connection, without the client reading a byte. Before, it
    stayed ESTABLISHED for ever, 2.8 MB parked in the server's kernel send queue."""
    data, token = backlog
    server = start_server(data, BARKER_STREAM_SEND_TIMEOUT=str(SEND_TIMEOUT), BARKER_STREAM_RETAIN="100000",
                          BARKER_BARKS_PER_HOUR="0", BARKER_BARKS_PER_DAY="0")  # it barks until the reset
    author = User(server.base, "author")  # followed, for a flow of live events on top of the backlog
    httpx.put(f"{server.base}/v1/me/following/author", headers={"Authorization": f"Bearer {token}"}).raise_for_status()

    raw = never_reading_client(server.port, token)
    flowing = threading.Event()

    def keep_barking() -> None:
        while not flowing.is_set():
            author.bark("live while you do not read " + "y" * 200)

    barker = threading.Thread(target=keep_barking)
    barker.start()
    try:
        wait_until(lambda: tcp_state(raw) != TCP_ESTABLISHED, SEND_TIMEOUT + MARGIN, 0.05,
                   "the server to drop the client that never reads")
    finally:
        flowing.set()
        barker.join()
    # A reset, not a graceful close: a FIN could only come after the megabytes the client never read.
    assert tcp_state(raw) == TCP_CLOSE
    assert raw.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == errno.ECONNRESET
    raw.close()

    async def still_serving():  # the server is healthy, and serves the same user again
        stream = await Stream.open(server.ws, token)
        event = await stream.next()
        assert event["type"] in ("bark", "caught_up")
        await stream.close()

    run(still_serving())
    assert "Traceback" not in server.output()


@linux_only
def test_a_client_that_never_reads_does_not_block_shutdown(start_server, backlog):
    """uvicorn's shutdown waits for its connections to close, and its graceful close waits for the peer to
    take what is queued: a client that never read used to keep a SIGTERMed server running for ever."""
    data, token = backlog
    server = start_server(data, BARKER_STREAM_SEND_TIMEOUT="3", BARKER_STREAM_RETAIN="100000")
    raw = never_reading_client(server.port, token)
    wait_until(lambda: select.select([raw], [], [], 0)[0], 10, 0.01, "the backlog to start flowing")  # not read
    server.proc.send_signal(signal.SIGTERM)
    # uvicorn re-raises the signal once it has shut down: -SIGTERM is a clean exit; a hang times out here
    assert server.proc.wait(3 + MARGIN) in (0, -signal.SIGTERM), server.output()
    raw.close()


def test_sockets_per_user_are_capped_and_the_newest_is_refused_with_4429(start_server):
    server = start_server(BARKER_STREAM_SOCKETS_PER_USER="2")
    me, other = User(server.base, "mia"), User(server.base, "other")

    async def scenario():
        first, second = await Stream.open(server.ws, me.token), await Stream.open(server.ws, me.token)
        for stream in (first, second):
            await stream.until_caught_up()
        refused = await Stream.open(server.ws, me.token, after=0)
        assert await refused.closed_with() == (4429, [])  # before any data, backlog included
        assert refused.conn.close_reason.startswith("at most 2 stream connections per user")
        theirs = await Stream.open(server.ws, other.token)  # a cap per user, not per server
        await theirs.until_caught_up()
        posted = me.bark("the open ones still work")
        for stream in (first, second):
            assert (await stream.next())["bark"]["id"] == posted["id"]
        await first.close()

        for _ in range(200):  # the server notices the close after a moment
            again = await Stream.open(server.ws, me.token)
            try:
                if (await again.next())["type"] == "caught_up":
                    break
            except ConnectionClosed as e:
                assert e.rcvd is not None and e.rcvd.code == 4429
                await asyncio.sleep(0.02)
        else:
            raise AssertionError("a socket closed by its user still counts against the cap")
        await again.close()
        await second.close()
        await theirs.close()

    run(scenario())


def test_a_64_kib_message_closes_the_socket_with_1009_and_the_server_stays_healthy(start_server):
    server = start_server()  # the default cap: 4 KiB
    me = User(server.base, "mia")

    async def scenario():
        stream = await Stream.open(server.ws, me.token)
        await stream.until_caught_up()
        await stream.conn.send("hello")  # small messages are ignored, as docs/stream.md says
        await stream.conn.send(b"x" * 4096)
        posted = me.bark("still open")
        assert (await stream.next())["bark"]["id"] == posted["id"]
        await stream.conn.send("x" * 65536)
        assert (await stream.closed_with())[0] == 1009

        healthy = await Stream.open(server.ws, me.token)
        await healthy.until_caught_up()
        posted = me.bark("after the big one")
        assert (await healthy.next())["bark"]["id"] == posted["id"]
        await healthy.close()

    run(scenario())
    assert httpx.get(f"{server.base}/readyz").status_code == 200


def test_a_token_in_the_query_never_reaches_the_log(start_server):
    """uvicorn's access log and its websocket lines print the whole path; the token in it is redacted,
    on every handler, whatever the key's spelling."""
    server = start_server(log_level="info", access_log=True)
    me = User(server.base, "mia")
    assert len(me.token) > 20

    async def scenario():
        stream = await Stream.open(server.ws, me.token, how="query")  # ...?access_token=<token>
        await stream.until_caught_up()
        await stream.close()
        stream = await Stream.open(server.ws, me.token, how="subprotocol")
        await stream.until_caught_up()
        await stream.close()
        bad = await Stream.open(server.ws, me.token[::-1], how="query")  # a wrong token: 4401, same care
        assert (await bad.closed_with())[0] == 4401

    run(scenario())
    for query in (f"access_token={me.token}", f"after=0&ACCESS%5Ftoken%3D{me.token}"):
        httpx.get(f"{server.base}/v1/stream/events?{query}")  # REST takes no query token: a 401, logged
    httpx.get(f"{server.base}/v1/stream/events", headers={"Authorization": f"Bearer {me.token}"})
    server.stop()  # flushes the log
    log = server.output()
    assert me.token not in log and me.token[::-1] not in log
    assert "WebSocket /v1/stream?access_token=[redacted]" in log  # uvicorn's websocket line, redacted
    assert '"GET /v1/stream/events?access_token=[redacted] HTTP/1.1" 401' in log  # the access log's
    assert "ACCESS%5Ftoken%3D[redacted]" in log
