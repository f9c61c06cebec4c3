"""The live stream: a websocket on a worker thread (asyncio + the `websockets` package), because the UI
thread must never wait on the network. It keeps the last seq it has passed on, reconnects and resumes with
`after=<last seq>`, so nothing is lost across a network drop; a `gap` asks the app to reload. Protocol:
docs/stream.md.

Reconnecting: the wait between attempts starts at 0.5 s and doubles, with jitter, up to 15 s (after a
4429, too many sockets, 30 s); the status line counts it down each second, and `retryNow()` cuts it short.
While nothing listens at the server's address (connection refused, no route), for the first minute of an
outage, the worker also knocks on the port once a second (a bare TCP connect, no request): a server that is
back is picked up within about a second, without opening a websocket a second to find out. A server that
answers but refuses the socket gets the plain backoff."""

from __future__ import annotations

import asyncio
import json
import math
import random
import threading
import time
from typing import Any
from urllib.parse import urlsplit

from PySide6.QtCore import Property, QObject, QTimer, Signal, Slot
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidURI

from client_qt.errors import connection_failure

FIRST_DELAY, MAX_DELAY = 0.5, 15.0
PROBE_EVERY = 1.0  # seconds between knocks on the server's port while nothing listens there...
PROBE_FOR = 60.0  # ...during the first minute of an outage (then the backoff alone)
COUNTDOWN_TICK_MS = 250  # the countdown's number changes within a quarter second of each whole second
FATAL_CLOSES = {4400: "The server refused the live connection.", 4401: "Your session is no longer valid."}
TOO_MANY_SOCKETS = 4429  # this user's other sockets fill the server's cap: wait 30 s or more (docs/stream.md)
TOO_MANY_SOCKETS_WAIT = 30.0
LOST = "The connection to the server was lost."
RESTARTING = "The server is restarting."
TOO_MANY = "Too many open stream connections."


def ws_url(base_url: str, after: int | None) -> str:
    url = base_url.rstrip("/").replace("https://", "wss://", 1).replace("http://", "ws://", 1) + "/v1/stream"
    return url if after is None else f"{url}?after={after}"


def host_and_port(base_url: str) -> tuple[str, int]:
    parts = urlsplit(base_url)
    return parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80)


class Backoff:
    """The waits between attempts: 0.5 s doubling to 15 s, each with ±20 % jitter (so clients cut off
    together do not all come back in the same instant)."""

    def __init__(self) -> None:
        self.delay = FIRST_DELAY

    def reset(self) -> None:
        self.delay = FIRST_DELAY

    def next(self) -> float:
        wait = self.delay * random.uniform(0.8, 1.2)
        self.delay = min(self.delay * 2, MAX_DELAY)
        return wait


async def listening(host: str, port: int) -> bool:
    """Whether something accepts TCP connections there now (the connection is closed at once)."""
    try:
        _, writer = await asyncio.wait_for(asyncio.open_connection(host, port), PROBE_EVERY)
    except OSError:  # refused, unreachable, or no answer in time (TimeoutError is an OSError)
        return False
    writer.close()
    return True


