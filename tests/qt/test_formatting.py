"""The client's pure helpers: counting like the server, relative times, wording, the radar's geometry."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from barker import validation
from barker.errors import Invalid
from barker.text_entities import URL_WEIGHT, weighted_length
from client_qt.formatting import (
    bark_length,
    followed_by_text,
    mute_end_text,
    radar_angle,
    radar_ceiling,
    relative_time,
    seconds_left,
)
from client_qt.nearby import parse_coordinates

NOW = datetime(2026, 11, 22, 12, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize("text", ["plain", "cafe\u0301", "🐶🐶", "line\r\nbreak", "e\u0301" * 200, "x" * 280])
def test_bark_length_is_the_servers_count(text: str) -> None:
    assert bark_length(text) == len(validation.bark_text(text))


LONG_URL = "https://example.com/" + "p" * 200


@pytest.mark.parametrize(("text", "weight"), [
    (LONG_URL, URL_WEIGHT),
    ("see a.io\r\nthen @alice #tag", 4 + URL_WEIGHT + 1 + 16),  # CRLF is one line break
    ("cafe\u0301 https://example.com/cafe\u0301", 5 + URL_WEIGHT),
    ("x" * 256 + " " + LONG_URL, 280),
    ("x" * 257 + " " + LONG_URL, 281),
    ("x" * 262 + " a.io", 286),
    ("mail alice@example.com", 22),
])
def test_the_counter_weighs_links_as_the_server_does(text: str, weight: int) -> None:
    assert bark_length(text) == weight
    if weight <= validation.BARK_MAX_CHARS:
        assert weighted_length(validation.bark_text(text)) == weight
    else:  # the counter below zero is exactly the text the server refuses
        with pytest.raises(Invalid):
            validation.bark_text(text)


@pytest.mark.parametrize(("iso", "shown"), [
    ("2026-11-22T11:59:58.000Z", "now"), ("2026-11-22T11:59:30.000Z", "30s"), ("2026-11-22T11:55:00.000Z", "5m"),
    ("2026-11-22T09:00:00.000Z", "3h"), ("2026-11-20T12:00:00.000Z", "2d"), ("2026-11-01T12:00:00.000Z", "1 Nov"),
    ("2025-11-01T12:00:00.000Z", "1 Nov 2025")])
def test_relative_time(iso: str, shown: str) -> None:
    assert relative_time(iso, NOW) == shown


def test_followed_by_reads_like_mastodon() -> None:
    assert followed_by_text([], 0) == ""
    assert followed_by_text(["a"], 0) == "followed by a"
    assert followed_by_text(["a", "b"], 0) == "followed by a and b"
    assert followed_by_text(["a", "b", "c"], 0) == "followed by a, b and c"
    assert followed_by_text(["a", "b", "c"], 1) == "followed by a, b, c and 1 other"
    assert followed_by_text(["a", "b", "c"], 4) == "followed by a, b, c and 4 others"


def test_radar_angles_are_fixed_per_handle_and_spread() -> None:
    assert radar_angle("Bob") == radar_angle("bob")
    angles = [radar_angle(f"user{i}") for i in range(200)]
    assert all(0 <= a < 360 for a in angles)
    assert len({int(a // 45) for a in angles}) == 8  # every octant used


@pytest.mark.parametrize(("km", "ring"), [(0.5, 1), (1, 1), (3, 10), (11, 100), (100, 100), (9_800, 10_000)])
def test_radar_outer_ring(km: float, ring: int) -> None:
    assert radar_ceiling(km) == ring


def test_typed_coordinates() -> None:
    assert parse_coordinates(" 52,52 ", "13.40") == (52.52, 13.40)
    assert "numbers" in parse_coordinates("north", "13")
    assert "finite" in parse_coordinates("nan", "13")
    assert "Latitude" in parse_coordinates("91", "0")
    assert "Longitude" in parse_coordinates("0", "-181")


def test_when_a_mute_ends_reads_plainly_and_counts_down() -> None:
    assert mute_end_text(None, NOW) == "until you unmute"
    assert mute_end_text("2026-11-22T12:00:30Z", NOW) == "for 1 more minute"
    assert mute_end_text("2026-11-22T12:40:00Z", NOW) == "for 40 more minutes"
    later = datetime(2026, 11, 25, 9, 5, tzinfo=UTC)
    assert mute_end_text(later.isoformat(), NOW) == later.astimezone().strftime("until %-d %b, %H:%M")
    next_year = datetime(2027, 1, 2, tzinfo=UTC)  # 2027 in every time zone
    assert mute_end_text(next_year.isoformat(), NOW) == next_year.astimezone().strftime("until %-d %b %Y, %H:%M")
    assert seconds_left(None, NOW) is None
    assert seconds_left("2026-11-22T12:00:09.2Z", NOW) == 10  # rounded up: the end is never brought forward
    assert seconds_left("2026-11-22T11:59:59.5Z", NOW) == 0  # just ended: nothing left
    assert seconds_left("2026-11-22T11:00:00Z", NOW) == 0
