"""One place maps errors to HTTP: every failure is `{"error": {"code", "message"}}` with a 4xx/5xx status."""

from __future__ import annotations

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.exceptions import HTTPException

from backend.deps import bearer_token
from backend.introspection import allowed_methods, requires_token
from backend.render import budget_headers
from barker.errors import (
    BarkerError,
    Busy,
    Conflict,
    Forbidden,
    Invalid,
    NotFound,
    RateLimited,
    StorageFull,
    StoreUnavailable,
    TooLarge,
    Unauthorized,
    UnsupportedMediaType,
)
from barker.rate_limits import LimitReached
from barker.services import authenticate

# Most specific first: StorageFull is a StoreUnavailable.
STATUS = {Invalid: 422, NotFound: 404, Conflict: 409, Unauthorized: 401, Forbidden: 403, RateLimited: 429,
          StorageFull: 507, StoreUnavailable: 503, Busy: 503, TooLarge: 413, UnsupportedMediaType: 415}
# Retry-After when the error does not say: every 429, 503 and 507 carries one.
DEFAULT_RETRY_AFTER = {429: 60, 503: 1, 507: 5}
HTTP_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
              405: "method_not_allowed", 413: "body_too_large", 415: "unsupported_media_type",
              422: "invalid", 429: "rate_limited", 503: "store_unavailable", 507: "storage_full"}


def error_body(code: str, message: str) -> bytes:
    return orjson.dumps({"error": {"code": code, "message": message}})


def error_response(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> Response:
    return Response(error_body(code, message), status_code=status, media_type="application/json", headers=headers)


def status_of(exc: BarkerError) -> int:
    return next((s for cls, s in STATUS.items() if isinstance(exc, cls)), 400)


def retry_after_of(exc: BarkerError, status: int) -> int | None:
    """Seconds for Retry-After: the error's own, else the status's default."""
    retry_after = exc.retry_after if exc.retry_after is not None else DEFAULT_RETRY_AFTER.get(status)
    return None if retry_after is None else max(1, retry_after)


async def _unauthenticated(request: Request) -> Response | None:
    """Authenticate before validating: on an operation that needs a token, a caller without a valid one
    hears 401, not what was wrong with its input. FastAPI validates parameters and bodies before the
    handler runs (and the token is checked inside the handler's own store hop, gateway.py), so this runs
    only here, on the way out of a 400/422: a valid request pays nothing for it."""
    route = request.scope.get("route")
    if route is None or not requires_token(route):
        return None
    gw = request.app.state.gateway
    try:
        await gw.read(authenticate, gw.store, bearer_token(request))
    except BarkerError as e:  # Unauthorized; or the store failing (503), which is no reason to answer 422
        return _barker_response(e)
    return None


async def _barker_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, BarkerError)
    # E.g. a limit over the maximum, checked in the handler before the service. (An Invalid a service raises
    # after authenticating costs one more token read: on a refused request only, like any other read.)
    if isinstance(exc, Invalid) and (refused := await _unauthenticated(request)) is not None:
        return refused
    return _barker_response(exc)


def _barker_response(exc: BarkerError) -> Response:
    # A store fault is not logged here, once per request: StoreGateway.health logs it once per change.
    status = status_of(exc)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else {}
    if (retry_after := retry_after_of(exc, status)) is not None:
        headers["Retry-After"] = str(retry_after)
    if isinstance(exc, LimitReached):
        headers.update(budget_headers(exc.budget) or {})
    return error_response(status, exc.code, exc.message, headers or None)


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    if (refused := await _unauthenticated(request)) is not None:
        return refused
    errors = exc.errors()
    if any(e.get("type") == "json_invalid" for e in errors):
        return error_response(400, "malformed_json", "the request body is not valid JSON")
    # Location and message only: never echo the input back (it may be a password).
    parts, codes = [], set()
    for e in errors:
        where = ".".join(str(p) for p in e.get("loc", ()) if p != "body")
        msg = str(e.get("msg", "")).removeprefix("Value error, ")
        parts.append(f"{where}: {msg}" if where else msg)
        # A rule of barker.validation names its own code (reserved_handle, common_password, ...).
        cause = (e.get("ctx") or {}).get("error")
        codes.add(cause.code if isinstance(cause, Invalid) else "invalid")
    return error_response(422, codes.pop() if len(codes) == 1 else "invalid", "; ".join(parts))


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 400 and (refused := await _unauthenticated(request)) is not None:
        return refused  # a body that is not UTF-8
    code = HTTP_CODES.get(exc.status_code, "error")
    message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
    if exc.status_code == 400 and message == "There was an error parsing the body":
        code, message = "malformed_body", "the request body is not valid UTF-8 JSON"
    headers = getattr(exc, "headers", None)
    if exc.status_code == 405:  # Allow must list every method of the resource, not one route's
        path = request.scope["path"].removeprefix(request.scope.get("root_path", ""))
        if allowed := allowed_methods(request.app, path):
            headers = {**(headers or {}), "Allow": ", ".join(sorted(allowed))}
    return error_response(exc.status_code, code, message, headers)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(BarkerError, _barker_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(HTTPException, _http_error)
    # Anything else (a bug) is answered by backend/unexpected.py: a JSON 500 that keeps the connection.
