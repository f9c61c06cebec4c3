"""The moderators' reports queue, bark deletion, suspensions, and the look at any account whatever its
state (/v1/admin/...; moderators and admins). Thin: barker/services/moderation.py decides."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from backend.deps import Before, CallerDep, PageSize
from backend.render import json_response
from backend.routes.admin import Handle
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


NO_USER: dict[int | str, dict[str, Any]] = {404: Error | {"description": "no such user"}}


@router.post("/accounts/{handle}/suspend", response_model=models.AccountAdminView, responses=STAFF | NO_USER | {
    403: Error | {"description": "your role does not outrank the account's (`forbidden`): a moderator suspends "
                                 "users, an admin users and moderators"},
    409: Error | {"description": "already suspended (`already_suspended`), or pending (`not_active`); changed by "
                                 "someone else meanwhile (`account_changed`)"},
    422: Error | {"description": "no reason, or your own account (`cannot_suspend_self`)"}})
async def suspend(handle: Handle, body: models.Suspension, caller: CallerDep) -> Response:
    """Suspend an account (moderators and admins; audited with the reason): it cannot log in, its sessions
    and open stream sockets end at once, and nobody but the staff sees its profile and barks."""
    return json_response(await moderation.suspend(caller.gw, caller.token, handle, body.reason))


@router.post("/accounts/{handle}/unsuspend", response_model=models.AccountAdminView, responses=STAFF | NO_USER | {
    409: Error | {"description": "the account is not suspended (`not_suspended`), or changed meanwhile "
                                 "(`account_changed`)"},
    422: Error | {"description": "your own account (`cannot_suspend_self`)"}})
async def unsuspend(handle: Handle, caller: CallerDep, body: models.Unsuspension | None = None) -> Response:
    """Make a suspended account active again (moderators and admins; audited, with an optional reason). Its
    old sessions stay revoked: it logs in anew."""
    return json_response(await moderation.unsuspend(caller.gw, caller.token, handle, body.reason if body else None))


@router.get("/accounts/{handle}", response_model=models.AccountStaffView, responses=STAFF | NO_USER)
async def get_account(handle: Handle, caller: CallerDep) -> Response:
    """Any account's profile with its role and state, a suspended or pending one's too (moderators and
    admins; everyone else gets 404 for those at /v1/users/{handle})."""
    return json_response(await moderation.account(caller.gw, caller.token, handle))


@router.get("/accounts/{handle}/barks", response_model=models.BarkPage, responses=STAFF | NO_USER)
async def account_barks(handle: Handle, caller: CallerDep, before: Before = None,
                        limit: PageSize = None) -> Response:
    """Any account's barks, newest first, a suspended one's too (moderators and admins)."""
    page = await moderation.account_barks(caller.gw, caller.token, handle, before, caller.page_size(limit))
    return json_response({"items": page.items, "next_before": page.next_before})
