"""Small pure helpers for what the views show."""

from __future__ import annotations

import hashlib
import math
import unicodedata
from datetime import UTC, datetime, timedelta

from barker.text_entities import weighted_length

BARK_MAX_CHARS = 280


def bark_length(text: str) -> int:
    """Characters as the server counts them: code points after NFC, with \\r\\n (or a lone \\r) as one line
    break, each link counted as 23 (the server's own function, so the two never disagree)."""
    return weighted_length(unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n"))


def parse_time(iso: str) -> datetime:
    return datetime.fromisoformat(iso.replace("Z", "+00:00"))


def relative_time(iso: str, now: datetime | None = None) -> str:
    """'now', '42s', '5m', '3h', '2d', then a date ('21 Nov', or '21 Nov 2025' in another year)."""
    then = parse_time(iso)
    now = now or datetime.now(UTC)
    seconds = int((now - then).total_seconds())
    if seconds < 5:
        return "now"
    for limit, unit, size in ((60, "s", 1), (3600, "m", 60), (86400, "h", 3600), (7 * 86400, "d", 86400)):
        if seconds < limit:
            return f"{seconds // size}{unit}"
    return then.strftime("%-d %b" if then.year == now.year else "%-d %b %Y")


def followed_by_text(names: list[str], others: int) -> str:
    """Mastodon's wording: 'followed by a', 'a and b', 'a, b and c', 'a, b, c and 4 others'."""
    if not names:
        return ""
    if others:
        return f"followed by {', '.join(names)} and {others} other{'s' if others > 1 else ''}"
    if len(names) == 1:
        return f"followed by {names[0]}"
    return f"followed by {', '.join(names[:-1])} and {names[-1]}"


def radar_angle(handle: str) -> float:
    """The API gives others' distances, never bearings: the radar places each user at a fixed angle from
    a hash of the handle (degrees, 0-360), so a user keeps their place between refreshes."""
    digest = hashlib.sha256(handle.lower().encode()).digest()
    return int.from_bytes(digest[:4], "big") / 2**32 * 360.0


def radar_ceiling(km: float) -> int:
    """The radar's outer ring: the smallest power of ten (km) at or above the farthest distance."""
    ring = 1
    while ring < km:
        ring *= 10
    return ring


def mute_end_text(until_iso: str | None, now: datetime | None = None) -> str:
    """When a mute ends, for the list of muted accounts: 'until you unmute', 'for 40 more minutes', 'until
    14:05' (today), 'until 23 Nov, 14:05' (in local time)."""
    if until_iso is None:
        return "until you unmute"
    end = parse_time(until_iso)
    now = now or datetime.now(UTC)
    minutes = max(1, int((end - now).total_seconds() + 59) // 60)
    if minutes < 60:
        return f"for {minutes} more minute{'s' if minutes > 1 else ''}"
    local, local_now = end.astimezone(), now.astimezone()
    if local.date() == local_now.date():
        return local.strftime("until %H:%M")
    return local.strftime("until %-d %b, %H:%M" if local.year == local_now.year else "until %-d %b %Y, %H:%M")


def seconds_left(until_iso: str | None, now: datetime | None = None) -> int | None:
    """Whole seconds (rounded up) until a mute ends; None for a mute until unmuted, 0 if it has ended."""
    if until_iso is None:
        return None
    left = (parse_time(until_iso) - (now or datetime.now(UTC))).total_seconds()
    return max(0, math.ceil(left))


def iso_in(seconds: int, now: datetime | None = None) -> str:
    """The moment `seconds` from now, as the API writes times."""
    return ((now or datetime.now(UTC)) + timedelta(seconds=seconds)).isoformat()
