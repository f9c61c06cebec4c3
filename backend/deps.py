"""Dependencies shared by the routers.

All are `async def` on purpose: FastAPI runs a plain `def` dependency in its thread pool, which would cost a
thread hop per dependency per request."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Request
from fastapi.security import HTTPBearer
from fastapi.security.utils import get_authorization_scheme_param
from starlette.requests import HTTPConnection

from barker.errors import Invalid
from barker.gateway import StoreGateway
from barker.ids import MAX_ID


async def _gateway(request: Request) -> StoreGateway:
    return request.app.state.gateway


class _BearerToken(HTTPBearer):
    """The bearer token, or None. Only parsed here: it is checked against the store inside the same thread
    hop as the request's work (one hop per request instead of two: see barker/gateway.py). A subclass, so
    /docs still shows the scheme, returning the bare string: one dependency instead of two, and no pydantic
    credentials object per request."""

    async def __call__(self, request: HTTPConnection) -> str | None:  # type: ignore[override]
        scheme, token = get_authorization_scheme_param(request.headers.get("Authorization"))
        return token if token and scheme.lower() == "bearer" else None


_token = _BearerToken(auto_error=False, description="The token from POST /v1/accounts or POST /v1/sessions")


async def _limit(request: Request, limit: Annotated[int | None, Query(ge=1, description="page size")] = None) -> int:
    settings = request.app.state.settings
    if limit is None:
        return settings.page_size_default
    if limit > settings.page_size_max:
        raise Invalid(f"limit must be at most {settings.page_size_max}", code="page_too_large")
    return limit


GatewayDep = Annotated[StoreGateway, Depends(_gateway)]
BearerToken = Annotated[str | None, Depends(_token)]
PageLimit = Annotated[int, Depends(_limit)]
Before = Annotated[int | None, Query(ge=1, le=MAX_ID + 1, description="cursor: return items older than this")]
