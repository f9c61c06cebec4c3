"""Time-ordered 53-bit integer ids, unique across processes.

Layout (most significant first): 41 bits of milliseconds since 2024-01-01 UTC (good until 2093),
5 bits of node id (each running process leases one from the store), 7 bits of per-millisecond sequence.
Ids are JSON-safe (< 2**53), sort by creation time in every store, and carry their own timestamp.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime

EPOCH_MS = 1_704_067_200_000  # 2024-01-01T00:00:00Z
NODE_BITS = 5
SEQ_BITS = 7
MAX_NODES = 1 << NODE_BITS
_SEQ_MASK = (1 << SEQ_BITS) - 1
_SHIFT = NODE_BITS + SEQ_BITS
MAX_ID = (1 << 53) - 1


def now_ms() -> int:
    return time.time_ns() // 1_000_000


def compose(ms: int, node: int = 0, seq: int = 0) -> int:
    """The id for a wall-clock millisecond (Unix epoch), node and sequence."""
    return ((ms - EPOCH_MS) << _SHIFT) | (node << SEQ_BITS) | seq


def created_ms(id_: int) -> int:
    """Unix milliseconds at which an id was made."""
    return (id_ >> _SHIFT) + EPOCH_MS


def iso(id_: int) -> str:
    """The creation time carried by an id, as ISO 8601 UTC with milliseconds (how the API shows times)."""
    return iso_ms(created_ms(id_))


def iso_ms(ms: int) -> str:
    """Unix milliseconds as ISO 8601 UTC with milliseconds."""
    return datetime.fromtimestamp(ms // 1000, UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"


class IdGenerator:
    """Thread-safe generator for one node. Never goes backwards, even if the clock does."""

    def __init__(self, node: int) -> None:
        if not 0 <= node < MAX_NODES:
            raise ValueError(f"node must be in [0, {MAX_NODES})")
        self.node = node
        self._lock = threading.Lock()
        self._last_ms = 0
        self._seq = 0

    def next(self) -> int:
        with self._lock:
            ms = max(now_ms(), self._last_ms)
            if ms == self._last_ms:
                self._seq += 1
                if self._seq > _SEQ_MASK:  # 128 ids in this millisecond already: borrow the next one
                    ms += 1
                    self._seq = 0
            else:
                self._seq = 0
            self._last_ms = ms
            return compose(ms, self.node, self._seq)
