"""Helpers for reading the store's rendered pages in tests."""

from __future__ import annotations

import secrets

import orjson

from barker.ids import now_ms
from barker.ports.store import Store
from barker.ports.types import SessionKey


def session_for(store: Store, user_id: int) -> SessionKey:
    """A fresh token for the user, as the store checks it."""
    digest = secrets.token_bytes(32)
    store.create_token(digest, user_id, now_ms() + 3_600_000)
    return SessionKey(digest, now_ms())


def home_ids(store: Store, session: SessionKey, before: int | None, limit: int) -> list[int]:
    """The bark ids of one home-timeline page, checking the page's own cursor on the way."""
    page = orjson.loads(store.home_page(session, before, limit).body)
    ids = [item["id"] for item in page["items"]]
    assert page["next_before"] == (ids[-1] if len(ids) == limit else None)
    return ids


def stream_seqs(store: Store, owner: int) -> list[int]:
    """The seqs of the owner's stream events, oldest first. Tests name entries by position in this list, not
    by number: a stream's seqs only grow, and in SQLite they come from one clock for all streams."""
    seqs = [e["seq"] for e in store.stream_events(owner, 0, 10_000).events]
    assert seqs == sorted(set(seqs))
    return seqs
