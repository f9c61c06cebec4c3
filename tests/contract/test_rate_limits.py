"""Store.take_rate_limits, on every store: fixed windows, all or nothing, a refusal writes nothing; and
Store.purge_rate_limits, which deletes only counters whose window has ended."""

from __future__ import annotations

from barker.ports.types import RateCounter, RateTake

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


def test_a_key_spelled_with_url_escapes_is_its_own_counter(store) -> None:
    """Keys hold user input (the handle tried at log-in). On ArangoDB a `_key` travels unescaped in the URL:
    "%61lice" once read alice's counter (the server decoded it) and "%2F" or "/" failed with a 500."""
    names = ["login:alice", "login:%61lice", "login:%2F", "login:/", "login:a/b", "login:ünï", "login:🐶"]
    for name in names:
        assert store.hit_rate_limit(name, 1000, 0) == 1, name
        assert store.take_rate_limits([RateCounter(name, 1000, 5)], 1).counts == [2], name
    assert store.hit_rate_limit("login:alice", 1000, 2) == 3  # none of the others counted for alice


def test_no_counters_is_allowed(store) -> None:
    assert store.take_rate_limits([], 0) == RateTake(True, [])


def test_shares_counters_with_hit_rate_limit(store) -> None:
    assert store.hit_rate_limit("barks:h:1", 1000, 0) == 1
    assert store.take_rate_limits([HOUR], 1) == RateTake(True, [2])


def test_purge_deletes_only_counters_whose_window_ended(store) -> None:
    login = RateCounter("login:someone", 1000, 2)
    assert store.take_rate_limits([HOUR, DAY], 0).allowed  # HOUR's window ends at 1000, DAY's at 10,000
    assert store.take_rate_limits([login], 1500).allowed  # ends at 2000
    assert store.purge_rate_limits(999, 100) == 0  # every window is still open
    assert store.purge_rate_limits(1000, 100) == 1  # HOUR's window has ended: only it goes
    assert store.purge_rate_limits(1000, 100) == 0
    # the live ones kept counting where they were; the purged one starts afresh, as it would have anyway
    assert store.take_rate_limits([DAY], 1001) == RateTake(True, [2])
    assert store.take_rate_limits([login], 1600) == RateTake(True, [2])
    assert store.take_rate_limits([login], 1700) == RateTake(False, [2])  # and still refuses when full
    assert store.take_rate_limits([HOUR], 1001) == RateTake(True, [1])
    assert store.purge_rate_limits(10_000, 100) == 3  # the window of every one has ended now
    assert store.take_rate_limits([DAY, login], 10_000) == RateTake(True, [1, 1])


def test_purge_is_bounded_per_call(store) -> None:
    for n in range(5):
        assert store.hit_rate_limit(f"signup_ip:192.0.2.{n}", 1000, 10) == 1
    assert store.hit_rate_limit("signup_ip:live", 1000, 1010) == 1
    assert [store.purge_rate_limits(1000, 2) for _ in range(4)] == [2, 2, 1, 0]
    assert store.hit_rate_limit("signup_ip:live", 1000, 1020) == 2  # the live one was never touched
