"""Your event stream: live over a websocket, or paged over HTTP. Protocol: docs/stream.md."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, WebSocket
from fastapi.responses import Response

from backend.deps import CallerDep, PageSize
from backend.render import json_response
from backend.stream_session import StreamSession
from barker import models
from barker.errors import Invalid
from barker.ids import MAX_ID
from barker.services import streams

router = APIRouter(prefix="/v1/stream", tags=["stream"])
NEWEST = ("instead of after: your newest this many events, oldest first, at most BARKER_PAGE_SIZE_MAX (100 "
          "by default); not with after or limit")


@router.websocket("")
async def stream_socket(ws: WebSocket) -> None:
    """Backlog after `after=<seq>` (or from now), then live events. See docs/stream.md."""
    await StreamSession(ws, ws.app.state.gateway, ws.app.state.hub).run()


@router.get("/events", response_model=models.StreamEvents)
async def stream_events(caller: CallerDep, limit: PageSize = None,
                        after: Annotated[int | None, Query(ge=0, le=MAX_ID,
                                                           description="your last seq; omit for now")] = None,
                        newest: Annotated[int | None, Query(ge=1, description=NEWEST)] = None) -> Response:
    """Your stream events after a seq, oldest first: the websocket's events for clients without one. Or,
    with `newest=N`, your newest N events (a notification history at start-up), oldest first."""
    if newest is None:
        return json_response(await streams.events(caller.gw, caller.token, after, caller.page_size(limit)))
    if after is not None or limit is not None:
        raise Invalid("newest cannot be combined with after or limit", code="conflicting_parameters")
    return json_response(await streams.newest(caller.gw, caller.token, caller.page_size(newest, "newest")))
