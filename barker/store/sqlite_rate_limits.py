"""The SQLite store's rate-limit counters: fixed-window counts taken (and given back on a refusal) in one
write, and the purge of dead windows. A mixin of SqliteStore (barker/store/sqlite.py)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from barker.ports.types import RateCounter, RateTake, window_end
from barker.store.sqlite_sql import discovery as sql

if TYPE_CHECKING:  # checked against what they use of SqliteStore, without importing it back
    from barker.store.sqlite_host import SqliteHost as _Base
else:
    _Base = object


class SqliteRateLimits(_Base):
    """Mixed into SqliteStore; see the RateLimits protocol for each method's contract."""

    def hit_rate_limit(self, key: str, window_ms: int, now_ms: int) -> int:
        window = window_end(now_ms, window_ms)
        with self._tx() as c:
            return c.execute(sql.HIT_RATE_LIMIT, (key, window)).fetchone()[0]

    def take_rate_limits(self, counters: Sequence[RateCounter], now_ms: int) -> RateTake:
        if not counters:
            return RateTake(True, [])
        keys = [c.key for c in counters]
        rows = [v for c in counters for v in (c.key, c.window_end(now_ms))]
        limits = [v for c in counters for v in (c.key, c.limit)]
        with self._tx() as c:
            # One statement on the usual path (see sql.take_rate_limits).
            taken = dict(c.execute(sql.take_rate_limits(len(keys)), rows + limits).fetchall())
            if len(taken) == len(keys):
                return RateTake(True, [taken[k] for k in keys])
            if taken:  # a counter was full: give back what was just counted, so a refusal counts nothing
                c.execute(sql.give_back(len(taken)), list(taken))
        return RateTake(False, [taken[k] - 1 if k in taken else counter.limit
                                for k, counter in zip(keys, counters, strict=True)])

    def purge_rate_limits(self, now_ms: int, limit: int) -> int:
        # A scan in key order, with no index on `window`: the upsert above rewrites `window` on every count,
        # so an index would cost every limited write, while this runs every few minutes off the request
        # path and stops at `limit` dead rows.
        with self._tx() as c:
            return c.execute(sql.PURGE_RATE_LIMITS, (now_ms, limit)).rowcount
