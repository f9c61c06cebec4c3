"""What this process last saw of its storage: for each path to it (request writes, background writes, reads,
the checkpoint, the media directory), whether it works, is full, or is unavailable.

A full disk fails every write, thousands a minute: logging each would fill what little room is left. So
each path's condition is logged once when it changes: "storage full (request writes): ..." when writes
start failing for lack of room, "storage writable again (request writes)" once they succeed again (and
keep succeeding: see StoreHealth). A path is only ever cleared by its own success: a read succeeding says
nothing about writes, and a small write that fits says nothing about the fan-out's big ones. /readyz
reports the paths requests depend on.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

from barker.errors import StorageFull, StoreUnavailable

log = logging.getLogger("barker.health")

REQUEST_WRITES = "request writes"
BACKGROUND_WRITES = "background writes"  # fan-out, compaction, media sweep
READS = "reads"
CHECKPOINT = "checkpoint"
MEDIA_FILES = "media files"
# What /readyz depends on: a process whose requests fail is not ready. (A failing checkpoint, fan-out or
# media directory is logged but leaves the API able to answer: taking it out of rotation would not help.)
SERVING = (REQUEST_WRITES, READS)


def kind(error: StoreUnavailable) -> str:
    """What went wrong, as /metrics labels it: "full" or "unavailable"."""
    return "full" if isinstance(error, StorageFull) else "unavailable"


def _started(path: str, error: StoreUnavailable) -> str:
    what = "storage full" if isinstance(error, StorageFull) else "store unavailable"
    return f"{what} ({path}): {error.message}"


def _ended(path: str, error: StoreUnavailable) -> str:
    return f"storage writable again ({path})" if isinstance(error, StorageFull) else f"store available again ({path})"


@dataclass
class _Problem:
    error: StoreUnavailable  # the latest
    failed_at: float  # time.monotonic() of the latest failure


class StoreHealth:
    """Per path, the problem it has, if any. A path is well again only once it has worked with no failure
    for `settle_seconds`: on a disk that is nearly full some writes still fit (SQLite reuses its WAL after
    each checkpoint), and without this a full disk would log "full" and "writable again" a few times a
    second and make /readyz flicker."""

    def __init__(self, settle_seconds: float = 5.0) -> None:
        self.settle_seconds = settle_seconds
        self._problems: dict[str, _Problem] = {}
        self._lock = threading.Lock()
        # Failures seen per (path, kind) since start, for /metrics: counted here, where every one passes.
        self._failures: dict[tuple[str, str], int] = {}

    def failed(self, path: str, error: StoreUnavailable) -> None:
        """`path` failed with `error`. Logged only if that path was well or failing in another way."""
        if not error.outage:
            return
        with self._lock:
            before = self._problems.get(path)
            self._problems[path] = _Problem(error, time.monotonic())
            counted = (path, kind(error))
            self._failures[counted] = self._failures.get(counted, 0) + 1
        if before is None or type(before.error) is not type(error) or before.error.code != error.code:
            log.warning(_started(path, error))

    def succeeded(self, path: str) -> None:
        """`path` worked. Called on every store call: costs one dict lookup while all is well."""
        if path not in self._problems:
            return
        with self._lock:
            problem = self._problems.get(path)
            if problem is None or time.monotonic() - problem.failed_at < self.settle_seconds:
                return
            del self._problems[path]
        log.warning(_ended(path, problem.error))

    def problem(self, path: str) -> StoreUnavailable | None:
        problem = self._problems.get(path)
        return problem.error if problem else None

    def failure_counts(self) -> dict[tuple[str, str], int]:
        """Failures seen since start by (path, kind)."""
        with self._lock:
            return dict(self._failures)

    def problems(self) -> dict[str, StoreUnavailable]:
        """Every failing path with its last error."""
        with self._lock:
            return {path: problem.error for path, problem in self._problems.items()}

    def first_problem(self, paths: tuple[str, ...] = SERVING) -> tuple[str, StoreUnavailable] | None:
        """The first of `paths` that is failing, with its last error; None when all of them work."""
        for path in paths:
            if (problem := self._problems.get(path)) is not None:
                return path, problem.error
        return None
