"""/v1/stream against a real uvicorn server: auth, backlog then live, resume, event kinds, several sockets,
above-threshold live delivery, gap after retention, the HTTP twin, heartbeats and shutdown."""

from __future__ import annotations

import asyncio
import signal
import socket
import time

import pytest

from barker.ids import IdGenerator, now_ms
from barker.policies import TRIM_EVERY
from barker.ports.types import NewUser
from barker.security import token_digest
from barker.store.sqlite import SqliteStore
from tests.live.client import Stream, User
from tests.servers import wait_until


def run(coro):
    return asyncio.run(coro)


@pytest.fixture
def following(start_server):
    """A server, a reader and an author the reader follows."""
    server = start_server()
    reader, author = User(server.base, "reader"), User(server.base, "author")
    reader.follow(author)
    return server, reader, author


@pytest.mark.parametrize("how", ["header", "subprotocol", "query"])
def test_each_way_of_authenticating(start_server, how):
    server = start_server()
    me = User(server.base, "mel")

    async def scenario():
        stream = await Stream.open(server.ws, me.token, how=how)
        if how == "subprotocol":
            assert stream.conn.subprotocol == f"bearer.{me.token}"  # echoed back
        assert await stream.until_caught_up() == ([], 0)
        await stream.close()

    run(scenario())


@pytest.mark.parametrize("token", [None, "not-a-token"])
def test_bad_token_is_closed_with_4401_before_any_data(start_server, token):
    server = start_server()
    User(server.base, "someone").bark("private")

    async def scenario():
        stream = await Stream.open(server.ws, token)
        assert await stream.closed_with() == (4401, [])

    run(scenario())


def test_revoked_token_cannot_connect(start_server):
    server = start_server()
    me = User(server.base, "mel")
    me.call("DELETE", "/v1/sessions/current")

    async def scenario():
        assert await (await Stream.open(server.ws, me.token)).closed_with() == (4401, [])

    run(scenario())


def test_a_session_that_must_change_its_password_cannot_connect(start_server, tmp_path):
    """After an admin reset the password, the new session may only change it: the stream refuses it as it
    refuses an unknown token (4401), and the server keeps serving."""
    data = tmp_path / "restricted"
    store = SqliteStore(data / "barker.db")
    me, token = IdGenerator(5).next(), "restricted-session-token"
    store.create_user(NewUser(me, "me", "me", "Me", "", "x"))
    store.create_token(token_digest(token), me, now_ms() + 3_600_000, restricted=True)
    store.close()
    server = start_server(data)

    async def scenario():
        assert await (await Stream.open(server.ws, token)).closed_with() == (4401, [])

    run(scenario())
    assert User(server.base, "other").token


@pytest.mark.parametrize("after", ["-1", "x", "1.5", str(2**60)])
def test_bad_cursor_is_closed_with_4400(start_server, after):
    server = start_server()
    me = User(server.base, "mel")

    async def scenario():
        stream = await Stream.open(server.ws, me.token, after=after)
        assert await stream.closed_with() == (4400, [])

    run(scenario())


def test_live_bark_arrives_rendered_like_rest(following):
    server, reader, author = following

    async def scenario():
        stream = await Stream.open(server.ws, reader.token)
        events, seq = await stream.until_caught_up()
        assert events == []
        posted = author.bark("hello, followers")
        event = await stream.next()
        assert event["type"] == "bark" and event["seq"] > seq
        assert event["bark"] == reader.call("GET", f"/v1/barks/{posted['id']}")
        await stream.close()

    run(scenario())


def test_resume_delivers_exactly_the_missed_events_in_order(following):
    server, reader, author = following

    async def scenario():
        stream = await Stream.open(server.ws, reader.token)
        _, last = await stream.until_caught_up()
        first = author.bark("seen live")
        seen = await stream.next()
        assert seen["bark"]["id"] == first["id"]
        last = seen["seq"]
        await stream.close()
        missed = [author.bark(f"while away {i}")["id"] for i in range(3)]
        # fan-out is asynchronous: wait until it has reached my stream (read over HTTP, not the socket)
        wait_until(lambda: len(reader.events(after=last)["events"]) == 3, 10, 0.02, "fan-out")
        stream = await Stream.open(server.ws, reader.token, after=last)
        events, caught_up = await stream.until_caught_up()
        assert [e["bark"]["id"] for e in events] == missed
        assert [e["seq"] for e in events] == sorted({e["seq"] for e in events})
        assert all(e["seq"] > last for e in events) and caught_up == events[-1]["seq"]
        after_resume = author.bark("live again")
        assert (await stream.next())["bark"]["id"] == after_resume["id"]
        await stream.close()

    run(scenario())


