"""The announcer on a real in-process bus: per-turn batching, and the jobs doorbell."""

from __future__ import annotations

import asyncio
from typing import Any

from barker.bus import JOBS, LocalBus
from barker.runtime.announcer import Announcer


async def heard(worker_elsewhere: bool, say: Any) -> list[dict[str, Any]]:
    bus = LocalBus()
    messages: list[dict[str, Any]] = []
    await bus.start(messages.append, lambda: None)
    announcer = Announcer(bus, worker_elsewhere=worker_elsewhere)
    say(announcer)
    for _ in range(5):  # the flush runs on the next turn, its publishing task on a later one
        await asyncio.sleep(0)
    return messages


def test_announcements_of_one_turn_go_out_as_one_message_with_the_jobs_flag() -> None:
    def say(a: Announcer) -> None:
        a.announce({"streams": [3, 1]})
        a.jobs_queued()
        a.announce({"streams": [1, 2]})

    assert asyncio.run(heard(True, say)) == [{"streams": [1, 2, 3], JOBS: True}]


def test_jobs_are_not_announced_when_the_worker_is_in_this_process() -> None:
    assert asyncio.run(heard(False, lambda a: (a.announce({"streams": [7]}), a.jobs_queued()))) == [
        {"streams": [7]}]


def test_other_messages_keep_their_own_message() -> None:
    messages = asyncio.run(heard(False, lambda a: (a.announce({"bark": 5, "author": 1}),
                                                   a.announce({"streams": [1]}))))
    assert messages == [{"bark": 5, "author": 1}, {"streams": [1]}]


def test_the_doorbell_wakes_a_waiting_worker_and_is_cleared_after() -> None:
    async def run() -> tuple[bool, bool]:
        announcer = Announcer(LocalBus(), worker_elsewhere=False)
        waiting = asyncio.create_task(announcer.wait_for_jobs(timeout=60))
        await asyncio.sleep(0)
        announcer.jobs_queued()
        await asyncio.wait_for(waiting, 10)  # returns on the ring, long before its 60 s timeout
        rung_again = asyncio.create_task(announcer.wait_for_jobs(timeout=0.01))
        await rung_again  # nothing rang since: it waits out its (short) timeout
        return waiting.done(), announcer._jobs_queued.is_set()

    assert asyncio.run(run()) == (True, False)
