"""One live stream consumer's delivery state, as an explicit state machine with no HTTP in it.

    OPENING --replay_from(cursor)--> REPLAYING --caught_up()--> LIVE
       |                                 |                        |
       | refuse(4400 / 4401 / 4429)      +-- token_revoked() 4401, too_slow() reset or 4408,
       | failed(), client_left(),        |   failed() 1011, client_left() or server_stopped()
       v server_stopped()                |   (nothing to send)
    CLOSING <----------------------------+------------------------+
       |
       +--closed()--> CLOSED

`gap()` is an event of REPLAYING and LIVE that leaves the state as it is (the client is told, and carries
on). Each transition checks the state it starts from and raises IllegalTransition otherwise, so a session
cannot, say, go live twice or be revoked after it closed. The session owns everything about its socket's
delivery: its cursor, the wake-up flag the hub sets, the live-only barks the hub hands it, and the read the
hub started for it (`StreamHub._prefetch`). The hub only wakes it; the websocket adapter
(`backend/stream_session.py`) only sends and receives frames and asks this object what to do next. Close
codes are documented in docs/stream.md (1009 and 1012 are the server's, not a session's: a message too
big, a shutdown).

It holds no events: woken, it re-reads the user's durable stream from its cursor, so a lost wake-up costs
latency, never an event.
"""

from __future__ import annotations

import asyncio
import enum
from collections import deque
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from barker.ports.types import StreamEvents

LIVE_QUEUE = 256  # live-only barks waiting per session; beyond that the oldest are dropped


class Close(enum.IntEnum):
    """Close codes (documented in docs/stream.md)."""

    NORMAL = 1000
    INTERNAL_ERROR = 1011
    SERVICE_RESTART = 1012  # server shutting down: reconnect with your last seq
    BAD_REQUEST = 4400  # `after` is not a non-negative integer
    UNAUTHORIZED = 4401  # missing, unknown, expired or revoked token
    # The client stopped reading: sent only where the connection cannot be reset (barker serve resets it,
    # since a close frame would wait behind everything the client has not read).
    TOO_SLOW = 4408
    TOO_MANY_SOCKETS = 4429  # the user already has BARKER_STREAM_SOCKETS_PER_USER sockets in this process


class State(enum.Enum):
    OPENING = "opening"
    REPLAYING = "replaying"
    LIVE = "live"
    CLOSING = "closing"
    CLOSED = "closed"


class IllegalTransition(Exception):
    """A transition asked for in a state it does not start from: a bug in the caller."""


TOKEN_GONE = "token expired or revoked"
NOT_READING = "not reading"
# Tuples, not sets: `in` compares by identity first, where a set would call Enum.__hash__ (Python code) on
# each check, and these run for every socket a wake-up touches.
_OPENING = (State.OPENING,)
_CLOSING = (State.CLOSING,)
_REPLAYING = (State.REPLAYING,)
_DELIVERING = (State.REPLAYING, State.LIVE)
_OPEN = (State.OPENING, State.REPLAYING, State.LIVE)


