from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from backend.deps import Before, CallerDep, PageSize
from backend.render import json_response
from barker import models
from barker.services import timelines

router = APIRouter(prefix="/v1/timelines", tags=["timelines"])


@router.get("/home", response_model=models.BarkPage)
async def home_timeline(caller: CallerDep, limit: PageSize = None, before: Before = None) -> Response:
    """Barks and rebarks by you and everyone you follow, newest first. Page with next_before."""
    return json_response(await timelines.home(caller.gw, caller.token, before, caller.page_size(limit)))


@router.get("/public", response_model=models.BarkPage)
async def public_timeline(caller: CallerDep, limit: PageSize = None,
                          before: Before = None) -> Response:
    """Everyone's barks, newest first."""
    return json_response(await timelines.public(caller.gw, caller.token, before, caller.page_size(limit)))
