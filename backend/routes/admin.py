"""The moderators' and admins' API (/v1/admin/...): accounts and their roles, approving sign-ups, the
registration mode, invite codes, password resets, the audit log. Thin: barker/services/admin.py decides."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from backend.deps import Before, CallerDep, PageSize
from backend.render import json_response
from barker import models
from barker.ids import MAX_ID
from barker.services import admin

router = APIRouter(prefix="/v1/admin", tags=["admin"])
Error = {"model": models.ErrorBody}
STAFF: dict[int | str, dict[str, Any]] = {403: Error | {"description": "your role does not allow this (`forbidden`)"}}
ADMINS: dict[int | str, dict[str, Any]] = {403: Error | {"description": "admins only (`forbidden`)"}}
RoleFilter = Annotated[models.Role | None, Query(description="only accounts with this role")]
StateFilter = Annotated[models.AccountState | None, Query(description="only accounts in this state")]
HandlePrefix = Annotated[str | None, Query(max_length=30, description="handles starting with this")]
InviteId = Annotated[int, Path(ge=1, le=MAX_ID)]
Handle = Annotated[str, Path(max_length=64)]


@router.get("/accounts", response_model=models.AccountAdminPage, responses=STAFF)
async def list_accounts(caller: CallerDep, role: RoleFilter = None, state: StateFilter = None,
                        q: HandlePrefix = None, before: Before = None, limit: PageSize = None) -> Response:
    """Accounts, newest first, filtered by role, state and handle prefix (moderators and admins)."""
    page = await admin.accounts_page(caller.gw, caller.token, role, state, q, before, caller.page_size(limit))
    return json_response({"items": page.items, "next_before": page.next_before})


@router.put("/accounts/{handle}/role", response_model=models.AccountAdminView,
            responses=ADMINS | {409: Error | {"description": "the last admin cannot be demoted (`last_admin`)"}})
async def set_role(handle: Handle, body: models.RoleChange, caller: CallerDep) -> Response:
    """Make an account a user, moderator or admin (admins only)."""
    return json_response(await admin.change_role(caller.gw, caller.token, handle, body.role))


@router.post("/accounts/{handle}/approve", response_model=models.AccountAdminView, responses=STAFF)
async def approve(handle: Handle, caller: CallerDep) -> Response:
    """Let a pending account log in (moderators and admins); 404 if it is not pending."""
    return json_response(await admin.approve_account(caller.gw, caller.token, handle))


@router.post("/accounts/{handle}/reject", status_code=204, responses=STAFF)
async def reject(handle: Handle, caller: CallerDep, body: models.Rejection | None = None) -> Response:
    """Delete a pending account, freeing its handle (moderators and admins); 404 if it is not pending."""
    await admin.reject_account(caller.gw, caller.token, handle, body.reason if body else None)
    return Response(status_code=204)


@router.post("/accounts/{handle}/password", response_model=models.OneTimePassword, responses=ADMINS)
async def reset_password(handle: Handle, caller: CallerDep) -> Response:
    """Give the account a one-time password (returned once), revoke its sessions; at the next log-in it
    must change the password before anything else (admins only)."""
    return json_response({"password": await admin.admin_reset_password(caller.gw, caller.token, handle)})


@router.get("/registrations", response_model=models.RegistrationMode, responses=ADMINS)
async def get_registrations(caller: CallerDep) -> Response:
    """The registration mode in force (admins only)."""
    return json_response({"mode": await admin.registrations(caller.gw, caller.token)})


@router.put("/registrations", response_model=models.RegistrationMode, responses=ADMINS)
async def set_registrations(body: models.RegistrationMode, caller: CallerDep) -> Response:
    """Set the registration mode: open, approval, invite or closed (admins only). BARKER_REGISTRATIONS=closed
    on the server keeps sign-up closed whatever is set here; the answer is the mode in force."""
    return json_response({"mode": await admin.change_registrations(caller.gw, caller.token, body.mode)})


@router.post("/invites", status_code=201, response_model=models.NewInviteCode, responses=ADMINS)
async def create_invite(body: models.InviteRequest, caller: CallerDep) -> Response:
    """A new invite code with a number of uses and an optional expiry (admins only). The code is in this
    answer only."""
    return json_response(await admin.new_invite(caller.gw, caller.token, body.uses, body.expires_days), 201)


@router.get("/invites", response_model=models.InviteList, responses=ADMINS)
async def list_invites(caller: CallerDep) -> Response:
    """Every invite, newest first, without its code (admins only)."""
    return json_response({"items": await admin.invites(caller.gw, caller.token)})


@router.delete("/invites/{invite_id}", status_code=204, responses=ADMINS)
async def revoke_invite(invite_id: InviteId, caller: CallerDep) -> Response:
    """Revoke an invite (admins only)."""
    await admin.delete_invite(caller.gw, caller.token, invite_id)
    return Response(status_code=204)


@router.get("/audit", response_model=models.AuditPage, responses=ADMINS)
async def audit(caller: CallerDep, before: Before = None, limit: PageSize = None) -> Response:
    """Every moderation and admin action, newest first (admins only)."""
    page = await admin.audit(caller.gw, caller.token, before, caller.page_size(limit))
    return json_response({"items": page.items, "next_before": page.next_before})
