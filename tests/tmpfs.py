"""A small real filesystem that can be filled up: a tmpfs mounted for one test (the test machines run as
root). Where mounting is not allowed the test is skipped, and the reason is printed."""

from __future__ import annotations

import contextlib
import errno
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

CHUNK = 4096  # tmpfs hands out whole pages: filling page by page leaves no room at all


@contextlib.contextmanager
def mounted_tmpfs(where: Path, size: str) -> Iterator[Path]:
    where.mkdir(parents=True, exist_ok=True)
    mount = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(where)],
                           capture_output=True, text=True)
    if mount.returncode != 0:
        reason = f"cannot mount a tmpfs to fill up here ({mount.stderr.strip() or mount.returncode})"
        print(f"SKIP: {reason}", file=sys.stderr)
        pytest.skip(reason)
    try:
        yield where
    finally:
        # Lazy: a process that still holds a file open (a server being stopped) does not block the unmount.
        subprocess.run(["umount", "-l", str(where)], check=False)


def fill(directory: Path, name: str = "filler") -> Path:
    """Write a file until the filesystem has no room left; delete it to free the space again."""
    path = directory / name
    with open(path, "ab", buffering=0) as f:
        while True:
            try:
                f.write(b"\0" * CHUNK)
            except OSError as e:
                if e.errno != errno.ENOSPC:
                    raise
                return path
