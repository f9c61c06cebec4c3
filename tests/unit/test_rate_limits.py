"""barker.rate_limits on the real SQLite store: budgets, the real Retry-After, limits that are off."""

from __future__ import annotations

import pytest

from barker.ports.types import RateCounter
from barker.rate_limits import (
    DAY_MS,
    HOUR_MS,
    Budget,
    Limit,
    LimitReached,
    charge,
    per_user_writes,
    seconds_until_reset,
)
from tests.conftest import make_settings

T0 = 1_700_000_000_000 // DAY_MS * DAY_MS  # midnight UTC: hour and day windows start together


def limits(per_hour: int, per_day: int) -> list[Limit]:
    return [Limit("barks", RateCounter("barks:h:7", HOUR_MS, per_hour)),
            Limit("barks", RateCounter("barks:d:7", DAY_MS, per_day))]


def test_retry_after_is_the_real_time_to_the_end_of_the_window() -> None:
    hour = RateCounter("k", HOUR_MS, 1)
    assert seconds_until_reset(hour, T0) == 3600
    assert seconds_until_reset(hour, T0 + 1) == 3600  # 3599.999 s, rounded up: never early
    assert seconds_until_reset(hour, T0 + HOUR_MS - 1000) == 1
    assert seconds_until_reset(hour, T0 + HOUR_MS - 1) == 1  # never 0


def test_the_tightest_budget_is_reported_and_a_refusal_names_when_to_come_back(store) -> None:
    now = T0 + 10 * 60_000  # ten minutes into the hour
    assert charge(store, limits(3, 100), now) == Budget(3, 2, 3000)
    assert charge(store, limits(3, 100), now) == Budget(3, 1, 3000)
    assert charge(store, limits(3, 100), now) == Budget(3, 0, 3000)
    with pytest.raises(LimitReached) as refused:
        charge(store, limits(3, 100), now + 1000)
    assert refused.value.retry_after == 2999 and refused.value.budget == Budget(3, 0, 2999)
    assert "at most 3 barks per hour" in refused.value.message and refused.value.code == "rate_limited"
    # The next hour lets it through (the refusal counted nothing: the day has 4 of 100 used after it).
    assert charge(store, limits(3, 100), T0 + HOUR_MS) == Budget(3, 2, 3600)
    assert charge(store, [limits(3, 100)[1]], T0 + HOUR_MS) == Budget(100, 95, 23 * 3600)


def test_when_both_windows_are_full_the_later_reset_is_the_answer(store) -> None:
    for _ in range(2):
        charge(store, limits(2, 2), T0)
    with pytest.raises(LimitReached) as refused:
        charge(store, limits(2, 2), T0 + 60_000)
    assert refused.value.retry_after == 24 * 3600 - 60  # the hour resets sooner, but the day is still full
    assert "per day" in refused.value.message


def test_a_limit_of_zero_is_off(store) -> None:
    assert charge(store, limits(0, 0), T0) is None
    assert charge(store, limits(0, 5), T0) == Budget(5, 4, 24 * 3600)


def test_write_budgets_come_from_the_settings(tmp_path) -> None:
    settings = make_settings(tmp_path, follows_per_hour=7, follows_per_day=9)
    hour, day = per_user_writes(settings, "follows", 42)
    assert (hour.counter.limit, hour.counter.window_ms, day.counter.limit, day.counter.window_ms) == (
        7, HOUR_MS, 9, DAY_MS)
    assert hour.counter.key != day.counter.key and "42" in hour.counter.key
    assert per_user_writes(settings, "barks", 42)[0].counter.key != hour.counter.key
