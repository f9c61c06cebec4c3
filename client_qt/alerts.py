"""Desktop notifications, decided without Qt: which live notifications earn one (mentions, replies and new
followers, as Mastodon's desktop clients do by default; not reactions or rebarks), what it says, what a click
on it opens, and how a burst is coalesced (a few shown one by one, the rest of the burst as one
"N new notifications"). The Qt side (client_qt/tray.py) only shows what this decides.

Muted and blocked accounts never get here: the server leaves their notifications out of the stream
(docs/safety.md)."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Any

EXCERPT_CHARS = 100
BURST = 3  # shown one by one within WINDOW_S; more than that are coalesced
WINDOW_S = 10.0


@dataclass(frozen=True)
class Alert:
    text: str
    page: str  # what a click opens: "thread" (subject: a bark id), "profile" (a handle) or "notifications"
    subject: int | str | None = None


def excerpt(text: str) -> str:
    """The start of a bark, on one line: at most EXCERPT_CHARS characters, an ellipsis if cut."""
    line = " ".join(text.split())
    return line if len(line) <= EXCERPT_CHARS else line[:EXCERPT_CHARS].rstrip() + "…"


def alert_for(row: dict[str, Any]) -> Alert | None:
    """A notification row (client_qt.models.notification_row) as a desktop notification, None for the kinds
    that get none."""
    who = "@" + row["handle"]
    if row["kind"] == "follow":
        return Alert(f"{who} followed you", "profile", row["handle"])
    verb = {"mention": "mentioned you", "reply": "replied"}.get(row["kind"])
    if verb is None:
        return None
    said = excerpt(row.get("barkText") or "")
    text = f"{who} {verb}: {said}" if said else f"{who} {verb}"
    return Alert(text, "thread", row["barkId"]) if row.get("barkId") else Alert(text, "notifications")


def wanted(row: dict[str, Any], *, enabled: bool, window_active: bool) -> Alert | None:
    """The alert a newly arrived notification earns: none while the setting is off or the window has the
    user's attention (they see it arrive in the window)."""
    return alert_for(row) if enabled and not window_active else None


def summary(count: int) -> Alert:
    return Alert(f"{count} new notifications", "notifications")


class Coalescer:
    """At most BURST alerts are shown in any WINDOW_S seconds. Past that they are held, and shown as one when
    the window has room again: the held alert itself if it is alone, else "N new notifications". Times are
    seconds on any monotonic clock; the caller asks again at `due_at()`."""

    def __init__(self, burst: int = BURST, window_s: float = WINDOW_S) -> None:
        self.burst, self.window_s = burst, window_s
        self._shown: deque[float] = deque()  # when the alerts in the current window were shown
        self._held: list[Alert] = []

    def offer(self, alert: Alert, now: float) -> Alert | None:
        """The alert to show now, or None if it is held."""
        self._forget_before(now)
        if self._held or len(self._shown) >= self.burst:
            self._held.append(alert)
            return None
        self._shown.append(now)
        return alert

    def due_at(self) -> float | None:
        """When held alerts can be shown (None: nothing is held)."""
        if not self._held:
            return None
        return self._shown[0] + self.window_s if len(self._shown) >= self.burst else 0.0

    def flush(self, now: float) -> Alert | None:
        """What is held, as one alert, once its time has come."""
        due = self.due_at()
        if due is None or now < due:
            return None
        held, self._held = self._held, []
        self._forget_before(now)
        self._shown.append(now)
        return held[0] if len(held) == 1 else summary(len(held))

    def drop(self) -> None:
        """The user looks at the window (or turned alerts off, or logged out): what is held is not news."""
        self._held = []

    def _forget_before(self, now: float) -> None:
        while self._shown and self._shown[0] + self.window_s <= now:
            self._shown.popleft()
