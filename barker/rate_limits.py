"""Every cheap request has a price: the rules of the rate limits (docs/limits.md), the same for every store.

A limit is a fixed window counter in the store (shared by every process): at most N requests per window,
windows starting at multiples of the window length since the epoch (so every hour starts on the hour UTC,
every day at midnight UTC). A request that would cross a limit is refused with RateLimited, carrying the
real seconds until the window that refused it ends (Retry-After), and counts nothing: the store writes no
counter unless every counter of the request has room (Store.take_rate_limits).

Counting happens inside the same store call (thread hop, transaction) as the write it guards, so a limit
costs one small indexed upsert, not an extra round trip; a refused request changes nothing at all.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from barker.errors import RateLimited
from barker.ports.rate_limits import RateLimits
from barker.ports.types import RateCounter
from barker.settings import Settings

QUARTER_HOUR_MS = 15 * 60_000
HOUR_MS = 60 * 60_000
DAY_MS = 24 * HOUR_MS
WINDOW_NAMES = {QUARTER_HOUR_MS: "15 minutes", HOUR_MS: "hour", DAY_MS: "day"}

WriteKind = Literal["barks", "reactions", "follows", "bookmarks", "blocks"]


@dataclass(frozen=True, slots=True)
class Budget:
    """What is left of the tightest limit on a kind of request (sent as X-RateLimit-* headers)."""

    limit: int
    remaining: int
    reset_seconds: int  # until the window ends and `remaining` is back to `limit`


class LimitReached(RateLimited):
    """A RateLimited that knows the budget it ran out of (retry_after is the seconds until it resets)."""

    def __init__(self, message: str, budget: Budget, *, code: str | None = None) -> None:
        super().__init__(message, code=code, retry_after=budget.reset_seconds)
        self.budget = budget


@dataclass(frozen=True, slots=True)
class Limit:
    """One limit as the services state it: `what` names the requests in messages ("barks")."""

    what: str
    counter: RateCounter


def seconds_until_reset(counter: RateCounter, now_ms: int) -> int:
    """Whole seconds (rounded up, at least 1) until the counter's current window ends."""
    return max(1, math.ceil((counter.window_end(now_ms) - now_ms) / 1000))


def charge(store: RateLimits, limits: Sequence[Limit], now_ms: int, *, code: str | None = None) -> Budget | None:
    """Count one request against every limit (those with a limit of 0 are off), all or nothing. Returns the
    tightest budget left (fewest remaining; on a tie the later reset), None when no limit is on. Raises
    LimitReached, having counted nothing, if any limit is already used up: Retry-After is when the last of
    the used-up windows ends, the first moment the request can go through."""
    live = [limit for limit in limits if limit.counter.limit > 0]
    if not live:
        return None
    taken = store.take_rate_limits([limit.counter for limit in live], now_ms)
    budgets = [Budget(limit.counter.limit, max(0, limit.counter.limit - count),
                      seconds_until_reset(limit.counter, now_ms))
               for limit, count in zip(live, taken.counts, strict=True)]
    if not taken.allowed:
        full = [(budget, limit) for budget, limit in zip(budgets, live, strict=True) if budget.remaining == 0]
        budget, limit = max(full, key=lambda pair: pair[0].reset_seconds)
        period = WINDOW_NAMES.get(limit.counter.window_ms, f"{limit.counter.window_ms // 1000} seconds")
        raise LimitReached(f"at most {limit.counter.limit} {limit.what} per {period}; try again in "
                           f"{budget.reset_seconds} seconds", budget, code=code)
    return min(budgets, key=lambda b: (b.remaining, -b.reset_seconds))


# -- the limits, by what they protect ---------------------------------------------------------------------

def per_user_writes(settings: Settings, kind: WriteKind, user_id: int) -> list[Limit]:
    """A user's budget for one kind of write, per hour and per day (rebarks count as barks). The defaults
    and the reasons for them are in barker/settings.py."""
    per_hour, per_day = {
        "barks": (settings.barks_per_hour, settings.barks_per_day),
        "reactions": (settings.reactions_per_hour, settings.reactions_per_day),
        "follows": (settings.follows_per_hour, settings.follows_per_day),
        "bookmarks": (settings.bookmarks_per_hour, settings.bookmarks_per_day),
        "blocks": (settings.blocks_per_hour, settings.blocks_per_day),
    }[kind]
    # Keys side by side in the store's key order, so both counters usually share one page.
    return [Limit(kind, RateCounter(f"{kind}:{user_id}:h", HOUR_MS, per_hour)),
            Limit(kind, RateCounter(f"{kind}:{user_id}:d", DAY_MS, per_day))]


def per_user_hourly(what: str, key: str, user_id: int, per_hour: int) -> list[Limit]:
    """Location updates, nearby queries, uploads: one hourly counter per user."""
    return [Limit(what, RateCounter(f"{key}:{user_id}", HOUR_MS, per_hour))]


def credential_checks(settings: Settings, canonical_handle: str, address_key: str) -> list[Limit]:
    """Log-ins and password changes share one budget per handle (against guessing one account's password
    from many addresses) and one per client address (against trying many accounts from one address)."""
    return [Limit("log-in attempts for this account", RateCounter(
                f"login:{canonical_handle}", QUARTER_HOUR_MS, settings.login_attempts_per_15_minutes)),
            Limit("log-in attempts from your address", RateCounter(
                f"login_ip:{address_key}", QUARTER_HOUR_MS, settings.logins_per_ip_per_15_minutes))]


def sign_ups(settings: Settings, address_key: str) -> list[Limit]:
    return [Limit("sign-ups from your address", RateCounter(
        f"signup_ip:{address_key}", HOUR_MS, settings.signups_per_ip_per_hour))]
