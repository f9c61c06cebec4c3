"""Hashtag timelines, trending tags and bark search. Included before the barks router, so /v1/barks/search
is not taken for a bark id."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from backend.deps import Before, CallerDep, PageSize
from backend.render import json_response
from barker import models
from barker.services import tags

router = APIRouter(prefix="/v1", tags=["tags"])
Error: dict[str, Any] = {"model": models.ErrorBody}
# Generous: a tag is checked (and its length counted after NFC) by the service, which names what is wrong.
# The pattern documents the common case for clients and fuzzers (word characters; Python's \w, a subset of
# what is accepted: marks are too) without enforcing it, so a bad tag is answered with its own error code.
TagName = Annotated[str, Path(max_length=4 * tags.MAX_TAG_CHARS + 1, json_schema_extra={
    "pattern": rf"^#?\w{{1,{tags.MAX_TAG_CHARS}}}$"}, description=(
    "the tag, with or without its '#' (sent as %23); any case or Unicode normal form"))]


@router.get("/tags/trending", response_model=models.TrendingTags)
async def trending_tags(caller: CallerDep, limit: PageSize = None) -> Response:
    """The tags used by the most distinct authors in the last 24 hours; ties go to the tag on more barks,
    then by name. Deleted barks no longer count."""
    return json_response(await tags.trending(caller.gw, caller.token, caller.page_size(limit)))


@router.get("/tags/{tag}/barks", response_model=models.BarkPage,
            responses={422: Error | {"description": "invalid_tag: not letters, digits, marks and '_'; "
                                                    "tag_too_long: over 100 characters"}})
async def tag_timeline(tag: TagName, caller: CallerDep, limit: PageSize = None, before: Before = None) -> Response:
    """The barks carrying a hashtag, newest first. The tag is matched normalised (NFC, case-folded), so
    #Café, #CAFÉ and #cafe\u0301 are one timeline."""
    return json_response(await tags.tag_barks(caller.gw, caller.token, tag, before, caller.page_size(limit)))


@router.get("/barks/search", response_model=models.BarkPage, responses={
    429: {"model": models.ErrorBody, "description": "over your hourly search budget "
                                                    "(BARKER_BARK_SEARCHES_PER_HOUR; Retry-After)"}})
async def search_barks(caller: CallerDep,
                       q: Annotated[str, Query(min_length=1, max_length=tags.MAX_QUERY_CHARS, pattern=r"\S",
                                               description="words and #tags, all of which a bark must have "
                                                           "(not blank)")],
                       limit: PageSize = None, before: Before = None) -> Response:
    """Barks whose text holds every word of q (case and diacritics ignored; the last word also as the start
    of a longer one) and that carry every #tag of q, newest first. Rebarks have no text: their originals
    are found."""
    return json_response(await tags.search(caller.gw, caller.token, q, before, caller.page_size(limit)))
