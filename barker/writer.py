"""The single writer thread: request writes first, grouped into one commit; background work after.

SQLite allows one writer at a time, so a process gains nothing from several writer threads; what it can
gain is fewer commits. Every request write queued while the previous group was running is executed in
one transaction (each call inside its own savepoint, so one that raises rolls back alone), and none of
their results is released before that commit succeeds. A store without savepoints (ArangoDB: its
`capabilities.group_commit` is false) gets each request write alone, in its own transaction with its own conflict
retries, so one failure never rolls back the others. Fan-out batches are background work: they run only
when no request write is waiting, so a post never queues behind a long fan-out.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

from barker.errors import StoreUnavailable
from barker.ports.store import Store

log = logging.getLogger("barker.writer")
MAX_GROUP = 64


class WriterThread:
    def __init__(self, store: Store, *, name: str = "barker-write") -> None:
        self._store = store
        self._group_commit = store.capabilities.group_commit
        self._urgent: deque[tuple[Callable[[], Any], Future[Any]]] = deque()
        self._background: deque[tuple[Callable[[], Any], Future[Any]]] = deque()
        self._wake = threading.Condition()
        self._closing = False
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def submit(self, fn: Callable[[], Any], *, background: bool = False) -> Future[Any]:
        future: Future[Any] = Future()
        with self._wake:
            if self._closing:
                raise RuntimeError("the writer is shut down")
            (self._background if background else self._urgent).append((fn, future))
            self._wake.notify()
        return future

    def urgent_waiting(self) -> bool:
        """Whether a request write is queued: long background work checks this and commits early."""
        return bool(self._urgent)

    def shutdown(self) -> None:
        with self._wake:
            self._closing = True
            self._wake.notify()
        self._thread.join()

    def _run(self) -> None:
        while True:
            with self._wake:
                while not (self._urgent or self._background or self._closing):
                    self._wake.wait()
                if self._urgent:
                    size = MAX_GROUP if self._group_commit else 1
                    group = [self._urgent.popleft() for _ in range(min(size, len(self._urgent)))]
                elif self._background:
                    group = []
                    single = self._background.popleft()
                else:
                    return  # closing and drained
            if group:
                self._run_group(group)
            else:
                self._run_one(*single)

    def _run_group(self, group: list[tuple[Callable[[], Any], Future[Any]]]) -> None:
        if not self._group_commit:
            self._run_one(*group[0])  # one call, in the store's own transaction (retried on conflict)
            return
        # A write whose caller gave up (cancelled while queued) is dropped, never half-reported.
        group = [(fn, future) for fn, future in group if future.set_running_or_notify_cancel()]
        if not group:
            return
        outcomes: list[tuple[bool, Any]] = []
        try:
            with self._store.bulk():
                for fn, _ in group:
                    try:
                        with self._store.bulk():  # a savepoint: this call's writes stand or fall together
                            outcomes.append((True, fn()))
                    except Exception as e:  # delivered to its caller after the commit
                        outcomes.append((False, e))
        except Exception as e:  # the commit itself failed: nothing in the group happened
            # Each caller is told. A store fault (a full disk) is logged once per change by whoever tracks
            # the store's health, not once per group here.
            if not isinstance(e, StoreUnavailable):
                log.warning("group commit of %d writes failed: %s", len(group), e)
            for _, future in group:
                future.set_exception(e)
            return
        for (ok, value), (_, future) in zip(outcomes, group, strict=True):
            if ok:
                future.set_result(value)
            else:
                future.set_exception(value)

    @staticmethod
    def _run_one(fn: Callable[[], Any], future: Future[Any]) -> None:
        if not future.set_running_or_notify_cancel():
            return
        try:
            future.set_result(fn())
        except Exception as e:
            future.set_exception(e)
