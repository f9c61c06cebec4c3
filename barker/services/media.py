"""Uploading images, avatars, and the sweep that deletes what nothing uses any more."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from barker import media as media_lib
from barker import validation
from barker.errors import Conflict, StorageFull, StoreUnavailable
from barker.gateway import StoreGateway
from barker.health import MEDIA_FILES
from barker.ids import created_ms, iso_ms, now_ms
from barker.media import MediaStorage, Processed, Purpose, UploadForm
from barker.ports.accounts import Accounts, Tokens
from barker.ports.media import Media
from barker.ports.rate_limits import RateLimits
from barker.ports.types import NewMedia
from barker.rate_limits import Budget, charge, per_user_hourly, per_user_writes
from barker.services import authenticate, periodic


class MediaStore(Media, Accounts, Tokens, RateLimits, Protocol):
    """What the media service uses of the store: upload records, avatars, who is asking, the upload limit."""

log = logging.getLogger("barker.media")
SWEEP_BATCH = 500
SWEEP_INTERVAL_SECONDS = 60.0
BUSY_RETRIES = 8  # an upload whose file is being deleted waits up to ~1.3 s (deleting takes milliseconds)


async def upload(gw: StoreGateway, storage: MediaStorage, token: str | None, purpose: Purpose,
                 read_body: Callable[[int], Awaitable[UploadForm]]) -> dict[str, Any]:
    """Authenticate and rate-limit first; only then read the body (through `read_body(max_bytes)`, which
    stops at the limit), check the description, validate and render the image in an image worker process,
    record it, and write its files. A rejected upload writes no record and no file (it still counts against
    the hourly limit)."""
    settings = gw.settings

    def admit(store: MediaStore) -> int:
        user_id = authenticate(store, token)
        charge(store, per_user_hourly("uploads", "media", user_id, settings.media_uploads_per_hour), now_ms())
        return user_id

    owner = await gw.write(admit, gw.store)
    form = await read_body(settings.media_max_bytes)
    description = validation.media_description(form.description or "") or None  # before the costly part
    # In a worker process: decoded pixels never enter this one (a full queue is Busy: 503).
    processed: Processed = await gw.images.run(media_lib.process, form.data, purpose, media_lib.limits(settings))
    media_id = gw.ids.next()
    created = created_ms(media_id)
    view = {"id": media_id, "width": processed.display.width, "height": processed.display.height,
            "animated": processed.animated, "url": storage.url(processed.display.key),
            "thumbnail_url": storage.url(processed.thumbnail.key), "original_url": storage.url(processed.original.key),
            "description": description}
    files = processed.files()
    record = NewMedia(media_id, owner, purpose, created, view, tuple(f.key for f in files))
    for attempt in range(BUSY_RETRIES):
        try:
            await gw.write(gw.store.create_media, record)
            break
        except Conflict as e:
            if e.code != "media_busy" or attempt == BUSY_RETRIES - 1:
                raise
            await asyncio.sleep(0.01 * 2 ** attempt)
    # The record is in first, so no sweep can take these files away from here on; written after, a file
    # that is already there (an identical upload) is left as it is.
    # If they cannot be written, the record stays unattached (nobody learns its id) and expires with them.
    try:
        await asyncio.to_thread(_write_files, storage, processed)
    except StorageFull as e:
        gw.health.failed(MEDIA_FILES, e)
        raise
    except OSError as e:
        error = StoreUnavailable(f"media storage is unavailable ({e.strerror})", code="media_storage_unavailable")
        gw.health.failed(MEDIA_FILES, error)
        raise error from e
    gw.health.succeeded(MEDIA_FILES)
    expires = created + settings.media_unattached_ttl_seconds * 1000
    return {**view, "purpose": purpose, "expires_at": iso_ms(expires)}


def _write_files(storage: MediaStorage, processed: Processed) -> None:
    for rendition in processed.files():
        storage.put(rendition.key, rendition.data)


async def describe(gw: StoreGateway, token: str | None, media_id: int,
                   description: str | None) -> tuple[dict[str, Any], Budget | None]:
    """Set or remove (None or "": validated by the caller, models.MediaDescription) an upload's description,
    before or after it is attached: alt text is often written or fixed later. An edit is a write like a
    bark, and counts against the same budget. Returns the Media object and what is left of that budget."""

    def change(store: MediaStore) -> tuple[dict[str, Any], Budget | None]:
        user_id = authenticate(store, token)
        budget = charge(store, per_user_writes(gw.settings, "barks", user_id), now_ms())
        return store.describe_media(user_id, media_id, description or None), budget

    return await gw.write(change, gw.store)


async def set_avatar(gw: StoreGateway, token: str | None, media_id: int) -> dict[str, Any]:
    def choose(store: MediaStore) -> dict[str, Any]:
        user_id = authenticate(store, token)
        store.set_avatar(user_id, media_id)
        return store.user_view(user_id, user_id) or {}

    return await gw.write(choose, gw.store)


async def clear_avatar(gw: StoreGateway, token: str | None) -> None:
    def clear(store: MediaStore) -> None:
        store.clear_avatar(authenticate(store, token))

    await gw.write(clear, gw.store)


async def sweep(gw: StoreGateway, storage: MediaStorage, now: int | None = None) -> int:
    """Delete released media and uploads left unattached past their time, then the files no record uses
    any more. Returns how many records went. Safe to run in several processes at once."""
    now = now_ms() if now is None else now
    cutoff = now - gw.settings.media_unattached_ttl_seconds * 1000
    removed = 0
    while True:
        found = await gw.write_background(gw.store.expire_media, cutoff, now, SWEEP_BATCH)
        removed += found.removed
        if found.keys:
            await asyncio.to_thread(_delete_files, storage, found.keys)
            await gw.write_background(gw.store.media_files_deleted, found.keys)
        if found.removed < SWEEP_BATCH:
            return removed


def _delete_files(storage: MediaStorage, keys: list[str]) -> None:
    for key in keys:
        storage.delete(key)


async def keep_sweeping(gw: StoreGateway, storage: MediaStorage, interval: float = SWEEP_INTERVAL_SECONDS) -> None:
    """The periodic sweep of the API process (see sweep)."""
    await periodic.every(interval, "media sweep (records)", lambda: sweep(gw, storage))
