"""The live stream: a websocket on a worker thread (asyncio + the `websockets` package), because the UI
thread must never wait on the network. It keeps the last seq it has passed on, reconnects with backoff
(0.5 s doubling to 30 s, with jitter) and resumes with `after=<last seq>`, so nothing is lost across a
network drop; a `gap` asks the app to reload. Protocol: docs/stream.md."""

from __future__ import annotations

import asyncio
import json
import random
import threading
from typing import Any

from PySide6.QtCore import Property, QObject, Signal, Slot
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidURI

FIRST_DELAY, MAX_DELAY = 0.5, 30.0
FATAL_CLOSES = {4400: "the server refused the stream request", 4401: "the session is no longer valid"}
TOO_MANY_SOCKETS = 4429  # this user's other sockets fill the server's cap: wait the longest backoff


def ws_url(base_url: str, after: int | None) -> str:
    url = base_url.rstrip("/").replace("https://", "wss://", 1).replace("http://", "ws://", 1) + "/v1/stream"
    return url if after is None else f"{url}?after={after}"


class Stream(QObject):
    """Signals arrive on the UI thread (queued from the worker). `state` is connecting / live / offline."""

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
        self._state, self._detail = "offline", "not connected"
        self.last_seq: int | None = None
        self.connections = 0  # sockets opened this session (tests and the status line)
        self.last_url = ""
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task | None = None

    def _get_state(self) -> str:
        return self._state

    def _get_detail(self) -> str:
        return self._detail

    state = Property(str, _get_state, notify=stateChanged)
    detail = Property(str, _get_detail, notify=stateChanged)

    def start(self, base_url: str, token: str, after: int | None) -> None:
        self.stop()
        self._run_id += 1
        self.last_seq = after
        run_id, ready = self._run_id, threading.Event()

        def work() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            self._task = loop.create_task(self._run(run_id, base_url, token))
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
        self._set_state("offline", "not connected")

    # -- worker thread -------------------------------------------------------------------------------
    async def _run(self, run_id: int, base_url: str, token: str) -> None:
        delay = FIRST_DELAY
        seq = self.last_seq
        while True:
            url = ws_url(base_url, seq)
            self._send(run_id, "state", ("connecting", "connecting to the stream"))
            reason = "connection lost"
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
                            delay = FIRST_DELAY
                            self._send(run_id, "caught_up", (seq, resumed))
                        else:
                            self._send(run_id, "event", (seq, message))
                    code = ws.close_code
            except ConnectionClosed as e:
                code = e.rcvd.code if e.rcvd else None
            except (OSError, InvalidHandshake, InvalidURI, TimeoutError, ValueError) as e:
                code, reason = None, f"server unreachable ({type(e).__name__})"
            if code in FATAL_CLOSES:
                self._send(run_id, "fatal", (code, FATAL_CLOSES[code]))
                return
            if code == 1012:
                reason = "the server is restarting"
            elif code == TOO_MANY_SOCKETS:  # retrying at once would only be refused again
                reason, delay = "too many open stream connections", MAX_DELAY
            wait = delay * random.uniform(0.8, 1.2)
            self._send(run_id, "state", ("offline", f"{reason}; reconnecting in {wait:.0f} s"))
            await asyncio.sleep(wait)
            delay = min(delay * 2, MAX_DELAY)

    def _send(self, run_id: int, kind: str, payload: object) -> None:
        self._relay.emit(run_id, kind, payload)

    # -- UI thread -----------------------------------------------------------------------------------
    def _on_relay(self, run_id: int, kind: str, payload: Any) -> None:
        if run_id != self._run_id:
            return
        if kind == "state":
            self._set_state(*payload)
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

    def _set_state(self, state: str, detail: str) -> None:
        if (state, detail) != (self._state, self._detail):
            self._state, self._detail = state, detail
            self.stateChanged.emit()
