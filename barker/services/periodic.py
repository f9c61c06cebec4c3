"""Background housekeeping passes (media sweep, rate-limit purge): one loop for all of them."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from barker.errors import StoreUnavailable

log = logging.getLogger("barker.housekeeping")


async def every(seconds: float, what: str, one_pass: Callable[[], Awaitable[int]]) -> None:
    """Run `one_pass` now and then every `seconds`, for ever; log how many items a pass removed. A store
    outage is not logged here (gw.health logs it once per change) and the next pass catches up; any other
    failure is logged and the loop goes on."""
    while True:
        try:
            removed = await one_pass()
            if removed:
                log.info("%s removed %d", what, removed)
        except StoreUnavailable:
            pass
        except Exception:
            log.exception("%s failed", what)
        await asyncio.sleep(seconds)
