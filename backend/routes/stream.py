"""Your event stream: live over a websocket, or paged over HTTP. Protocol: docs/stream.md."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, WebSocket
from fastapi.responses import Response

from backend.deps import CallerDep, PageSize
from backend.render import json_response
from backend.stream_session import StreamSocket
from barker import models
from barker.ids import MAX_ID
from barker.services import streams

router = APIRouter(prefix="/v1/stream", tags=["stream"])


@router.websocket("")
async def stream_socket(ws: WebSocket) -> None:
    """Backlog after `after=<seq>` (or from now), then live events. See docs/stream.md."""
    await StreamSocket(ws, ws.app.state.gateway, ws.app.state.hub).run()


@router.get("/events", response_model=models.StreamEvents)
async def stream_events(caller: CallerDep, limit: PageSize = None,
                        after: Annotated[int | None, Query(ge=0, le=MAX_ID,
                                                           description="your last seq; omit for now")] = None
                        ) -> Response:
    """Your stream events after a seq, oldest first: the websocket's events for clients without one."""
    return json_response(await streams.events(caller.gw, caller.token, after, caller.page_size(limit)))


@router.get("/events/newest", response_model=models.StreamEvents)
async def newest_stream_events(caller: CallerDep, limit: PageSize = None) -> Response:
    """Your newest `limit` stream events, oldest first (say, the notification history at start-up); carry on
    with `after=last_seq`. Counted as events, never as seqs: seqs jump."""
    return json_response(await streams.newest(caller.gw, caller.token, caller.page_size(limit)))
