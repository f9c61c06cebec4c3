"""The id generator's node lease: each running process leases one of the few id nodes from the store
(barker/ids.py), so ids made in different processes never collide."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from barker.errors import StoreUnavailable
from barker.ids import IdGenerator, now_ms
from barker.ports.store import Store

log = logging.getLogger("barker.runtime.leases")
NODE_LEASE_MS = 60_000

Write = Callable[..., Awaitable[Any]]  # how renewals reach the store: the runtime's request write


class NodeLease:
    """Claims a node at start (synchronously: nothing runs yet) and hands out `ids` for it."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.holder = f"{uuid.uuid4()}"
        self.ids = IdGenerator(store.claim_node(self.holder, now_ms(), NODE_LEASE_MS))

    async def renew(self, write: Write) -> bool:
        """Renew the lease now; False if it was lost. A real, harmless write (readiness probes use it)."""
        renewed: bool = await write(self.store.renew_node, self.ids.node, self.holder, now_ms(), NODE_LEASE_MS)
        return renewed

    async def keep(self, write: Write) -> None:
        """Renew the lease; if it was lost (e.g. the process stalled past the lease), switch to a freshly
        claimed node so ids stay unique."""
        while True:
            await asyncio.sleep(NODE_LEASE_MS / 3000)
            try:
                if not await self.renew(write):
                    node = await write(self.store.claim_node, self.holder, now_ms(), NODE_LEASE_MS)
                    log.warning("id node lease lost; switching from node %d to %d", self.ids.node, node)
                    self.ids = IdGenerator(node)
            except StoreUnavailable:  # logged by the store health; the lease has slack for that
                pass
            except Exception:  # the store may be briefly unavailable; the lease has slack for that
                log.exception("renewing the id node lease failed")
