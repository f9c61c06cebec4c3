"""Home and public timelines: the store checks the token and renders the whole page in one query (see
Store.home_page for how a home timeline is assembled), so a page costs one hop to a reader thread."""

from __future__ import annotations

from barker.errors import Unauthorized
from barker.gateway import StoreGateway
from barker.ports.types import RawJson
from barker.services import refuse_restricted, session_key


async def home(gw: StoreGateway, token: str | None, before: int | None, limit: int) -> RawJson:
    key = session_key(token)
    try:
        return await gw.read(gw.store.home_page, key, before, limit)
    except Unauthorized:
        await gw.read(refuse_restricted, gw.store, key)  # 403 for a session that must change its password
        raise


async def public(gw: StoreGateway, token: str | None, before: int | None, limit: int) -> RawJson:
    key = session_key(token)
    try:
        return await gw.read(gw.store.public_page, key, before, limit)
    except Unauthorized:
        await gw.read(refuse_restricted, gw.store, key)
        raise
