"""Store.take_rate_limits, on every store: fixed windows, all or nothing, a refusal writes nothing."""

from __future__ import annotations

from barker.store.base import RateCounter, RateTake

HOUR = RateCounter("barks:h:1", 1000, 3)
DAY = RateCounter("barks:d:1", 10_000, 4)


def test_counts_up_to_the_limit_then_refuses_without_counting(store) -> None:
    assert [store.take_rate_limits([HOUR], t).counts for t in (0, 1, 2)] == [[1], [2], [3]]
    assert store.take_rate_limits([HOUR], 3) == RateTake(False, [3])
    assert store.take_rate_limits([HOUR], 999) == RateTake(False, [3])  # refusals did not count
    assert store.take_rate_limits([HOUR], 1000) == RateTake(True, [1])  # the next window starts afresh


def test_all_or_nothing_across_counters(store) -> None:
    for t in range(3):
        assert store.take_rate_limits([HOUR, DAY], t).allowed
    assert store.take_rate_limits([HOUR, DAY], 3) == RateTake(False, [3, 3])  # the hour is full
    assert store.take_rate_limits([DAY], 4) == RateTake(True, [4])  # the refusal left the day at 3
    assert store.take_rate_limits([HOUR, DAY], 1000) == RateTake(False, [0, 4])  # new hour, full day
    assert store.take_rate_limits([HOUR], 1000) == RateTake(True, [1])  # ... which counted no hour either


def test_counted_per_key_whatever_characters_it_has(store) -> None:
    odd = RateCounter("signup_ip:2001:db8::/64 ünï", 1000, 1)
    assert store.take_rate_limits([odd], 0).allowed
    assert not store.take_rate_limits([odd], 1).allowed
    assert store.take_rate_limits([RateCounter("signup_ip:other", 1000, 1)], 1).allowed


def test_no_counters_is_allowed(store) -> None:
    assert store.take_rate_limits([], 0) == RateTake(True, [])


def test_shares_counters_with_hit_rate_limit(store) -> None:
    assert store.hit_rate_limit("barks:h:1", 1000, 0) == 1
    assert store.take_rate_limits([HOUR], 1) == RateTake(True, [2])
