"""Uploaded media: records, references from barks and avatars, and the sweep that deletes their files."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from barker.ports.types import MediaSweep, NewMedia


class Media(Protocol):
    """Upload records and their lifecycle (new, used, released, swept)."""

    def create_media(self, media: NewMedia) -> None:
        """Record an upload and count a reference to each of its files. Raises Conflict (code media_busy)
        when one of its files is being deleted right now (after a sweep announced it and before
        media_files_deleted): retry shortly, and write the files after this returns."""

    def describe_media(self, owner: int, media_id: int, description: str | None) -> dict[str, Any]:
        """Set or remove (None) the description of one of `owner`'s uploads, attached or not; on a bark it
        is rendered from now on. Returns the upload's Media object. NotFound (media_not_found) for one
        unknown, released or not theirs, changing nothing."""

    def set_avatar(self, user_id: int, media_id: int) -> None:
        """Make one of the user's avatar uploads their avatar (idempotent); the previous one is released.
        NotFound (media_not_found) for one unknown, expired or not theirs; Invalid (wrong_media_purpose)
        for a post upload; Conflict (media_in_use) for one used elsewhere."""

    def clear_avatar(self, user_id: int) -> bool:
        """Remove the avatar (releasing it); False if there was none."""

    def expire_media(self, unattached_before_ms: int, now_ms: int, limit: int) -> MediaSweep:
        """Delete up to `limit` media records that are released, or still unattached and created before
        `unattached_before_ms`, and drop their file references. Returns the keys of files that no record
        refers to any more (marked as being deleted since `now_ms`, so create_media waits for them), plus
        those announced more than MEDIA_DELETE_RETRY_MS ago and never confirmed."""

    def media_files_deleted(self, keys: Sequence[str]) -> None:
        """The files were deleted: forget them (a key referenced again meanwhile is kept)."""
