"""A suspension closes the account's open stream sockets at once (4401), on a real server: the revocation is
announced on the bus, so the sockets do not wait for the hub's periodic token check (left at its default of
60 s here, so a close within seconds can only come from the announcement). With Redis, a suspension through
one process closes a socket on another. Others' sockets stay open; the suspended token opens no new one."""

from __future__ import annotations

import asyncio
import time

from tests.accounts import as_admin, make_admin
from tests.live.client import Stream, User

PROMPTLY = 5.0  # seconds: far below the 60 s revalidation period


async def closed_promptly(stream: Stream) -> int | None:
    started = time.monotonic()
    code, _ = await stream.closed_with(PROMPTLY)
    assert time.monotonic() - started < PROMPTLY
    return code


def test_suspending_an_account_closes_its_sockets_at_once(start_server):
    server = start_server()
    auth = make_admin(server, "root")
    suspended, follower, mod = User(server.base, "spammer"), User(server.base, "staying"), User(server.base, "mia")
    follower.follow(suspended)
    follower.follow(mod)
    as_admin(server, auth, "PUT", "/v1/admin/accounts/mia/role", {"role": "moderator"})

    async def scenario():
        first = await Stream.open(server.ws, suspended.token)
        second = await Stream.open(server.ws, suspended.token)
        theirs = await Stream.open(server.ws, follower.token)
        for stream in (first, second, theirs):
            await stream.until_caught_up()
        mod.call("POST", "/v1/admin/accounts/spammer/suspend", json={"reason": "spam"})
        assert await closed_promptly(first) == 4401
        assert await closed_promptly(second) == 4401
        refused = await Stream.open(server.ws, suspended.token)  # the revoked token opens nothing new
        assert (await refused.closed_with())[0] == 4401
        posted = mod.bark("the moderators are here")  # the follower's socket lives on
        event = await theirs.next()
        assert (event["type"], event["bark"]["id"]) == ("bark", posted["id"])
        await theirs.close()

    asyncio.run(scenario())


def test_a_suspension_through_one_process_closes_a_socket_on_another(start_server, redis_server):
    bus = {"BARKER_BUS_URL": redis_server.url}
    a = start_server(**bus)
    b = start_server(**bus)
    auth = make_admin(a, "root")
    suspended = User(a.base, "spammer")

    async def scenario():
        stream = await Stream.open(b.ws, suspended.token)  # the socket lives on process B
        await stream.until_caught_up()
        as_admin(a, auth, "POST", "/v1/admin/accounts/spammer/suspend", {"reason": "spam"})  # through A
        assert await closed_promptly(stream) == 4401

    asyncio.run(scenario())
