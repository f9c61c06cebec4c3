"""The moderators' reports queue and bark deletion (/v1/admin/...; moderators and admins). Thin:
barker/services/moderation.py decides."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from backend.deps import Before, CallerDep, PageSize
from backend.render import json_response
from barker import models
from barker.ids import MAX_ID
from barker.services import moderation

router = APIRouter(prefix="/v1/admin", tags=["admin"])
Error = {"model": models.ErrorBody}
STAFF: dict[int | str, dict[str, Any]] = {403: Error | {"description": "your role does not allow this (`forbidden`)"}}
StateFilter = Annotated[models.ReportState | None, Query(description="only reports in this state")]
Id = Annotated[int, Path(ge=1, le=MAX_ID)]


@router.get("/reports", response_model=models.StaffReportPage, responses=STAFF)
async def list_reports(caller: CallerDep, state: StateFilter = None, before: Before = None,
                       limit: PageSize = None) -> Response:
    """Reports newest first, with the reported user and barks rendered (moderators and admins)."""
    page = await moderation.reports(caller.gw, caller.token, state, before, caller.page_size(limit))
    return json_response({"items": page.items, "next_before": page.next_before})


@router.post("/reports/{report_id}/resolve", response_model=models.StaffReport, responses=STAFF | {
    404: Error | {"description": "no such report"},
    409: Error | {"description": "the report is already closed (`report_closed`)"}})
async def resolve_report(report_id: Id, body: models.ReportClosing, caller: CallerDep) -> Response:
    """Close an open report as resolved or dismissed, with a note the reporter sees (moderators and admins;
    audited)."""
    return json_response(await moderation.resolve(caller.gw, caller.token, report_id, body.action, body.note))


@router.delete("/barks/{bark_id}", status_code=204, responses=STAFF | {404: Error | {"description": "no such bark"}})
async def delete_any_bark(bark_id: Id, caller: CallerDep, body: models.BarkRemoval | None = None) -> Response:
    """Delete anyone's bark, with the same effects as its author deleting it (moderators and admins;
    audited with the optional reason)."""
    await moderation.delete_bark(caller.gw, caller.token, bark_id, body.reason if body else None)
    return Response(status_code=204)
