"""Leaving: deleting one's account (everything of it, at once) and reading what the data export holds
beyond the pages other ports already serve (the user's reactions and uploads)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from barker.ports.types import MediaPurpose


@dataclass(frozen=True)
class ExportedReaction:
    bark: int
    emoji: str
    id: int  # time-ordered: when it was left


@dataclass(frozen=True)
class ExportedMedia:
    id: int
    purpose: MediaPurpose
    view: dict[str, Any]  # the API's Media object
    keys: tuple[str, ...]  # storage keys of its files; the original's first


class Departures(Protocol):
    """Account deletion and the export's own reads."""

    def delete_account(self, user_id: int, now_ms: int) -> None:
        """Delete the account and everything of it in one transaction: its barks (as delete_bark does each,
        so others' counters, reply tombstones and notifications follow), rebarks, reactions (others' bark
        counts corrected), follows both ways (others' counts corrected), bookmarks, notifications it owns
        or caused, its stream and the entries it caused in others' streams, location, tokens, rate-limit
        counters keyed by it, dismissed suggestions, and its mention in others' barks. Its uploads are
        released (the media sweep deletes records and files). Its canonical handle stays taken
        (create_user raises Conflict handle_taken). NotFound if there is no such user."""

    def reactions_page(self, user_id: int, after: tuple[int, str] | None, limit: int) -> Sequence[ExportedReaction]:
        """The user's reactions in (bark, emoji) order after the cursor (None: from the start)."""

    def media_page(self, user_id: int, after: int, limit: int) -> Sequence[ExportedMedia]:
        """The user's uploads not released, by id after `after` (0: from the start)."""
