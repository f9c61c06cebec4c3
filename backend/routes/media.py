"""Image uploads, avatars, and the media files themselves."""

from __future__ import annotations

import asyncio
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from backend.deps import CallerDep, MediaStorageDep
from backend.render import budget_headers, json_response
from backend.uploads import read_upload_form
from barker import models
from barker.errors import NotFound
from barker.ids import MAX_ID
from barker.media import valid_key
from barker.media.images import EXTENSIONS
from barker.services import media
from barker.validation import MEDIA_DESCRIPTION_MAX

router = APIRouter(prefix="/v1", tags=["media"])
files = APIRouter(tags=["media"])
Error = {"model": models.ErrorBody}
# Content-addressed: the bytes behind a URL never change, so any cache may keep them for good.
IMMUTABLE = "public, max-age=31536000, immutable"
INLINE_READ_BYTES = 64 * 1024

UPLOAD_BODY = {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["file"],
    "properties": {"file": {"type": "string", "format": "binary",
                            "description": "a JPEG, PNG, WebP or GIF image (judged by its content)"},
                   "description": {"type": "string", "maxLength": MEDIA_DESCRIPTION_MAX,
                                   "description": "what the image shows (alt text), optional: plain text, "
                                                  "trimmed, line breaks allowed; empty for none"}}}}}}}


@router.post("/media", status_code=201, response_model=models.UploadedMedia, openapi_extra=UPLOAD_BODY,
             responses={413: Error, 415: Error, 422: Error, 429: Error, 503: Error})
async def upload_media(request: Request, caller: CallerDep, storage: MediaStorageDep,
                       purpose: Annotated[Literal["post", "avatar"], Query(
                           description="post: for barks (display image and thumbnail); avatar: square crops "
                                       "for PUT /v1/me/avatar")] = "post") -> Response:
    """Upload an image (multipart/form-data, field `file`): JPEG, PNG, WebP or GIF, at most 8 MiB and 33
    megapixels by default. Metadata (EXIF with GPS, XMP, ICC, comments) is removed; orientation is applied.
    An optional field `description` gives its alt text. Attach the returned id to a bark (`media_ids`) or
    make it your avatar before `expires_at`."""
    view = await media.upload(caller.gw, storage, caller.token, purpose,
                              lambda limit: read_upload_form(request, limit))
    return json_response(view, 201)


@router.put("/media/{media_id}", response_model=models.Media,
            responses={404: Error, 422: Error, 429: Error | {
                "description": "over your hourly or daily bark budget (X-RateLimit-* headers, Retry-After)"}})
async def describe_media(media_id: Annotated[int, Path(ge=1, le=MAX_ID)], body: models.MediaDescriptionChange,
                         caller: CallerDep) -> Response:
    """Set, change or remove (empty or null) the description (alt text) of one of your uploads, before or after
    it is attached to a bark: the bark shows the new one from then on. Counts against your bark budget."""
    view, budget = await media.describe(caller.gw, caller.token, media_id, body.description)
    return json_response(view, headers=budget_headers(budget))


@router.put("/me/avatar", response_model=models.User, responses={404: Error, 409: Error, 422: Error})
async def set_avatar(body: models.AvatarChoice, caller: CallerDep) -> Response:
    """Make one of your uploads (made with purpose=avatar) your profile picture; the previous one is deleted."""
    return json_response(await media.set_avatar(caller.gw, caller.token, body.media_id))


@router.delete("/me/avatar", status_code=204)
async def remove_avatar(caller: CallerDep) -> Response:
    """Remove your profile picture (idempotent)."""
    await media.clear_avatar(caller.gw, caller.token)
    return Response(status_code=204)


def _matches(if_none_match: str, etag: str) -> bool:
    tags = [t.strip().removeprefix("W/") for t in if_none_match.split(",")]
    return "*" in tags or etag in tags


@files.get("/media/{name}", responses={200: {"content": {t: {} for t in EXTENSIONS.values()},
                                             "description": "the image"}, 304: {"description": "not modified"},
                                        404: Error})
async def get_media_file(request: Request, storage: MediaStorageDep,
                         name: Annotated[str, Path(description="<sha256>.<ext>")]) -> Response:
    """A stored image, by its content address: public, immutable, cacheable forever."""
    if not valid_key(name):
        raise NotFound("no such media file")
    # Existence first: a 304 for a name that was never stored (or was deleted) would tell a cache to keep
    # serving something that does not exist. A stat is cheap next to a request.
    size = storage.size(name)
    if size is None:
        raise NotFound("no such media file")
    etag = f'"{name.partition(".")[0]}"'
    headers = {"Cache-Control": IMMUTABLE, "ETag": etag}  # nosniff: backend/security_headers.py
    if _matches(request.headers.get("if-none-match", ""), etag):
        return Response(status_code=304, headers=headers)
    # A thumbnail (tens of KiB, in the page cache when it is popular) is read in less time than a hand-off
    # to a thread takes; larger files are read on one.
    data = storage.read(name) if size <= INLINE_READ_BYTES else await asyncio.to_thread(storage.read, name)
    if data is None:
        raise NotFound("no such media file")
    return Response(data, media_type=EXTENSIONS[name.rpartition(".")[2]], headers=headers)