def test_reactions_and_followers_reach_the_author(start_server):
    server = start_server()
    me, fan = User(server.base, "mel"), User(server.base, "fan")
    bark = me.bark("react to me")

    async def scenario():
        stream = await Stream.open(server.ws, me.token)
        await stream.until_caught_up()
        fan.follow(me)
        follower = await stream.next()
        assert follower["type"] == "follower" and follower["user"]["handle"] == "fan"
        assert follower["user"]["followed_by"] is True
        fan.call("POST", f"/v1/barks/{bark['id']}/reactions", json={"emoji": "🐶"})
        reaction = await stream.next()
        assert (reaction["type"], reaction["bark_id"], reaction["emoji"]) == ("reaction", bark["id"], "🐶")
        assert reaction["user"]["handle"] == "fan" and reaction["seq"] > follower["seq"]
        await stream.close()

    run(scenario())


def test_every_connection_of_a_user_gets_every_event(start_server):
    server = start_server()
    me = User(server.base, "mel")

    async def scenario():
        streams = [await Stream.open(server.ws, me.token) for _ in range(3)]
        for s in streams:
            await s.until_caught_up()
        posted = me.bark("to all my devices")
        for s in streams:
            assert (await s.next())["bark"]["id"] == posted["id"]
            await s.close()

    run(scenario())


def test_above_threshold_author_is_delivered_live_but_not_replayed(start_server):
    server = start_server(BARKER_FANOUT_THRESHOLD="0")  # any author with a follower is above it
    reader, star = User(server.base, "reader"), User(server.base, "star")
    reader.follow(star)

    async def scenario():
        stream = await Stream.open(server.ws, reader.token)
        _, seq = await stream.until_caught_up()
        posted = star.bark("to my many fans")
        event = await stream.next()
        assert (event["type"], event["live_only"], event["seq"]) == ("bark", True, seq)
        assert event["bark"]["id"] == posted["id"]
        await stream.close()
        again = await Stream.open(server.ws, reader.token, after=seq)
        assert await again.until_caught_up() == ([], seq)  # not in the durable stream...
        await again.close()
        assert [b["id"] for b in reader.call("GET", "/v1/timelines/home")["items"]] == [posted["id"]]  # ...but home

    run(scenario())


def test_cursor_older_than_retention_gets_a_gap_then_the_rest(start_server):
    server = start_server(BARKER_STREAM_RETAIN="50")
    me = User(server.base, "mel")
    for i in range(50 + TRIM_EVERY + 20):  # own barks
        me.bark(f"bark {i}")
    seqs: list[int] = []
    while page := me.events(after=seqs[-1] if seqs else 0)["events"]:
        seqs += [e["seq"] for e in page]
    assert len(seqs) == 50 + TRIM_EVERY + 20
    server.compact_streams(retain=50)  # retention comes with compaction (tests/unit/test_fanout.py: the worker's)

    async def scenario():
        stream = await Stream.open(server.ws, me.token, after=seqs[2])
        gap = await stream.next()
        assert gap == {"type": "gap", "after": seqs[2]}
        events, last = await stream.until_caught_up()
        assert last == seqs[-1] and [e["seq"] for e in events] == seqs[-50:]
        await stream.close()
        fresh = await Stream.open(server.ws, me.token, after=seqs[-40])  # still retained: no gap
        events, _ = await fresh.until_caught_up()
        assert [e["seq"] for e in events] == seqs[-39:]
        await fresh.close()

    run(scenario())
    assert me.events(after=seqs[2])["gap"] is True and me.events(after=seqs[-40])["gap"] is False


def test_http_events_match_the_socket(start_server):
    server = start_server()
    me, fan = User(server.base, "mel"), User(server.base, "fan")
    start = me.events()
    assert start == {"events": [], "last_seq": 0, "gap": False}
    fan.follow(me)
    me.bark("one")
    me.bark("two")

    async def scenario():
        stream = await Stream.open(server.ws, me.token, after=0)
        events, _ = await stream.until_caught_up()
        await stream.close()
        return events

    socket_events = run(scenario())
    page = me.events(after=0, limit=2)
    assert page["events"] == socket_events[:2] and page["last_seq"] == socket_events[1]["seq"]
    rest = me.events(after=page["last_seq"])
    assert rest["events"] == socket_events[2:]


