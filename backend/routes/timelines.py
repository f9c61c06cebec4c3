from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from backend.deps import BearerToken, Before, GatewayDep, PageLimit
from backend.render import json_response
from barker import models
from barker.services import timelines

router = APIRouter(prefix="/v1/timelines", tags=["timelines"])


@router.get("/home", response_model=models.BarkPage)
async def home_timeline(gw: GatewayDep, token: BearerToken, limit: PageLimit, before: Before = None) -> Response:
    """Barks and rebarks by you and everyone you follow, newest first. Page with next_before."""
    return json_response(await timelines.home(gw, token, before, limit))


@router.get("/public", response_model=models.BarkPage)
async def public_timeline(gw: GatewayDep, token: BearerToken, limit: PageLimit,
                          before: Before = None) -> Response:
    """Everyone's barks, newest first."""
    return json_response(await timelines.public(gw, token, before, limit))
