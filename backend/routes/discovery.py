"""Finding people: nearby users and suggestions. Included before the users router, so /v1/users/nearby is
not taken for a handle."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response
from pydantic import BeforeValidator, Field

from backend.deps import CallerDep, PageSize
from backend.render import budget_headers, json_response
from barker import models
from barker.services import discovery


def _whole_number(value: object) -> object:
    """max_km is compared with whole-km distances: a fraction (even 5.0) is refused, not rounded."""
    if (isinstance(value, str) and not value.isascii()) or (isinstance(value, str) and not value.isdigit()):
        raise ValueError("max_km must be a whole number of kilometres")
    return value


# The bounds sit on the int, so the schema shows them (on the Optional around it they would not).
WholeKm = Annotated[int, Field(ge=1, le=discovery.MAX_KM), BeforeValidator(_whole_number)]
router = APIRouter(prefix="/v1", tags=["discovery"])
Error = {"model": models.ErrorBody}


@router.put("/me/location", response_model=models.SharedLocation, responses={422: Error, 429: Error})
async def set_location(body: models.Location, caller: CallerDep) -> Response:
    """Share your location (opt-in). It is snapped to an H3 cell and only the cell is stored; the answer
    is what was stored. Optionally choose who may find you (`visibility`). Rate-limited."""
    return json_response(await discovery.set_location(caller.gw, caller.token, body.lat, body.lon,
                                                      body.visibility))


@router.get("/me/location", response_model=models.SharedLocation, responses={404: Error})
async def get_location(caller: CallerDep) -> Response:
    """Your shared location as stored (the centre of your cell, approximate) and who may find you."""
    return json_response(await discovery.my_location(caller.gw, caller.token))


@router.put("/me/nearby_visibility", response_model=models.SharedLocation, responses={409: Error, 422: Error})
async def set_nearby_visibility(body: models.VisibilityChoice, caller: CallerDep) -> Response:
    """Choose who may find you nearby: everyone, followers or nobody (pause; your location is kept).
    You must share a location first (409 location_required)."""
    return json_response(await discovery.set_visibility(caller.gw, caller.token, body.visibility))


@router.delete("/me/location", status_code=204)
async def clear_location(caller: CallerDep) -> Response:
    """Stop sharing your location: you are no longer found by anyone (idempotent)."""
    await discovery.clear_location(caller.gw, caller.token)
    return Response(status_code=204)


@router.get("/users/search", response_model=models.UserSearchPage)
async def search_users(caller: CallerDep,
                       q: Annotated[str, Query(min_length=1, max_length=64, pattern=r"\S",
                                               description="handle, name or bio (not blank)")],
                       limit: PageSize = None,
                       after: Annotated[str | None, Query(max_length=40, pattern=discovery.SEARCH_CURSOR_PATTERN,
                                                          description="next from the last page")] = None
                       ) -> Response:
    """Users whose handle starts with q first, then display names with words starting with q's words,
    then bios containing all of q's words. Each with your follow state."""
    return json_response(await discovery.search(caller.gw, caller.token, q, after, caller.page_size(limit)))


@router.get("/users/nearby", response_model=models.NearbyPage, responses={409: Error, 429: Error})
async def nearby_users(caller: CallerDep, limit: PageSize = None,
                       max_km: Annotated[WholeKm | None, Query(description=(
                           "only users whose rounded distance is at most this many whole km"))] = None
                       ) -> Response:
    """The users nearest to you who share their location and let you find them, by rounded distance between
    cell centres, then by user id. You must share yours first (409 location_required). Rate-limited."""
    return json_response(await discovery.nearby(caller.gw, caller.token, caller.page_size(limit), max_km))


@router.get("/suggestions", response_model=models.SuggestionPage)
async def list_suggestions(caller: CallerDep, limit: PageSize = None,
                           depth: Annotated[int, Query(ge=2, le=3, description="follow hops: 2 or 3")] = 2
                           ) -> Response:
    """People to follow: followed by people you follow (depth 2), or one hop further (depth 3). The ranking:
    docs/architecture.md (Discovery)."""
    return json_response(await discovery.suggestions(caller.gw, caller.token, depth, caller.page_size(limit)))


@router.delete("/suggestions/{handle}", status_code=204,
               responses={404: Error, 429: Error | {"description": "over your hourly or daily follow budget"}})
async def dismiss_suggestion(handle: Annotated[str, Path(max_length=64)], caller: CallerDep) -> Response:
    """Never suggest this user again (idempotent). Counts against your follow budget."""
    budget = await discovery.dismiss(caller.gw, caller.token, handle)
    return Response(status_code=204, headers=budget_headers(budget))


@router.put("/suggestions/{handle}", status_code=204, responses={404: Error})
async def undismiss_suggestion(handle: Annotated[str, Path(max_length=64)], caller: CallerDep) -> Response:
    """Take back a dismissal (Undo): this user may be suggested again (idempotent)."""
    await discovery.undismiss(caller.gw, caller.token, handle)
    return Response(status_code=204)