def test_dead_socket_is_found_by_heartbeat(start_server):
    """A client that never answers pings (a raw TCP socket after the handshake) is disconnected."""
    server = start_server(BARKER_WS_PING_SECONDS="0.3")
    me = User(server.base, "mel")
    raw = socket.create_connection(("127.0.0.1", server.port), timeout=5)
    raw.sendall((f"GET /v1/stream HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                 f"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                 f"Authorization: Bearer {me.token}\r\n\r\n").encode())
    assert raw.recv(12) == b"HTTP/1.1 101"
    started = time.monotonic()
    while raw.recv(65536):  # pings and the caught_up message arrive; we never answer
        pass
    assert time.monotonic() - started < 4  # closed by the server after a missed pong
    raw.close()


def test_shutdown_closes_sockets_with_1012(start_server):
    server = start_server()
    me = User(server.base, "mel")

    async def scenario():
        stream = await Stream.open(server.ws, me.token)
        await stream.until_caught_up()
        server.proc.send_signal(signal.SIGTERM)
        code, _ = await stream.closed_with(10)
        assert code == 1012

    run(scenario())


def test_a_client_that_stops_reading_is_cut_off(start_server, tmp_path):
    """The server stops sending to a socket that has not drained for BARKER_STREAM_SEND_TIMEOUT and drops
    it, instead of queueing its backlog in memory. A client that reads gets the whole backlog."""
    data = tmp_path / "slow"
    store = SqliteStore(data / "barker.db", stream_retain=100_000)
    ids = IdGenerator(5)
    me, token = ids.next(), "slow-reader-token"
    store.create_user(NewUser(me, "me", "me", "Me", "", "x"))
    store.create_token(token_digest(token), me, now_ms() + 3_600_000)
    with store.bulk():  # ~11 MB of backlog: more than the kernel's socket buffers hold
        for i in range(20_000):
            store.post_bark(ids.next(), me, f"{i} " + "x" * 270, None, 10_000, ids.next())
    store.close()
    server = start_server(data, BARKER_STREAM_SEND_TIMEOUT="1", BARKER_STREAM_RETAIN="100000")

    def connect(rcvbuf: int | None = None) -> socket.socket:
        raw = socket.socket()
        if rcvbuf:
            raw.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        raw.connect(("127.0.0.1", server.port))
        raw.sendall((f"GET /v1/stream?after=0 HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                     f"Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                     f"Sec-WebSocket-Version: 13\r\nAuthorization: Bearer {token}\r\n\r\n").encode())
        return raw

    def read_all(raw: socket.socket, idle: float) -> tuple[int, bool]:
        """(bytes read, whether the server closed the connection) until it closes or goes idle."""
        raw.settimeout(idle)
        total = 0
        try:
            while chunk := raw.recv(1 << 16):
                total += len(chunk)
        except TimeoutError:
            return total, False
        except ConnectionResetError:
            pass
        return total, True

    reader = connect()
    everything, closed = read_all(reader, 3)
    reader.close()
    assert everything > 10_000_000 and not closed  # the whole backlog, and the socket stays open

    stalled = connect(4096)
    time.sleep(4)  # longer than the send timeout: the server gives up on us
    received, closed = read_all(stalled, 10)
    stalled.close()
    assert closed and received < everything // 2, (received, everything)


def test_a_token_revoked_while_connected_closes_the_socket_with_4401(start_server):
    server = start_server(BARKER_STREAM_REVALIDATE_SECONDS="0.5")
    me, other = User(server.base, "mel"), User(server.base, "other")

    async def scenario():
        mine, theirs = await Stream.open(server.ws, me.token), await Stream.open(server.ws, other.token)
        await mine.until_caught_up()
        await theirs.until_caught_up()
        me.call("DELETE", "/v1/sessions/current")
        assert (await mine.closed_with())[0] == 4401  # by the hub's revalidation, every 0.5 s here
        other.bark("still here")  # the other socket lives on
        assert (await theirs.next())["type"] == "bark"
        await theirs.close()

    run(scenario())
