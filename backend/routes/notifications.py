"""Your notifications and the read marker."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import Response

from backend.deps import Before, CallerDep, PageSize
from backend.render import json_response
from barker import models
from barker.policies import NOTIFICATION_TYPES
from barker.services import notifications

router = APIRouter(prefix="/v1/notifications", tags=["notifications"])
Error: dict[str, Any] = {"model": models.ErrorBody}
Types = Annotated[list[models.NotificationType] | None, Query(
    max_length=len(NOTIFICATION_TYPES), description="only these types (repeat it: types=reply&types=mention); "
                                                    "default all")]


@router.get("", response_model=models.NotificationPage, responses={422: Error})
async def list_notifications(caller: CallerDep, limit: PageSize = None, before: Before = None,
                             types: Types = None) -> Response:
    """Reactions to your barks, rebarks of them, replies to them, mentions of you and new followers, newest
    first, each with its time, who did it and the bark. Page with next_before. They stay when your stream
    is trimmed; the stream carries each live with its `notification_id`."""
    found = await notifications.page(caller.gw, caller.token, before, types, caller.page_size(limit))
    return json_response(found)


@router.post("/read", response_model=models.ReadMarker, responses={422: Error})
async def mark_notifications_read(body: models.NotificationsRead, caller: CallerDep) -> Response:
    """Mark your notifications read up to `up_to` (a notification id). The marker only moves forward and
    never past your newest notification. Returns the marker and how many are still unread."""
    return json_response(await notifications.mark_read(caller.gw, caller.token, body.up_to))


@router.get("/unread_count", response_model=models.ReadMarker)
async def unread_notifications(caller: CallerDep) -> Response:
    """How many of your notifications are newer than your read marker, and the marker."""
    return json_response(await notifications.unread(caller.gw, caller.token))
