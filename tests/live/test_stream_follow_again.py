"""Unfollow and follow again over a real socket (real uvicorn, real worker): a bark already sent is not sent
again, the home timeline shows it again, and a socket resuming from before it gets it once."""

from __future__ import annotations

import asyncio

from tests.live.client import Stream, User


def test_a_bark_sent_before_an_unfollow_is_not_sent_again_after_a_follow_again(start_server):
    server = start_server()
    reader, author = User(server.base, "reader"), User(server.base, "author")
    reader.follow(author)

    def home() -> list[int]:
        return [b["id"] for b in reader.call("GET", "/v1/timelines/home")["items"]]

    async def scenario() -> None:
        stream = await Stream.open(server.ws, reader.token)
        _, start = await stream.until_caught_up()
        first = author.bark("sent once")
        event = await stream.next()
        assert (event["type"], event["bark"]["id"]) == ("bark", first["id"])
        reader.call("DELETE", f"/v1/me/following/{author.handle}")
        assert home() == []
        reader.follow(author)
        assert home() == [first["id"]]  # back at once: the follow itself restored it
        second = author.bark("new since")
        # The follow's backfill job was queued before this bark's fan-out job, and the worker runs jobs in id
        # order: had it appended the old bark again, that would arrive first.
        event = await stream.next()
        assert (event["type"], event["bark"]["id"]) == ("bark", second["id"])
        assert reader.events(after=event["seq"])["events"] == []
        await stream.close()
        # From before both: each once, the first at the place it had (the REST stream read agrees).
        again = await Stream.open(server.ws, reader.token, after=start)
        events, _ = await again.until_caught_up()
        assert [(e["seq"], e["bark"]["id"]) for e in events] == [
            (e["seq"], e["bark"]["id"]) for e in reader.events(after=start)["events"]]
        assert [e["bark"]["id"] for e in events] == [first["id"], second["id"]]
        await again.close()

    asyncio.run(scenario())
