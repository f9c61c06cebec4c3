"""Desktop notifications decided without Qt (client_qt/alerts.py): which kinds, what they say, what a click
opens, and a burst coalesced."""

from __future__ import annotations

from typing import Any

from client_qt.alerts import EXCERPT_CHARS, Alert, Coalescer, alert_for, excerpt, wanted


def row(kind: str, handle: str = "ann", bark_id: int = 7, text: str = "hello") -> dict[str, Any]:
    return {"id": 1, "kind": kind, "handle": handle, "barkId": bark_id if kind != "follow" else 0,
            "barkText": text if kind != "follow" else ""}


def test_mentions_replies_and_follows_say_who_and_what() -> None:
    assert alert_for(row("mention", text="hi @me")) == Alert("@ann mentioned you: hi @me", "thread", 7)
    assert alert_for(row("reply", "bob", 9, "yes")) == Alert("@bob replied: yes", "thread", 9)
    assert alert_for(row("follow", "cy")) == Alert("@cy followed you", "profile", "cy")


def test_reactions_and_rebarks_get_none() -> None:
    assert alert_for(row("reaction")) is None
    assert alert_for(row("rebark")) is None


def test_a_mention_whose_text_is_not_known_yet_still_says_who() -> None:
    assert alert_for(row("mention", text="")) == Alert("@ann mentioned you", "thread", 7)


def test_the_excerpt_is_one_line_of_at_most_100_characters() -> None:
    long = "word " * 40
    cut = excerpt(long)
    assert cut.endswith("…") and len(cut) <= EXCERPT_CHARS + 1 and "\n" not in cut
    assert excerpt("two\nlines") == "two lines"
    assert excerpt("x" * EXCERPT_CHARS) == "x" * EXCERPT_CHARS


def test_none_while_the_setting_is_off_or_the_window_is_active() -> None:
    mention = row("mention")
    assert wanted(mention, enabled=True, window_active=False) is not None
    assert wanted(mention, enabled=False, window_active=False) is None
    assert wanted(mention, enabled=True, window_active=True) is None


def alerts(n: int) -> list[Alert]:
    return [Alert(f"a{i}", "thread", i) for i in range(n)]


def test_a_burst_shows_three_then_the_rest_as_one_summary() -> None:
    coalescer = Coalescer(burst=3, window_s=10)
    shown = [coalescer.offer(a, now=0.5 * i) for i, a in enumerate(alerts(5))]
    assert [a.text for a in shown if a] == ["a0", "a1", "a2"]
    assert shown[3:] == [None, None]
    assert coalescer.due_at() == 10.0  # the first of the three leaves the window
    assert coalescer.flush(9.9) is None
    assert coalescer.flush(10.0) == Alert("2 new notifications", "notifications")
    assert coalescer.due_at() is None and coalescer.flush(20) is None


def test_one_held_alert_is_shown_as_itself() -> None:
    coalescer = Coalescer(burst=3, window_s=10)
    for i, a in enumerate(alerts(4)):
        coalescer.offer(a, now=i)
    assert coalescer.flush(10) == Alert("a3", "thread", 3)


def test_alerts_spread_out_are_never_held() -> None:
    coalescer = Coalescer(burst=3, window_s=10)
    assert all(coalescer.offer(a, now=4.0 * i) for i, a in enumerate(alerts(10)))


def test_after_a_burst_new_alerts_wait_their_turn_behind_the_held_ones() -> None:
    coalescer = Coalescer(burst=3, window_s=10)
    for a in alerts(4):
        coalescer.offer(a, now=0)
    assert coalescer.offer(Alert("late", "profile", "x"), now=11) is None  # behind a3, still held
    assert coalescer.flush(11) == Alert("2 new notifications", "notifications")


def test_dropped_when_the_user_looks() -> None:
    coalescer = Coalescer(burst=1, window_s=10)
    coalescer.offer(alerts(1)[0], now=0)
    coalescer.offer(alerts(2)[1], now=1)
    coalescer.drop()
    assert coalescer.due_at() is None and coalescer.flush(60) is None
