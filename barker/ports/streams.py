"""The durable per-user streams that every bark is copied into, and the outbox of fan-out jobs that
copies it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from barker.ports.types import FanoutProgress, Job, StreamEvents


class Streams(Protocol):
    """Reading users' streams (what the live websocket delivers)."""

    def stream_events(self, owner: int, after: int | None, limit: int) -> StreamEvents:
        """Entries with seq > `after`, oldest first, at most `limit`. `after=None` means "from now": no
        events, and last_seq is the newest seq. An entry whose bark or reaction was deleted is skipped, and so
        is one hidden from the owner (docs/safety.md: a bark hidden from them, a notification whose actor is
        hidden from them); a skipped entry still counts toward `limit` and moves last_seq past it."""

    def stream_newest_cursor(self, owner: int, count: int) -> int:
        """The cursor the owner's newest `count` (>= 1) entries come after: stream_events(owner, it, count)
        reads them. Just below the count-th newest entry's seq; with fewer entries, how far the stream was
        trimmed (0 if never). Seqs jump, so this is never "the newest seq minus count"."""

    def stream_events_many(self, requests: Sequence[tuple[int, int]], limit: int) -> list[StreamEvents]:
        """stream_events(owner, after, limit) for each (owner, after), in order, from one snapshot where the
        engine allows: what the stream hub reads for all the sockets one wake-up touches. Views of the same
        bark may be one shared object: read them, don't mutate them."""

    def stream_head(self, owner: int) -> int:
        """The newest seq in the owner's stream (0 if it never had one)."""


class Outbox(Protocol):
    """Queued fan-out and backfill jobs, run in batches by barker.fanout."""

    def next_jobs(self, limit: int) -> list[Job]: ...

    def run_fanout_batch(self, job: Job, batch_size: int) -> FanoutProgress:
        """Copy the next batch of the job into streams (idempotently) and record progress atomically;
        on the last batch, delete the job."""

    def pending_jobs(self) -> int: ...
