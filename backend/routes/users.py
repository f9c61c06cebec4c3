"""Profiles, a user's barks, the follow graph."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.responses import Response

from backend.deps import BearerToken, Before, GatewayDep, PageLimit
from backend.render import json_response
from barker import models
from barker.services import barks, social

router = APIRouter(prefix="/v1", tags=["users"])
Handle = Annotated[str, Path(max_length=64)]


@router.get("/users/{handle}", response_model=models.User)
async def get_user(handle: Handle, gw: GatewayDep, token: BearerToken) -> Response:
    return json_response(await social.profile(gw, token, handle))


@router.get("/users/{handle}/barks", response_model=models.BarkPage)
async def user_timeline(handle: Handle, gw: GatewayDep, token: BearerToken, limit: PageLimit,
                        before: Before = None) -> Response:
    """The user's barks and rebarks, newest first."""
    return json_response(await barks.user_barks(gw, token, handle, before, limit))


@router.get("/users/{handle}/followers", response_model=models.UserPage)
async def list_followers(handle: Handle, gw: GatewayDep, token: BearerToken, limit: PageLimit,
                         before: Before = None) -> Response:
    """Most recent followers first; counts are on the user object."""
    return json_response(await social.followers(gw, token, handle, before, limit))


@router.get("/users/{handle}/following", response_model=models.UserPage)
async def list_following(handle: Handle, gw: GatewayDep, token: BearerToken, limit: PageLimit,
                         before: Before = None) -> Response:
    return json_response(await social.following(gw, token, handle, before, limit))


@router.put("/me/following/{handle}", response_model=models.User)
async def follow(handle: Handle, gw: GatewayDep, token: BearerToken) -> Response:
    """Follow a user (idempotent). Their recent barks join your home timeline."""
    return json_response(await social.follow(gw, token, handle))


@router.delete("/me/following/{handle}", response_model=models.User)
async def unfollow(handle: Handle, gw: GatewayDep, token: BearerToken) -> Response:
    """Unfollow (idempotent)."""
    return json_response(await social.unfollow(gw, token, handle))
