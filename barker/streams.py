"""Live stream listeners in this process, and what wakes them.

A listener is one open socket (or any other live consumer) for one user: a `StreamSession`
(barker/stream_session.py), which owns its delivery state and transitions; the hub only admits it, wakes
it, reads for it, and tells it when its token has gone or it stopped reading. It holds no events: it only gets
woken, then re-reads the user's durable stream from its own cursor. So a lost wake-up costs latency, never
an event, and a slow listener costs no memory. The exception is a bark by an author above the fan-out
threshold: it is never copied into streams, so the hub hands its id to the online followers' listeners
(a bounded queue each) to send once, live.

A woken listener's read goes through the hub (`events_after`), which reads for all the listeners asking in
the same turn of the event loop at once: one store call for the 1,000 sockets a bark wakes, not 1,000.

Wake-ups come from the bus (see barker.bus). When the bus cannot deliver them (Redis down, or a separate
`barker worker` with the in-process bus), the hub wakes every listener each `poll_seconds` instead.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Iterable
from typing import Any

from barker.bus import Bus
from barker.errors import RateLimited
from barker.gateway import StoreGateway
from barker.ports.store import Store
from barker.ports.types import StreamEvents
from barker.stream_session import StreamSession

# Of a set of tokens, the ones that no longer authenticate. Authentication is a service's rule, and the hub
# sits below the services, so whoever builds the hub passes it in (barker.services.streams.tokens_gone).
TokensGone = Callable[[Store, Iterable[str | None]], set[str | None]]

log = logging.getLogger("barker.streams")
READ_BATCH = 200  # events per session per read
# Sessions per store read. Smaller groups let the first sockets send while the next group is read on
# another thread; larger ones cost less per socket (about 20 us each at 250 here, against 60 us alone).
READ_GROUP = 250


def _forget(future: asyncio.Future[Any]) -> None:
    """Drop a read nobody will wait for: cancelled if pending, its exception (if any) marked as seen."""
    if not future.cancel() and not future.cancelled():
        future.exception()


class StreamHub:
    def __init__(self, gw: StoreGateway, *, tokens_gone: TokensGone, poll_seconds: float, worker_in_process: bool,
                 send_timeout: float = 10.0, revalidate_seconds: float = 60.0,
                 sockets_per_user: int = 10) -> None:
        self._gw = gw
        self._tokens_gone = tokens_gone
        self._sockets_per_user = sockets_per_user
        self._send_timeout = send_timeout
        self._revalidate_seconds = revalidate_seconds
        self._bus: Bus = gw.bus
        self._poll_seconds = poll_seconds
        self._worker_in_process = worker_in_process
        self._listeners: dict[int, set[StreamSession]] = {}
        self._tasks: set[asyncio.Task[Any]] = set()
        self._wanted: list[tuple[int, int, asyncio.Future[StreamEvents]]] = []

    async def start(self) -> None:
        await self._bus.start(self._on_message, self.wake_all)
        self._spawn(self._poll())
        self._spawn(self._watch())

    def register(self, owner: int, token: str | None = None) -> StreamSession:
        """A new session for `owner`, admitted (see admit)."""
        return self.admit(StreamSession(owner, token))

    def admit(self, session: StreamSession) -> StreamSession:
        """Wake `session` from now on; RateLimited when its user already has sockets_per_user in this
        process. The newest is refused rather than the oldest closed: a working connection is never cut
        off, and a stolen token cannot be used to push its owner's devices off the stream."""
        group = self._listeners.setdefault(session.owner, set())
        if len(group) >= self._sockets_per_user:
            raise RateLimited(f"at most {self._sockets_per_user} stream connections per user: close one first",
                              code="too_many_sockets")
        group.add(session)
        return session

    def unregister(self, listener: StreamSession) -> None:
        group = self._listeners.get(listener.owner)
        if group is not None:
            group.discard(listener)
            if not group:
                del self._listeners[listener.owner]

    def open_sockets(self) -> int:
        """Stream sockets open in this process now (for /metrics)."""
        return sum(len(group) for group in self._listeners.values())

    def wake_all(self) -> None:
        for group in self._listeners.values():
            for listener in group:
                listener.wake()

    def _on_message(self, message: dict[str, Any]) -> None:
        for owner in message.get("streams", ()):
            for listener in self._listeners.get(owner, ()):
                self._prefetch(listener)
                listener.wake()
        if "bark" in message and self._listeners:
            self._spawn(self._deliver_live(int(message["bark"]), int(message["author"])))
        revoked = [lis for owner in message.get("revoked", ()) for lis in self._listeners.get(owner, ())]
        if revoked:  # a suspension: its sockets close now, not at the next revalidation
            self._spawn(self._revalidate(revoked))

    async def _deliver_live(self, bark_id: int, author: int) -> None:
        online = list(self._listeners)
        # The home rule: a reply goes live only to the followers whose home timeline it reaches.
        followers = await self._gw.read(self._gw.store.online_followers, author, online, bark_id)
        for owner in followers:
            for listener in self._listeners.get(owner, ()):
                listener.live_barks.append(bark_id)
                listener.wake()

    async def events_after(self, listener: StreamSession, after: int) -> StreamEvents:
        """The listener's stream after `after` (at most READ_BATCH events), read together with what every
        other listener asks for in this turn of the event loop; or the read a wake-up already started."""
        prefetched, listener.prefetched = listener.prefetched, None
        if prefetched is not None:
            if prefetched[0] == after:
                return await prefetched[1]
            _forget(prefetched[1])
        return await self._want(listener.owner, after)

    def _prefetch(self, listener: StreamSession) -> None:
        """Start the read a parked listener's session is about to ask for, so that it runs on a reader
        thread while the event loop is still waking the other sessions (1,000 take about 12 ms). Being
        started after the wake-up's commit, it sees what the wake-up is about."""
        if listener.parked_at is not None:
            if listener.prefetched is not None:  # an older wake-up's: this one reads as much, or more
                _forget(listener.prefetched[1])
            listener.prefetched = (listener.parked_at, self._want(listener.owner, listener.parked_at))

    def _want(self, owner: int, after: int) -> asyncio.Future[StreamEvents]:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[StreamEvents] = loop.create_future()
        if not self._wanted:
            loop.call_soon(self._read_wanted)  # after the listeners already woken have asked too
        self._wanted.append((owner, after, future))
        return future

    def _read_wanted(self) -> None:
        wanted, self._wanted = self._wanted, []
        for start in range(0, len(wanted), READ_GROUP):
            self._spawn(self._read_group(wanted[start:start + READ_GROUP]))

    async def _read_group(self, group: list[tuple[int, int, asyncio.Future[StreamEvents]]]) -> None:
        futures = [future for *_, future in group]
        try:
            slices = await self._gw.read(self._gw.store.stream_events_many,
                                         [(owner, after) for owner, after, _ in group], READ_BATCH)
            for future, events in zip(futures, slices, strict=True):
                if not future.done():  # its session may have ended meanwhile
                    future.set_result(events)
        except Exception as e:  # each listener's session reports it
            for future in futures:
                if not future.done():
                    future.set_exception(e)
        finally:
            for future in futures:
                future.cancel()  # does nothing to a future already resolved: only a cancelled read leaves any

    @property
    def needs_polling(self) -> bool:
        """True when a committed event might not reach us over the bus."""
        if not self._bus.connected:
            return True
        return not self._bus.shared and not self._worker_in_process

    async def _poll(self) -> None:
        while True:
            await asyncio.sleep(self._poll_seconds)
            if self.needs_polling:
                self.wake_all()

    async def _watch(self) -> None:
        """One timer for every listener, instead of two per socket per event (at 1,000 sockets a bark,
        asyncio.timeout's heap operations cost as much as the sends): cut off a socket stuck in one send
        for over send_timeout, and every revalidate_seconds end the sockets whose token has gone."""
        revalidate_at = time.monotonic() + self._revalidate_seconds
        while True:
            await asyncio.sleep(min(1.0, self._send_timeout / 4, self._revalidate_seconds))
            now = time.monotonic()
            listeners = [listener for group in self._listeners.values() for listener in group]
            for listener in listeners:
                if (listener.sending_since is not None and now - listener.sending_since > self._send_timeout
                        and listener.delivering):
                    listener.too_slow(self._send_timeout)
            if now >= revalidate_at:
                revalidate_at = now + self._revalidate_seconds
                await self._revalidate(listeners)

    async def _revalidate(self, listeners: list[StreamSession]) -> None:
        """End those of these sessions whose token has gone (expired or revoked)."""
        try:
            gone = await self._gw.read(self._tokens_gone, self._gw.store, {lis.token for lis in listeners})
        except Exception:  # the store is unavailable: the watchdog tries again next time
            log.warning("could not revalidate stream tokens", exc_info=True)
            return
        for listener in listeners:
            if listener.token in gone and listener.delivering:
                listener.token_revoked()

    def _spawn(self, coro: Any) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("stream hub task failed", exc_info=task.exception())

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        await self._bus.close()
