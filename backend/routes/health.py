from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from backend.deps import GatewayDep
from backend.render import json_response

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="The process is up")
async def healthz() -> Response:
    return json_response({"status": "ok"})


@router.get("/readyz", summary="The store answers", responses={503: {"description": "store unreachable"}})
async def readyz(gw: GatewayDep) -> Response:
    await gw.read(gw.store.ping)  # StoreUnavailable -> 503
    return json_response({"status": "ready"})
