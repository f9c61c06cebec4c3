"""Blocks and mutes: the caller's own filters on other users. Thin: barker/services/safety.py decides."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Path
from fastapi.responses import Response

from backend.deps import Before, CallerDep, PageSize
from backend.render import budget_headers, json_response
from barker import models
from barker.services import safety

router = APIRouter(prefix="/v1/me", tags=["safety"])
Handle = Annotated[str, Path(max_length=64)]
Error: dict[str, Any] = {"model": models.ErrorBody}
Limits: dict[int | str, dict[str, Any]] = {
    429: Error | {"description": "over your hourly or daily budget of blocks and mutes (Retry-After)"}}
Unknown: dict[int | str, dict[str, Any]] = {404: Error | {"description": "no such user"}}


@router.get("/blocks", response_model=models.UserPage)
async def list_blocks(caller: CallerDep, before: Before = None, limit: PageSize = None) -> Response:
    """The users you block, most recently blocked first."""
    page = await safety.my_blocks(caller.gw, caller.token, before, caller.page_size(limit))
    return json_response({"items": page.items, "next_before": page.next_before})


@router.put("/blocks/{handle}", response_model=models.User, responses=Unknown | Limits | {
    422: Error | {"description": "blocking yourself (`cannot_block_self`)"}})
async def block(handle: Handle, caller: CallerDep) -> Response:
    """Block a user (idempotent). Follows between you end both ways, and so do your reactions to and rebarks
    of each other's barks. From then on neither of you can follow, reply to, mention, react to or rebark
    the other, and each disappears from everything the other reads (timelines, threads, search,
    suggestions, nearby, lists, the stream, notifications). They see your profile as unavailable."""
    view, budget = await safety.block(caller.gw, caller.token, handle)
    return json_response(view, headers=budget_headers(budget))


@router.delete("/blocks/{handle}", status_code=204, responses=Unknown | Limits)
async def unblock(handle: Handle, caller: CallerDep) -> Response:
    """Unblock (idempotent). Nothing the block removed comes back."""
    budget = await safety.unblock(caller.gw, caller.token, handle)
    return Response(status_code=204, headers=budget_headers(budget))


@router.get("/mutes", response_model=models.MutedUserPage)
async def list_mutes(caller: CallerDep, before: Before = None, limit: PageSize = None) -> Response:
    """The users you mute (mutes still in force), most recently muted first, with when each mute ends."""
    page = await safety.my_mutes(caller.gw, caller.token, before, caller.page_size(limit))
    return json_response({"items": page.items, "next_before": page.next_before})


@router.put("/mutes/{handle}", response_model=models.MutedUser, responses=Unknown | Limits | {
    422: Error | {"description": "muting yourself (`cannot_mute_self`); a duration that is not 1 second to "
                                 "10 years"}})
async def mute(handle: Handle, caller: CallerDep,
               body: Annotated[models.MuteRequest | None, Body()] = None) -> Response:
    """Mute a user, for `duration` seconds or until you unmute them; muting again changes when it ends. Their
    barks, rebarks (and rebarks of their barks) and notifications no longer reach you anywhere. They are
    not told, and may still follow you and see your barks."""
    duration = body.duration if body else None
    view, budget = await safety.mute(caller.gw, caller.token, handle, duration)
    return json_response(view, headers=budget_headers(budget))


@router.delete("/mutes/{handle}", status_code=204, responses=Unknown | Limits)
async def unmute(handle: Handle, caller: CallerDep) -> Response:
    """Unmute (idempotent)."""
    budget = await safety.unmute(caller.gw, caller.token, handle)
    return Response(status_code=204, headers=budget_headers(budget))
