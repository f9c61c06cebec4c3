"""The periodic purge of rate-limit counters whose window has ended (docs/limits.md). A counter is a row per
user, handle or client address: without the purge, log-in attempts for random handles from many
addresses would grow the store by a row each, for good."""

from __future__ import annotations

from barker.gateway import StoreGateway
from barker.ids import now_ms
from barker.services import periodic

# Counters deleted per writer job: a few milliseconds of the writer, so requests queued behind one wait
# little; the pass goes on batch after batch until a short one.
PURGE_BATCH = 2_000
# A counter stays this long past its window's end, so a process whose clock lags the purging one's by
# less never finds the window it still counts in emptied under it.
CLOCK_SKEW_MS = 60_000


async def purge_expired(gw: StoreGateway, now: int | None = None) -> int:
    """Delete every counter whose window ended before `now` (less the clock-skew margin), in batches of
    background writes (run only when no request write waits). Returns how many went. Safe to run in
    several processes at once."""
    cutoff = (now_ms() if now is None else now) - CLOCK_SKEW_MS
    removed = 0
    while True:
        batch = await gw.write_background(gw.store.purge_rate_limits, cutoff, PURGE_BATCH)
        removed += batch
        if batch < PURGE_BATCH:
            return removed


async def keep_purging(gw: StoreGateway) -> None:
    """The periodic purge of the API process, every BARKER_RATE_LIMIT_PURGE_INTERVAL_SECONDS."""
    await periodic.every(gw.settings.rate_limit_purge_interval_seconds, "rate-limit purge (expired counters)",
                         lambda: purge_expired(gw))
