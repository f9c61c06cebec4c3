"""Notification events over a real websocket: a reply and a rebark of your bark, a reaction and a new
follower arrive live, each with the id GET /v1/notifications lists it under and its time; a reconnect from
the start replays the same events."""

from __future__ import annotations

import asyncio

from pydantic import TypeAdapter

from barker import models
from barker.ids import iso
from tests.live.client import Stream, User

EVENT = TypeAdapter(models.StreamEvent)


def test_notifications_arrive_live_with_their_ids(start_server):
    server = start_server()
    me, fan = User(server.base, "mel"), User(server.base, "fan")
    mine = me.bark("talk to me")

    async def scenario():
        stream = await Stream.open(server.ws, me.token)
        _, start = await stream.until_caught_up()
        reply = fan.call("POST", "/v1/barks", json={"text": "hello back", "reply_to": mine["id"]})
        replied = await stream.next()
        fan.call("PUT", f"/v1/barks/{mine['id']}/rebark")
        rebarked = await stream.next()
        fan.call("POST", f"/v1/barks/{mine['id']}/reactions", json={"emoji": "🐶"})
        reacted = await stream.next()
        fan.follow(me)
        followed = await stream.next()
        live = [replied, rebarked, reacted, followed]
        for event in live:
            EVENT.validate_python(event)
            assert event["created_at"] == iso(event["notification_id"])
        assert [e["type"] for e in live] == ["reply", "rebark", "reaction", "follower"]
        assert replied["bark"]["id"] == replied["notification_id"] == reply["id"]
        assert replied["bark"]["reply_to"]["id"] == mine["id"]
        assert (rebarked["bark_id"], rebarked["user"]["handle"]) == (mine["id"], "fan")
        listed = me.call("GET", "/v1/notifications")["items"]
        assert [e["notification_id"] for e in live] == [n["id"] for n in reversed(listed)]
        await stream.close()

        again = await Stream.open(server.ws, me.token, after=start)  # resumed: the same events, same ids
        replayed, _ = await again.until_caught_up()
        assert [e for e in replayed if e["type"] != "bark"] == live
        await again.close()

    asyncio.run(scenario())
