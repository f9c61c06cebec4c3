"""Dependencies shared by the routers.

All are `async def` on purpose: FastAPI runs a plain `def` dependency in its thread pool, which would cost a
thread hop per dependency per request."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Query, Request
from fastapi.security import HTTPBearer
from fastapi.security.utils import get_authorization_scheme_param
from starlette.requests import HTTPConnection

from barker.addresses import client_address
from barker.errors import Invalid
from barker.gateway import StoreGateway
from barker.ids import MAX_ID
from barker.media import MediaStorage


async def store_gateway(request: Request) -> StoreGateway:
    return request.app.state.gateway


async def _media_storage(request: Request) -> MediaStorage:
    return request.app.state.media_storage


@dataclass(frozen=True, slots=True)
class Caller:
    """Who is calling and through what: the gateway to the store, and the bearer token as sent. The token
    is only parsed here; it is checked against the store inside the same thread hop as the request's work
    (one hop per request instead of two: see barker/gateway.py)."""

    gw: StoreGateway
    token: str | None

    def page_size(self, limit: int | None) -> int:
        settings = self.gw.settings
        if limit is None:
            return settings.page_size_default
        if limit > settings.page_size_max:
            raise Invalid(f"limit must be at most {settings.page_size_max}", code="page_too_large")
        return limit


class CallerFromToken(HTTPBearer):
    """A subclass of HTTPBearer, so /docs shows the scheme, that returns the Caller: one dependency per
    request instead of three (gateway, token, page size). FastAPI spends ~20 us solving each one, which
    at thousands of requests per second is a tenth of the event loop's time."""

    async def __call__(self, request: HTTPConnection) -> Caller:  # type: ignore[override]
        return Caller(request.app.state.gateway, bearer_token(request))


def bearer_token(request: HTTPConnection) -> str | None:
    scheme, token = get_authorization_scheme_param(request.headers.get("Authorization"))
    return token if token and scheme.lower() == "bearer" else None


async def _client_address(request: HTTPConnection) -> str:
    """The caller's address: the socket peer, or X-Forwarded-For only behind a trusted proxy
    (BARKER_TRUSTED_PROXIES; barker/addresses.py)."""
    peer = request.scope.get("client")
    return client_address(peer[0] if peer else None, request.headers.getlist("x-forwarded-for"),
                          request.app.state.trusted_proxies)


GatewayDep = Annotated[StoreGateway, Depends(store_gateway)]  # for routes without a token
ClientAddressDep = Annotated[str, Depends(_client_address)]
MediaStorageDep = Annotated[MediaStorage, Depends(_media_storage)]
CallerDep = Annotated[Caller, Depends(CallerFromToken(auto_error=False, description="The token from "
                                              "POST /v1/accounts or POST /v1/sessions"))]
PageSize = Annotated[int | None, Query(ge=1, description="page size (default 20, at most 100)")]
Before = Annotated[int | None, Query(ge=1, le=MAX_ID + 1, description="cursor: return items older than this")]
