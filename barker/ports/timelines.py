"""Home and public timelines, rendered whole by the store (the hottest reads)."""

from __future__ import annotations

from typing import Protocol

from barker.ports.types import RawJson, SessionKey


class Timelines(Protocol):
    """Timeline pages as the API's JSON bodies, each in one query."""

    def home_page(self, session: SessionKey, before: int | None, limit: int) -> RawJson:
        """The caller's home timeline page as the API's BarkPage JSON, in one query: barks and rebarks by
        them and everyone they follow, newest first, below `before`. Three sources, merged:
        1. the caller's stream, filled by fan-out on write (the common case: one index range scan);
        2. barks of followed authors above the fan-out threshold, never copied (the hybrid rule);
        3. below the stream's floor (left by trimming or a large backfill), the newest barks of followed
           authors, so a timeline is never wrongly empty however far back one pages.
        Raises Unauthorized for an unknown, revoked or expired token."""

    def public_page(self, session: SessionKey, before: int | None, limit: int) -> RawJson:
        """Everyone's barks, newest first, as BarkPage JSON; raises Unauthorized like home_page."""
