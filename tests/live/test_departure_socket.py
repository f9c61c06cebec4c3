"""A socket connected while its account is deleted is closed (4401) by the hub's token revalidation, on a
real server; a follower's socket stays open."""

from __future__ import annotations

import asyncio

from tests.live.client import Stream, User


def test_deleting_the_account_closes_its_socket(start_server):
    server = start_server(BARKER_STREAM_REVALIDATE_SECONDS="0.5")
    leaving, follower = User(server.base, "leaving"), User(server.base, "staying")
    follower.follow(leaving)

    async def scenario():
        mine, theirs = await Stream.open(server.ws, leaving.token), await Stream.open(server.ws, follower.token)
        await mine.until_caught_up()
        await theirs.until_caught_up()
        leaving.call("DELETE", "/v1/me", json={"password": "correct horse"})
        assert (await mine.closed_with())[0] == 4401
        follower.bark("still here")  # the follower's socket lives on
        assert (await theirs.next())["type"] == "bark"
        await theirs.close()

    asyncio.run(scenario())
