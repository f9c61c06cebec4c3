"""Home and public timelines: the store checks the token and renders the whole page in one query (see
Store.home_page for how a home timeline is assembled), so a page costs one hop to a reader thread."""

from __future__ import annotations

from barker.gateway import StoreGateway
from barker.ports.types import RawJson
from barker.services import session_key


async def home(gw: StoreGateway, token: str | None, before: int | None, limit: int) -> RawJson:
    return await gw.read(gw.store.home_page, session_key(token), before, limit)


async def public(gw: StoreGateway, token: str | None, before: int | None, limit: int) -> RawJson:
    return await gw.read(gw.store.public_page, session_key(token), before, limit)
