"""Sign-up, sessions (log-in/out) and the caller's own account."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response, StreamingResponse

from backend.deps import CallerDep, ClientAddressDep, GatewayDep, MediaStorageDep
from backend.render import json_response
from barker import models
from barker.services import accounts, departures, export

router = APIRouter(prefix="/v1", tags=["accounts"])
Error = {"model": models.ErrorBody}
PASSWORD_CHANGE_REQUIRED = Error | {"description": "an admin reset the password: change it first "
                                    "(`password_change_required`)"}


@router.post("/accounts", status_code=201, response_model=models.Session,
             responses={202: {"model": models.PendingSignUp,
                              "description": "registrations need approval: the account waits for a moderator"},
                        403: Error | {"description": "registrations are closed (`registrations_closed`), or an "
                                      "invite code is needed and this one is not valid (`invalid_invite`)"},
                        409: Error | {"description": "handle taken"},
                        422: Error | {"description": "bad input, a reserved handle or a common password"},
                        429: Error | {"description": "too many sign-ups from your address"}})
async def sign_up(body: models.SignUp, gw: GatewayDep, address: ClientAddressDep) -> Response:
    """Create an account; the response carries a session token, so no separate log-in is needed. What the
    server's registration mode asks: `invite` needs an invite code; `approval` answers 202 without a session
    (log-in answers 403 `pending_approval` until a moderator approves the account)."""
    session = await accounts.sign_up(gw, body.handle, body.password, body.display_name, body.bio, address,
                                     body.invite)
    return json_response(session, 202 if session.get("pending") else 201)


@router.post("/sessions", status_code=201, response_model=models.Session,
             responses={401: Error, 403: Error | {"description": "the account waits for approval (`pending_approval`) "
                                                    "or is suspended (`account_suspended`)"},
                        429: Error | {"description": "too many attempts for this handle or address"}})
async def log_in(body: models.LogIn, gw: GatewayDep, address: ClientAddressDep) -> Response:
    """Log in with handle and password; the response carries a new session token. Attempts are counted
    per handle and per address (429 past the limit). After an admin reset the password, the session says
    `must_change_password: true` and may only change the password, read GET /v1/me and log out."""
    return json_response(await accounts.log_in(gw, body.handle, body.password, address), 201)


@router.delete("/sessions/current", status_code=204)
async def log_out(caller: CallerDep) -> Response:
    """Revoke the token this request carries."""
    await accounts.log_out(caller.gw, caller.token)
    return Response(status_code=204)


@router.get("/me", response_model=models.Me)
async def get_me(caller: CallerDep) -> Response:
    """Your own profile."""
    return json_response(await accounts.me(caller.gw, caller.token))


@router.patch("/me", response_model=models.Me, responses={403: PASSWORD_CHANGE_REQUIRED})
async def edit_me(body: models.ProfileEdit, caller: CallerDep) -> Response:
    """Change your display name and/or bio (give at least one). Returns the updated profile."""
    return json_response(await accounts.edit_profile(caller.gw, caller.token, body.display_name, body.bio))


@router.put("/me/password", status_code=204,
            responses={403: Error, 429: Error | {"description": "counted with log-ins: too many attempts"}})
async def change_password(body: models.PasswordChange, caller: CallerDep, address: ClientAddressDep) -> Response:
    """Requires the old password; every other session of the account is revoked. Each attempt counts
    against the log-in limits."""
    await accounts.change_password(caller.gw, caller.token, body.old_password, body.new_password, address)
    return Response(status_code=204)


@router.delete("/me", status_code=204,
               responses={403: Error | {"description": "wrong password"},
                          422: Error | {"description": "no password given"},
                          429: Error | {"description": "counted with log-ins: too many attempts"}})
async def delete_me(body: models.AccountDeletion, caller: CallerDep, address: ClientAddressDep) -> Response:
    """Delete your account for good: every bark, rebark, reaction, follow, bookmark, notification, upload
    and session of it, at once; counters on others' barks and profiles are corrected. The handle stays
    reserved. Requires the password; each attempt counts against the log-in limits."""
    await departures.delete_account(caller.gw, caller.token, body.password, address)
    return Response(status_code=204)


@router.get("/me/export", response_class=StreamingResponse,
            responses={200: {"content": {"application/zip": {}}, "description": "a zip (docs/export.md)"},
                       429: Error | {"description": "too many exports this hour"}})
async def export_me(caller: CallerDep, storage: MediaStorageDep) -> StreamingResponse:
    """Your data as one zip: profile, barks, follows, followers, bookmarks, reactions, notifications and
    the originals of your uploads, in JSON described by docs/export.md. A few per hour."""
    chunks = await export.export(caller.gw, storage, caller.token)
    return StreamingResponse(chunks, media_type="application/zip",
                             headers={"Content-Disposition": 'attachment; filename="barker-export.zip"'})
