"""Barks, rebarks and reactions."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from backend.deps import Before, CallerDep, PageSize
from backend.render import budget_headers, json_response
from barker import models, validation
from barker.ids import MAX_ID
from barker.services import barks, bookmarks, threads

router = APIRouter(prefix="/v1/barks", tags=["barks"])
me = APIRouter(prefix="/v1/me", tags=["barks"])  # the caller's own lists of barks
BarkId = Annotated[int, Path(ge=1, le=MAX_ID)]
Error: dict[str, Any] = {"model": models.ErrorBody}
Limited: dict[int | str, dict[str, Any]] = {
    429: Error | {"description": "over your hourly or daily budget (X-RateLimit-* headers, Retry-After)"}}


@router.post("", status_code=201, response_model=models.Bark,
             responses={404: Error | {"description": "a media id that is unknown, expired or not yours; "
                                                     "reply_to: a bark that does not exist (or was deleted)"},
                        409: Error | {"description": "a media id already attached"}, **Limited})
async def post_bark(body: models.NewBark, caller: CallerDep) -> Response:
    """Post a bark: text (at most 280 characters after NFC normalisation, each link counted as 23), up to
    4 of your uploads (`media_ids`, from POST /v1/media), or both. `reply_to` makes it a reply. `@handle`
    of an existing user is a mention (at most 10), `#tag` a hashtag; the bark lists both, and every link,
    in `entities`. Followers get it via fan-out (a reply only those who also follow whom it answers)."""
    view, budget = await barks.post_bark(caller.gw, caller.token, body.text, body.media_ids, body.reply_to)
    return json_response(view, 201, budget_headers(budget))


@router.get("/{bark_id}", response_model=models.Bark, responses={404: Error})
async def get_bark(bark_id: BarkId, caller: CallerDep) -> Response:
    """One bark (or rebark) by id, with its reactions and your rebark state."""
    return json_response(await barks.get_bark(caller.gw, caller.token, bark_id))


@router.get("/{bark_id}/thread", response_model=models.Thread,
            responses={404: Error | {"description": "no such bark, or one by a user you block or who blocks you"},
                       422: Error | {"description": "after is not a reply below this bark, or limit is out of range"}})
async def get_thread(bark_id: BarkId, caller: CallerDep, limit: PageSize = None,
                     after: Annotated[int | None, Query(ge=1, le=MAX_ID, description="cursor: next_after of the "
                                                        "previous page")] = None) -> Response:
    """The bark in its conversation: its ancestors oldest first up to the root, and its replies below it
    depth-first (each branch oldest first) with their depth, paged with next_after. A deleted bark that
    replies hang from keeps its place as `{"id", "deleted": true}`, and so does a reply by someone you block,
    who blocks you or whom you mute. A rebark shows its original's thread."""
    return json_response(await threads.thread(caller.gw, caller.token, bark_id, after, caller.page_size(limit)))


@router.delete("/{bark_id}", status_code=204, responses={403: Error, 404: Error})
async def delete_bark(bark_id: BarkId, caller: CallerDep) -> Response:
    """Delete one of your own barks (its rebarks and reactions go with it)."""
    await barks.delete_bark(caller.gw, caller.token, bark_id)
    return Response(status_code=204)


@router.put("/{bark_id}/rebark", response_model=models.Bark, responses={201: {"model": models.Bark}, **Limited})
async def rebark(bark_id: BarkId, caller: CallerDep) -> Response:
    """Rebark (idempotent): 201 when created, 200 with the existing rebark otherwise."""
    view, created, budget = await barks.rebark(caller.gw, caller.token, bark_id)
    return json_response(view, 201 if created else 200, budget_headers(budget))


@router.delete("/{bark_id}/rebark", status_code=204)
async def undo_rebark(bark_id: BarkId, caller: CallerDep) -> Response:
    """Undo your rebark of this bark (idempotent)."""
    await barks.undo_rebark(caller.gw, caller.token, bark_id)
    return Response(status_code=204)


@router.post("/{bark_id}/reactions", response_model=models.Bark, responses=Limited)
async def add_reaction(bark_id: BarkId, body: models.NewReaction, caller: CallerDep) -> Response:
    """React with one emoji (idempotent; several different ones allowed). Returns the updated bark."""
    view, budget = await barks.react(caller.gw, caller.token, bark_id, body.emoji)
    return json_response(view, headers=budget_headers(budget))


@router.delete("/{bark_id}/reactions/{emoji}", response_model=models.Bark)
async def remove_reaction(bark_id: BarkId, emoji: Annotated[str, Path(max_length=64)],
                          caller: CallerDep) -> Response:
    """Remove your reaction (the emoji URL-encoded in the path). Returns the updated bark."""
    return json_response(await barks.unreact(caller.gw, caller.token, bark_id, validation.reaction_emoji(emoji)))


@router.put("/{bark_id}/bookmark", response_model=models.Bark, responses={404: Error, **Limited})
async def bookmark_bark(bark_id: BarkId, caller: CallerDep) -> Response:
    """Bookmark a bark (idempotent; a rebark bookmarks its original). Returns the bark bookmarked. Only you
    see your bookmarks: nothing counts them and nobody is told."""
    view, budget = await bookmarks.bookmark(caller.gw, caller.token, bark_id)
    return json_response(view, 200, budget_headers(budget))


@router.delete("/{bark_id}/bookmark", status_code=204)
async def unbookmark_bark(bark_id: BarkId, caller: CallerDep) -> Response:
    """Remove your bookmark of a bark (idempotent, also for a bark deleted since)."""
    await bookmarks.unbookmark(caller.gw, caller.token, bark_id)
    return Response(status_code=204)


@me.get("/bookmarks", response_model=models.BarkPage)
async def my_bookmarks(caller: CallerDep, limit: PageSize = None, before: Before = None) -> Response:
    """Your bookmarked barks, newest bookmarked first; next_before is a bookmark cursor (not a bark id)."""
    return json_response(await bookmarks.my_bookmarks(caller.gw, caller.token, before, caller.page_size(limit)))
