"""Finding people: nearby users. Included before the users router, so /v1/users/nearby is not a handle."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from backend.deps import CallerDep, PageSize
from backend.render import json_response
from barker import models
from barker.services import discovery

router = APIRouter(prefix="/v1", tags=["discovery"])
Error = {"model": models.ErrorBody}


@router.put("/me/location", response_model=models.Location, responses={429: Error})
async def set_location(body: models.Location, caller: CallerDep) -> Response:
    """Share your location (opt-in; only you ever see it). Rate-limited."""
    return json_response(await discovery.set_location(caller.gw, caller.token, body.lat, body.lon))


@router.get("/me/location", response_model=models.Location, responses={404: Error})
async def get_location(caller: CallerDep) -> Response:
    """Your shared location, if any."""
    return json_response(await discovery.my_location(caller.gw, caller.token))


@router.delete("/me/location", status_code=204)
async def clear_location(caller: CallerDep) -> Response:
    """Stop sharing your location: you are no longer found by anyone (idempotent)."""
    await discovery.clear_location(caller.gw, caller.token)
    return Response(status_code=204)


@router.get("/users/nearby", response_model=models.NearbyPage, responses={409: Error, 429: Error})
async def nearby_users(caller: CallerDep, limit: PageSize = None,
                       max_km: Annotated[float | None, Query(gt=0, description="search radius in km")] = None
                       ) -> Response:
    """The users nearest to you who share their location, nearest first, with rounded distances.
    You must share yours first (409 location_required). Rate-limited."""
    return json_response(await discovery.nearby(caller.gw, caller.token, caller.page_size(limit), max_km))
