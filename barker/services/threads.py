"""Conversations: a bark in its thread (the replies above it and a page of those below)."""

from __future__ import annotations

from typing import Any, Protocol

from barker.errors import NotFound
from barker.gateway import StoreGateway
from barker.ports.accounts import Tokens
from barker.ports.barks import Barks
from barker.ports.threads import Threads
from barker.services import authenticate


class ThreadStore(Threads, Barks, Tokens, Protocol):
    """What the thread service uses of the store: the reply tree, which bark a rebark shares, who is asking."""


async def thread(gw: StoreGateway, token: str | None, bark_id: int, after: int | None,
                 limit: int) -> dict[str, Any]:
    """The API's Thread: the bark (a rebark's original: replies answer originals), its ancestors and one page
    of its descendants after the descendant `after`."""

    def read(store: ThreadStore) -> dict[str, Any]:
        viewer = authenticate(store, token)
        found = store.bark_author(bark_id)
        if found is None or (found[1] is not None and not store.bark_views([bark_id], viewer)):
            raise NotFound("no such bark")  # (a rebark the viewer does not see: as if there were none)
        view = store.thread(found[1] or bark_id, viewer, after, limit)
        return {"ancestors": view.ancestors, "bark": view.bark, "descendants": view.descendants,
                "next_after": view.next_after}

    return await gw.read(read, gw.store)
