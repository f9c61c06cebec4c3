"""Barks, rebarks and reactions."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.responses import Response

from backend.deps import BearerToken, GatewayDep
from backend.render import json_response
from barker import models, validation
from barker.ids import MAX_ID
from barker.services import barks

router = APIRouter(prefix="/v1/barks", tags=["barks"])
BarkId = Annotated[int, Path(ge=1, le=MAX_ID)]
Error = {"model": models.ErrorBody}


@router.post("", status_code=201, response_model=models.Bark)
async def post_bark(body: models.NewBark, gw: GatewayDep, token: BearerToken) -> Response:
    """Post a bark (at most 280 characters after NFC normalisation). Followers get it via fan-out."""
    return json_response(await barks.post_bark(gw, token, body.text), 201)


@router.get("/{bark_id}", response_model=models.Bark, responses={404: Error})
async def get_bark(bark_id: BarkId, gw: GatewayDep, token: BearerToken) -> Response:
    return json_response(await barks.get_bark(gw, token, bark_id))


@router.delete("/{bark_id}", status_code=204, responses={403: Error, 404: Error})
async def delete_bark(bark_id: BarkId, gw: GatewayDep, token: BearerToken) -> Response:
    """Delete one of your own barks (its rebarks and reactions go with it)."""
    await barks.delete_bark(gw, token, bark_id)
    return Response(status_code=204)


@router.put("/{bark_id}/rebark", response_model=models.Bark, responses={201: {"model": models.Bark}})
async def rebark(bark_id: BarkId, gw: GatewayDep, token: BearerToken) -> Response:
    """Rebark (idempotent): 201 when created, 200 with the existing rebark otherwise."""
    view, created = await barks.rebark(gw, token, bark_id)
    return json_response(view, 201 if created else 200)


@router.delete("/{bark_id}/rebark", status_code=204)
async def undo_rebark(bark_id: BarkId, gw: GatewayDep, token: BearerToken) -> Response:
    await barks.undo_rebark(gw, token, bark_id)
    return Response(status_code=204)


@router.post("/{bark_id}/reactions", response_model=models.Bark)
async def add_reaction(bark_id: BarkId, body: models.NewReaction, gw: GatewayDep,
                       token: BearerToken) -> Response:
    """React with one emoji (idempotent; several different ones allowed). Returns the updated bark."""
    return json_response(await barks.react(gw, token, bark_id, body.emoji))


@router.delete("/{bark_id}/reactions/{emoji}", response_model=models.Bark)
async def remove_reaction(bark_id: BarkId, emoji: Annotated[str, Path(max_length=64)], gw: GatewayDep,
                          token: BearerToken) -> Response:
    """Remove your reaction (the emoji URL-encoded in the path). Returns the updated bark."""
    return json_response(await barks.unreact(gw, token, bark_id, validation.reaction_emoji(emoji)))
