"""Where media files live, behind a small interface so an object store (S3, GCS, MinIO) can replace the
server's own disk later: content-addressed keys in, bytes out.

A key is `<sha256 of the bytes>.<ext>`: the same bytes always get the same key, so writing is idempotent,
a file never changes once written (caches may keep it forever), and identical uploads share one file.
Deleting is the caller's business: the store counts which media rows refer to a key (see
Store.expire_media) and a file is deleted only once none does.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
from pathlib import Path
from typing import Protocol

from barker.errors import StorageFull

KEY_RE = re.compile(r"[0-9a-f]{64}\.(jpg|png|webp|gif)")
URL_PREFIX = "/media/"
NO_ROOM = frozenset({errno.ENOSPC, errno.EDQUOT})  # the disk is full; the owner's quota is used up


def valid_key(key: str) -> bool:
    return KEY_RE.fullmatch(key) is not None


class MediaStorage(Protocol):
    def put(self, key: str, data: bytes) -> None:
        """Store `data` under `key` (its content address); idempotent. Once it returns, the file is
        durable and read() returns it."""

    def read(self, key: str) -> bytes | None:
        """The file's bytes, or None if there is no such file."""

    def size(self, key: str) -> int | None:
        """The file's size in bytes, or None if there is no such file (cheap: no content is read)."""

    def delete(self, key: str) -> None:
        """Remove the file; a missing file is not an error."""

    def url(self, key: str) -> str:
        """Where clients fetch the file: a path on this API (local disk) or an absolute URL (a CDN)."""


class LocalMediaStorage:
    """Files under `root`, fanned out by the first two byte pairs of the hash (`ab/cd/abcd...ef.jpg`), so no
    directory grows past a few hundred entries. Written atomically: a temporary file in the same directory,
    fsync'd, then renamed over the final name (a reader sees the whole file or none)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, key: str) -> Path:
        if not valid_key(key):  # also what keeps a key from naming anything outside root
            raise ValueError(f"not a media key: {key!r}")
        return self.root / key[:2] / key[2:4] / key

    def put(self, key: str, data: bytes) -> None:
        """Raises StorageFull when the disk (or the user's quota) has no room: the partial file is gone."""
        final = self.path(key)
        if final.exists():  # same key, same bytes
            return
        temp = final.with_name(f".{key}.{secrets.token_hex(6)}.tmp")
        try:
            final.parent.mkdir(parents=True, exist_ok=True)
            with open(temp, "xb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.replace(temp, final)
        except BaseException as e:
            with contextlib.suppress(OSError):
                temp.unlink()
            if isinstance(e, OSError) and e.errno in NO_ROOM:
                raise StorageFull(f"storage is full (media files: {e.strerror})") from e
            raise
        _fsync_dir(final.parent)

    def read(self, key: str) -> bytes | None:
        try:
            return self.path(key).read_bytes()
        except (FileNotFoundError, NotADirectoryError, ValueError):
            return None

    def size(self, key: str) -> int | None:
        try:
            return self.path(key).stat().st_size
        except (FileNotFoundError, NotADirectoryError, ValueError):
            return None

    def delete(self, key: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path(key).unlink()

    def url(self, key: str) -> str:
        return URL_PREFIX + key

    def keys(self) -> list[str]:
        """Every stored key (for tests and inspection; walks the whole tree)."""
        return sorted(p.name for p in self.root.glob("??/??/*") if valid_key(p.name))


def _fsync_dir(directory: Path) -> None:
    """Make a rename in `directory` durable (the file's own fsync does not cover its directory entry)."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
