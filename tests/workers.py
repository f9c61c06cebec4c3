"""Jobs for the worker-process tests. They run inside image worker processes, so they live in a small
module a worker can import (by reference, as pickle sends functions) without the test suite's imports."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any


def pid() -> int:
    return os.getpid()


def stall(pid_file: str, gate: str, *upload: Any) -> Any:
    """Say which process this is (in `pid_file`), then wait until `gate` exists (at most a minute, so a
    failed test leaves no process behind for long). Given an upload's arguments (data, purpose, limits), it
    then processes the upload: it stands in for image processing that takes as long as the test wants."""
    Path(pid_file).write_text(str(os.getpid()))
    deadline = time.monotonic() + 60
    while not Path(gate).exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    if upload:
        from barker.media.images import process

        return process(*upload)
    return None


def raise_memory_error(*_: Any) -> None:
    raise MemoryError
