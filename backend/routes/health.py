from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from backend.deps import GatewayDep
from backend.errors import error_response, retry_after_of
from backend.render import json_response

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="The process is up")
async def healthz() -> Response:
    """Liveness: 200 while the process runs."""
    # Liveness only: a full disk or an unreachable store is no reason to restart the process (it recovers
    # by itself when they come back); /readyz reports those.
    return json_response({"status": "ok"})


@router.get("/readyz", summary="The store answers reads and takes writes",
            responses={503: {"description": "not ready: the error says why (storage_full, store_unavailable)"}})
async def readyz(gw: GatewayDep) -> Response:
    """Readiness: 200 when the store answers reads and takes writes, else 503 with the reason."""
    if (problem := await gw.check_ready()) is not None:
        part, error = problem
        return error_response(503, error.code, f"not ready: {part} fail: {error.message}",
                              {"Retry-After": str(retry_after_of(error, 503))})
    return json_response({"status": "ready"})
