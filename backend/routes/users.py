"""Profiles, a user's barks, the follow graph."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from backend.deps import Before, CallerDep, PageSize
from backend.render import budget_headers, json_response
from barker import models
from barker.services import barks, social

router = APIRouter(prefix="/v1", tags=["users"])
Handle = Annotated[str, Path(max_length=64)]


@router.get("/users/{handle}", response_model=models.User)
async def get_user(handle: Handle, caller: CallerDep) -> Response:
    """A user's profile by handle (case-insensitive), with counts and your follow state."""
    return json_response(await social.profile(caller.gw, caller.token, handle))


@router.get("/users/{handle}/barks", response_model=models.BarkPage, responses={
    403: {"model": models.ErrorBody, "description": "you block this user (`blocking`): unblock them to see barks"},
    404: {"model": models.ErrorBody, "description": "no such user, or this user blocks you (`unavailable`)"}})
async def user_timeline(handle: Handle, caller: CallerDep, limit: PageSize = None, before: Before = None,
                        replies: Annotated[bool, Query(description="false: leave replies out")] = True) -> Response:
    """The user's barks and rebarks, newest first, replies included unless replies=false. Their rebarks of
    barks by someone you block or who blocks you are left out (a mute hides nothing here)."""
    return json_response(await barks.user_barks(caller.gw, caller.token, handle, before, caller.page_size(limit),
                                                replies))


@router.get("/users/{handle}/followers", response_model=models.UserPage)
async def list_followers(handle: Handle, caller: CallerDep, limit: PageSize = None,
                         before: Before = None) -> Response:
    """Most recent followers first; counts are on the user object."""
    return json_response(await social.followers(caller.gw, caller.token, handle, before, caller.page_size(limit)))


@router.get("/users/{handle}/following", response_model=models.UserPage)
async def list_following(handle: Handle, caller: CallerDep, limit: PageSize = None,
                         before: Before = None) -> Response:
    """Whom the user follows, most recent first."""
    return json_response(await social.following(caller.gw, caller.token, handle, before, caller.page_size(limit)))


@router.put("/me/following/{handle}", response_model=models.User,
            responses={429: {"model": models.ErrorBody, "description": "over your hourly or daily follow budget"}})
async def follow(handle: Handle, caller: CallerDep) -> Response:
    """Follow a user (idempotent). Their recent barks join your home timeline."""
    view, budget = await social.follow(caller.gw, caller.token, handle)
    return json_response(view, headers=budget_headers(budget))


@router.delete("/me/following/{handle}", response_model=models.User)
async def unfollow(handle: Handle, caller: CallerDep) -> Response:
    """Unfollow (idempotent)."""
    return json_response(await social.unfollow(caller.gw, caller.token, handle))