class Stream(QObject):
    """Signals arrive on the UI thread (queued from the worker). `state` is connecting / live / offline;
    `detail` says why it is not live, as a sentence; `retryIn` counts down the seconds to the next attempt
    (0 when none is due) and `retrying` is whether one is (the "Retry now" button)."""

    event = Signal(object)  # a bark, reaction or follower event (dict)
    caughtUp = Signal(int, bool)  # seq, resumed: False when it started "from now" (the app should reload)
    gap = Signal()
    unauthorized = Signal()
    stateChanged = Signal()
    _relay = Signal(int, str, object)  # run id, kind, payload: from the worker thread

    def __init__(self) -> None:
        super().__init__()
        self._relay.connect(self._on_relay)
        self._run_id = 0
        self._state, self._detail = "offline", "Not connected."
        self._reason, self._retry_at, self._retry_in, self._retrying = "", 0.0, 0, False
        self.last_wait = 0.0  # the last wait chosen, in seconds (for tests)
        self._countdown = QTimer(self, interval=COUNTDOWN_TICK_MS)
        self._countdown.timeout.connect(self._tick)
        self.last_seq: int | None = None
        self.connections = 0  # sockets opened this session (tests and the status line)
        self.last_url = ""
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task | None = None
        self._wake: asyncio.Event | None = None  # set from the UI thread: retry now

    def _get_state(self) -> str:
        return self._state

    def _get_detail(self) -> str:
        return self._detail

    state = Property(str, _get_state, notify=stateChanged)
    detail = Property(str, _get_detail, notify=stateChanged)
    retryIn = Property(int, lambda self: self._retry_in, notify=stateChanged)
    retrying = Property(bool, lambda self: self._retrying, notify=stateChanged)

    def start(self, base_url: str, token: str, after: int | None) -> None:
        self.stop()
        self._run_id += 1
        self.last_seq = after
        run_id, ready = self._run_id, threading.Event()

        def work() -> None:
            loop = asyncio.new_event_loop()
            self._loop, self._wake = loop, asyncio.Event()
            self._task = loop.create_task(self._run(run_id, base_url, token, self._wake))
            ready.set()
            try:
                loop.run_until_complete(self._task)
            except asyncio.CancelledError:
                pass
            finally:
                loop.close()

        threading.Thread(target=work, name="barker-stream", daemon=True).start()
        ready.wait(5)

    @Slot()
    def stop(self) -> None:
        """Close the socket; whatever the old worker still sends is ignored."""
        self._run_id += 1
        loop, task = self._loop, self._task
        self._loop = self._task = None
        if loop and task and not loop.is_closed():
            loop.call_soon_threadsafe(task.cancel)
        self._set_state("offline", "Not connected.")

    @Slot()
    def retryNow(self) -> None:
        """Cut the wait short: the next attempt starts at once (and the backoff starts over)."""
        loop, wake = self._loop, self._wake
        if self._retrying and loop and wake and not loop.is_closed():
            loop.call_soon_threadsafe(wake.set)

    # -- worker thread -------------------------------------------------------------------------------
    async def _run(self, run_id: int, base_url: str, token: str, wake: asyncio.Event) -> None:
        backoff = Backoff()
        seq = self.last_seq
        loop = asyncio.get_running_loop()
        outage_began: float | None = None
        while True:
            url = ws_url(base_url, seq)
            wake.clear()
            self._send(run_id, "state", ("connecting", "Connecting…"))
            reason, code, unreached = LOST, None, False
            try:
                async with connect(url, subprotocols=[f"bearer.{token}"], open_timeout=10, ping_interval=20,
                                   ping_timeout=20, max_size=2**22) as ws:
                    self._send(run_id, "opened", url)
                    resumed = seq is not None
                    async for raw in ws:
                        message: dict[str, Any] = json.loads(raw)
                        kind = message.get("type")
                        if kind == "gap":
                            self._send(run_id, "gap", None)
                            continue
                        seq = max(seq or 0, int(message.get("seq", 0)))
                        if kind == "caught_up":
                            backoff.reset()
                            outage_began = None
                            self._send(run_id, "caught_up", (seq, resumed))
                        else:
                            self._send(run_id, "event", (seq, message))
                    code = ws.close_code
            except ConnectionClosed as e:
                code = e.rcvd.code if e.rcvd else None
            except (OSError, InvalidHandshake, InvalidURI, TimeoutError, ValueError) as e:
                reason, unreached = connection_failure(e), isinstance(e, OSError)
            if code in FATAL_CLOSES:
                self._send(run_id, "fatal", (code, FATAL_CLOSES[code]))
                return
            if code == 1012:
                reason = RESTARTING
            if outage_began is None:
                outage_began = loop.time()
            wait = backoff.next()
            if code == TOO_MANY_SOCKETS:  # retrying soon would only be refused again
                reason, wait = TOO_MANY, TOO_MANY_SOCKETS_WAIT * random.uniform(1.0, 1.2)
            self._send(run_id, "waiting", (reason, wait))
            probe = unreached and loop.time() - outage_began < PROBE_FOR
            if await self._pause(wait, wake, host_and_port(base_url) if probe else None):
                backoff.reset()

    @staticmethod
    async def _pause(seconds: float, wake: asyncio.Event, probe: tuple[str, int] | None) -> bool:
        """Wait `seconds` before the next attempt. Cut short by retry now (then True), or, given `probe`
        (host, port), as soon as something listens there again."""
        loop = asyncio.get_running_loop()
        end = loop.time() + seconds
        while (left := end - loop.time()) > 0:
            try:
                await asyncio.wait_for(wake.wait(), min(left, PROBE_EVERY) if probe else left)
                return True
            except TimeoutError:
                pass
            if probe and await listening(*probe):
                return False
        return False

    def _send(self, run_id: int, kind: str, payload: object) -> None:
        self._relay.emit(run_id, kind, payload)

    # -- UI thread -----------------------------------------------------------------------------------
    def _on_relay(self, run_id: int, kind: str, payload: Any) -> None:
        if run_id != self._run_id:
            return
        if kind == "state":
            self._set_state(*payload)
        elif kind == "waiting":
            self._reason, self.last_wait = payload
            self._retry_at, self._retrying = time.monotonic() + self.last_wait, True
            self._countdown.start()
            self._tick()
        elif kind == "opened":
            self.connections += 1
            self.last_url = payload
        elif kind == "event":
            self.last_seq, message = payload
            self.event.emit(message)
        elif kind == "caught_up":
            self.last_seq = payload[0]
            self._set_state("live", "live")
            self.caughtUp.emit(*payload)
        elif kind == "gap":
            self.gap.emit()
        elif kind == "fatal":
            code, text = payload
            self._set_state("offline", text)
            if code == 4401:
                self.unauthorized.emit()

    def _tick(self) -> None:
        """The countdown to the next attempt, in whole seconds (rounded up: "in 1 s" until it is due)."""
        left = max(0, math.ceil(self._retry_at - time.monotonic()))
        if left == 0:
            self._countdown.stop()
        when = f"Reconnecting in {left} s." if left else "Reconnecting…"
        self._set_state("offline", f"{self._reason} {when}", retry_in=left)

    def _set_state(self, state: str, detail: str, retry_in: int | None = None) -> None:
        """`retry_in`: the countdown's own update; any other state ends the countdown (and the retrying, unless
        it is the attempt itself)."""
        before = (self._state, self._detail, self._retry_in, self._retrying)
        if retry_in is None:
            self._countdown.stop()
            retry_in = 0
            self._retrying = self._retrying and state == "connecting"
        self._state, self._detail, self._retry_in = state, detail, retry_in
        if (state, detail, retry_in, self._retrying) != before:
            self.stateChanged.emit()
