"""Media: image validation and renditions (images.py, Pillow) and file storage (storage.py)."""

from __future__ import annotations

from dataclasses import dataclass

from barker.media.images import Limits, Processed, Purpose, Rendition, process
from barker.media.storage import LocalMediaStorage, MediaStorage, valid_key
from barker.settings import Settings

__all__ = ["Limits", "LocalMediaStorage", "MediaStorage", "Processed", "Purpose", "Rendition", "UploadForm",
           "limits", "process", "valid_key"]


@dataclass(frozen=True, slots=True)
class UploadForm:
    """What an upload request carries: the image's bytes, and its description as sent (None: no such field)."""

    data: bytes
    description: str | None = None


def limits(settings: Settings) -> Limits:
    return Limits(max_bytes=settings.media_max_bytes, max_pixels=settings.media_max_pixels,
                  original_px=settings.media_original_px, display_px=settings.media_display_px,
                  thumbnail_px=settings.media_thumbnail_px, avatar_px=settings.media_avatar_px,
                  avatar_thumbnail_px=settings.media_avatar_thumbnail_px)
