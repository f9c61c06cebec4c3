"""The purge of dead rate-limit counters (barker/services/limits_purge.py) on a real SQLite store and
gateway: a pass deletes in batches and keeps what may still count, the background task passes again and
again, and the counters of older releases (which kept the window's index) restart once and are purged."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from barker.gateway import StoreGateway
from barker.ids import now_ms
from barker.ports.types import RateCounter, RateTake
from barker.rate_limits import DAY_MS, HOUR_MS, QUARTER_HOUR_MS
from barker.services import limits_purge
from barker.services.limits_purge import CLOCK_SKEW_MS, keep_purging, purge_expired
from barker.store.sqlite import SqliteStore
from tests.conftest import make_settings

T0 = 1_700_000_000_000 // DAY_MS * DAY_MS


async def is_full(gw: StoreGateway, counter: RateCounter, now: int) -> bool:
    """Whether a counter with a limit of 1 is still full (a refusal writes nothing; room refills it)."""
    taken: RateTake = await gw.write(gw.store.take_rate_limits, [counter], now)
    return not taken.allowed


def test_a_pass_purges_in_batches_and_keeps_what_may_still_count(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(limits_purge, "PURGE_BATCH", 2)  # five dead counters take three batches
    gw = StoreGateway(SqliteStore(tmp_path / "purge.db"), make_settings(tmp_path))
    live = RateCounter("login:live", DAY_MS, 1)

    async def run() -> list[int]:
        for n in range(5):
            await gw.write(gw.store.take_rate_limits, [RateCounter(f"login_ip:192.0.2.{n}", 1000, 1)], 0)
        await gw.write(gw.store.take_rate_limits, [live], 0)
        passes = [await purge_expired(gw, now=1000 + CLOCK_SKEW_MS - 1),  # ended, but within the margin
                  await purge_expired(gw, now=1000 + CLOCK_SKEW_MS),
                  await purge_expired(gw, now=1000 + CLOCK_SKEW_MS)]
        assert await is_full(gw, live, 2000)  # the day's counter still refuses
        return passes

    try:
        assert asyncio.run(run()) == [0, 5, 0]
    finally:
        gw.close()


def test_the_background_task_purges_again_and_again(tmp_path: Path) -> None:
    gw = StoreGateway(SqliteStore(tmp_path / "purge.db"),
                      make_settings(tmp_path, rate_limit_purge_interval_seconds=0.05))
    live = RateCounter("signup_ip:198.51.100.0", DAY_MS, 1)

    async def purged_by_a_pass(dead: RateCounter) -> bool:
        """Fill a counter whose window ended in 1970, then wait for a pass to delete it."""
        assert not await is_full(gw, dead, 0)  # counted: full now, until a pass deletes it
        deadline = asyncio.get_running_loop().time() + 30  # against a hang, not a speed requirement
        while asyncio.get_running_loop().time() < deadline:
            await asyncio.sleep(0.02)
            if not await is_full(gw, dead, 0):
                return True
        return False

    async def run() -> list[bool]:
        assert not await is_full(gw, live, now_ms())
        task = asyncio.create_task(keep_purging(gw))
        try:
            # The second counter is filled after the pass that deleted the first one ended: another pass
            # has to come for it.
            return [await purged_by_a_pass(RateCounter(f"signup_ip:198.51.100.{n}", 1000, 1)) for n in (1, 2)] + [
                await is_full(gw, live, now_ms())]
        finally:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)

    try:
        assert asyncio.run(run()) == [True, True, True]
    finally:
        gw.close()


def test_counters_of_older_releases_restart_once_and_are_purged(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    SqliteStore(path).close()
    with sqlite3.connect(path) as db:  # what an older release wrote: the window's index, not its end
        db.executemany("INSERT INTO rate_limits VALUES (?, ?, ?)",
                       [("barks:h:7", T0 // HOUR_MS, 300), ("login:old", T0 // QUARTER_HOUR_MS, 20)])
    db.close()
    store = SqliteStore(path)
    try:
        barks = RateCounter("barks:h:7", HOUR_MS, 300)
        assert store.take_rate_limits([barks], T0) == RateTake(True, [1])  # the full hour restarts, once
        assert store.purge_rate_limits(T0, 100) == 1  # the other one is dead
        assert store.take_rate_limits([barks], T0 + 1) == RateTake(True, [2])  # the rewritten one counts on
    finally:
        store.close()


@pytest.mark.parametrize("seconds", [0.0, 86_401])
def test_the_interval_is_bounded(tmp_path: Path, seconds: float) -> None:
    with pytest.raises(ValueError, match="rate_limit_purge_interval_seconds"):
        make_settings(tmp_path, rate_limit_purge_interval_seconds=seconds)
