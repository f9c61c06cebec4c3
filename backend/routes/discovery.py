"""Finding people: nearby users and suggestions. Included before the users router, so /v1/users/nearby is
not taken for a handle."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
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


@router.get("/users/search", response_model=models.UserSearchPage)
async def search_users(caller: CallerDep, q: Annotated[str, Query(max_length=64, description="handle, name or bio")],
                       limit: PageSize = None,
                       after: Annotated[str | None, Query(max_length=40, description="next from the last page")] = None
                       ) -> Response:
    """Users whose handle starts with q first, then display names with words starting with q's words,
    then bios containing all of q's words. Each with your follow state."""
    return json_response(await discovery.search(caller.gw, caller.token, q, after, caller.page_size(limit)))


@router.get("/users/nearby", response_model=models.NearbyPage, responses={409: Error, 429: Error})
async def nearby_users(caller: CallerDep, limit: PageSize = None,
                       max_km: Annotated[float | None, Query(gt=0, description="search radius in km")] = None
                       ) -> Response:
    """The users nearest to you who share their location, nearest first, with rounded distances.
    You must share yours first (409 location_required). Rate-limited."""
    return json_response(await discovery.nearby(caller.gw, caller.token, caller.page_size(limit), max_km))


@router.get("/suggestions", response_model=models.SuggestionPage)
async def list_suggestions(caller: CallerDep, limit: PageSize = None,
                           depth: Annotated[int, Query(ge=2, le=3, description="follow hops: 2 or 3")] = 2
                           ) -> Response:
    """People to follow: followed by people you follow (depth 2), or one hop further (depth 3). See the
    README for the ranking."""
    return json_response(await discovery.suggestions(caller.gw, caller.token, depth, caller.page_size(limit)))


@router.delete("/suggestions/{handle}", status_code=204, responses={404: Error})
async def dismiss_suggestion(handle: Annotated[str, Path(max_length=64)], caller: CallerDep) -> Response:
    """Never suggest this user again (idempotent)."""
    await discovery.dismiss(caller.gw, caller.token, handle)
    return Response(status_code=204)
