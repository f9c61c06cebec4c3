"""Rate-limit counters in fixed windows, shared by every process through the store."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from barker.ports.types import RateCounter, RateTake


class RateLimits(Protocol):
    """Counting requests against limits, and purging dead counters."""

    def hit_rate_limit(self, key: str, window_ms: int, now_ms: int) -> int:
        """Count one request against `key` in the current fixed window; returns the count so far."""

    def take_rate_limits(self, counters: Sequence[RateCounter], now_ms: int) -> RateTake:
        """Count one request against every counter (distinct keys) in its current window, all or nothing:
        if any counter already holds its limit, nothing is counted and the answer is not allowed, with the
        counts so far (for a full counter, at least its limit). A refusal leaves the store as it was
        (ArangoDB: writes nothing, since a call that raises after writing dooms its whole group
        transaction)."""

    def purge_rate_limits(self, now_ms: int, limit: int) -> int:
        """Delete at most `limit` counters whose window ended at or before now_ms (they count nothing any
        more: a request in a later window starts its counter afresh); returns how many went."""
