"""SQLite's failures as barker.errors: which mean "no room left", which "the store cannot serve right now",
and which are bugs (a bad statement must not pass for an outage: it stays a raw error)."""

from __future__ import annotations

import sqlite3

from barker.errors import StorageFull, StoreUnavailable

# Primary result codes (the low byte of an extended code, e.g. SQLITE_IOERR_WRITE) under which the store
# cannot serve now but may later: locked or busy past the busy timeout, an I/O error, a read-only file or
# directory, a file that cannot be opened, no memory, a damaged file.
_UNAVAILABLE = frozenset({sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED, sqlite3.SQLITE_NOMEM, sqlite3.SQLITE_READONLY,
                          sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PROTOCOL,
                          sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB})


def translate(exc: sqlite3.Error, what: str = "sqlite") -> StoreUnavailable | None:
    """StorageFull for SQLITE_FULL (the disk, a quota, or max_page_count), StoreUnavailable for the codes
    above, None for anything else (the caller re-raises it as it is)."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is None:
        return None
    if code & 0xFF == sqlite3.SQLITE_FULL:
        return StorageFull(f"storage is full ({what}: {exc})")
    if code & 0xFF in _UNAVAILABLE:
        return StoreUnavailable(f"{what}: {exc}")
    return None


def unavailable(exc: sqlite3.Error, what: str = "sqlite") -> StoreUnavailable:
    """Like translate, for places where any SQLite failure means the store cannot serve (opening it,
    starting a transaction, a plain read)."""
    return translate(exc, what) or StoreUnavailable(f"{what}: {exc}")
