"""Reports of abuse: filing one, and reading one's own. Thin: barker/services/reports.py decides."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from backend.deps import Before, CallerDep, PageSize
from backend.render import json_response
from barker import models
from barker.services import reports

router = APIRouter(prefix="/v1", tags=["reports"])
Error = {"model": models.ErrorBody}


@router.post("/reports", status_code=201, response_model=models.Report, responses={
    404: Error | {"description": "no such user"},
    422: Error | {"description": "bad input; reporting yourself (`self_report`); a bark that is not by the "
                                 "reported user or does not exist (`bark_not_by_user`)"},
    429: Error | {"description": "too many reports this hour (Retry-After)"}})
async def file_report(body: models.ReportRequest, caller: CallerDep) -> Response:
    """Report a user, and optionally some of their barks, to the moderators. Only you and the moderators
    see the report; the reported user is not told."""
    view = await reports.report(caller.gw, caller.token, body.handle, body.bark_ids, body.reason, body.text)
    return json_response(view, 201)


@router.get("/me/reports", response_model=models.ReportPage)
async def my_reports(caller: CallerDep, before: Before = None, limit: PageSize = None) -> Response:
    """Your reports, newest first, with their state and the moderator's note (never who closed them)."""
    page = await reports.my_reports(caller.gw, caller.token, before, caller.page_size(limit))
    return json_response({"items": page.items, "next_before": page.next_before})