class StreamSession:
    __slots__ = ("close_code", "close_reason", "cursor", "delivering", "live_barks", "owner", "parked_at",
                 "prefetched", "reset", "sending_since", "state", "task", "token", "woken")

    def __init__(self, owner: int = 0, token: str | None = None) -> None:
        self.owner = owner  # 0 until its token checks out (the adapter sets it before the hub admits it)
        self.token = token
        self.state = State.OPENING
        # Replaying or live: what the hub's watchdog may end, and what the adapter checks after each await.
        # A plain attribute, kept by the transitions, since it is read several times per socket per wake-up.
        self.delivering = False
        self.cursor = 0  # the seq of the last event sent (or skipped over)
        # Set on entering CLOSING: the close frame to send (None: send nothing, the client went or the
        # connection is reset), and whether to reset the connection instead of closing it.
        self.close_code: Close | None = None
        self.close_reason = ""
        self.reset = False
        self.task: asyncio.Task[Any] | None = None  # the task delivering to it, cancelled if it stops draining
        self.sending_since: float | None = None  # time.monotonic() when the send under way began
        self.woken = asyncio.Event()
        self.live_barks: deque[int] = deque(maxlen=LIVE_QUEUE)
        # While it waits to be woken: the cursor it will read after next (None while it is busy), and the
        # read the hub started for it on a wake-up.
        self.parked_at: int | None = None
        self.prefetched: tuple[int, asyncio.Future[StreamEvents]] | None = None

    def __repr__(self) -> str:
        return f"<StreamSession user={self.owner} {self.state.value} at {self.cursor}>"

    def _expect(self, allowed: tuple[State, ...], event: str) -> None:
        if self.state not in allowed:
            raise IllegalTransition(f"{event} in state {self.state.value}")

    def _closing(self, code: Close | None, reason: str) -> None:
        self.state, self.delivering = State.CLOSING, False
        self.close_code, self.close_reason = code, reason
        self.parked_at = None  # nothing more to read for it
        self.woken.set()  # a parked session wakes to close

    # -- opening --

    def refuse(self, code: Close, reason: str) -> None:
        """A bad cursor (4400), a bad token (4401), or a user over the socket cap (4429): closed before any
        event is sent."""
        self._expect(_OPENING, "refuse")
        if code not in (Close.BAD_REQUEST, Close.UNAUTHORIZED, Close.TOO_MANY_SOCKETS):
            raise IllegalTransition(f"refuse with {code!r}")
        self._closing(code, reason)

    def replay_from(self, cursor: int) -> None:
        """Admitted: send what the stream holds after `cursor`."""
        self._expect(_OPENING, "replay_from")
        self.state, self.cursor, self.delivering = State.REPLAYING, cursor, True

    # -- delivering --

    def gap(self) -> dict[str, Any]:
        """Events after the cursor were trimmed away: the message that tells the client."""
        self._expect(_DELIVERING, "gap")
        return {"type": "gap", "after": self.cursor}

    def caught_up(self) -> dict[str, Any]:
        """The backlog is sent: from now on only live events. The message that tells the client."""
        self._expect(_REPLAYING, "caught_up")
        self.state = State.LIVE
        return {"type": "caught_up", "seq": self.cursor}

    def park(self) -> None:
        """Wait to be woken: a wake-up may start the read after the cursor at once (StreamHub._prefetch)."""
        self._expect(_DELIVERING, "park")
        self.parked_at = self.cursor

    def start_round(self) -> None:
        """Woken (or starting): clear the flag before reading, so a wake-up during the read is not lost."""
        self.parked_at = None
        self.woken.clear()

    def wake(self) -> None:
        self.woken.set()

    # -- ending --

    def token_revoked(self) -> None:
        """The hub's watchdog found its token expired or revoked: close with 4401."""
        self._expect(_DELIVERING, "token_revoked")
        self._closing(Close.UNAUTHORIZED, TOKEN_GONE)

    def too_slow(self, send_timeout: float) -> None:
        """Stuck in one send for over `send_timeout`: the client is not reading. Its task is cancelled (it
        waits in that send, nothing else would reach it) and the connection reset, or closed with 4408
        where it cannot be reset."""
        self._expect(_DELIVERING, "too_slow")
        self._closing(Close.TOO_SLOW, f"{NOT_READING}: no progress sending for {send_timeout:g} s")
        self.reset = True
        if self.task is not None:
            self.task.cancel()

    def failed(self) -> None:
        """An unexpected error while delivering: close with 1011 (the client reconnects with its last seq)."""
        self._expect(_OPEN, "failed")
        self._closing(Close.INTERNAL_ERROR, "internal error; reconnect with your last seq")

    def client_left(self) -> None:
        """The client disconnected: nothing more to send. No-op once closing (the close frame found it gone)."""
        if self.state is State.CLOSING:
            return
        self._expect(_OPEN, "client_left")
        self._closing(None, "client left")

    def server_stopped(self) -> None:
        """The server stops serving it (shutting down: the server itself closes the socket with 1012)."""
        self._expect(_OPEN, "server_stopped")
        self._closing(None, "server stopped")

    def closed(self) -> None:
        """The adapter has sent the close frame (or reset or lost the connection)."""
        self._expect(_CLOSING, "closed")
        self.state = State.CLOSED
