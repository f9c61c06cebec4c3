"""The store as a running thing: open connections, a health probe, transactions, and the leases that
give each process its own id-generator node."""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Protocol

from barker.ports.capabilities import Capabilities


class Lifecycle(Protocol):
    """Connections and health: what the process that owns the store needs."""

    # What kind of engine this is (grouped writes, inline reads, file backups): see Capabilities.
    capabilities: Capabilities

    def close(self) -> None: ...

    def ping(self) -> None:
        """Raise StoreUnavailable unless the store answers a trivial query."""


class Transactions(Protocol):
    """Several writes as one: the writer's group commit, and a service's all-or-nothing steps."""

    def bulk(self) -> AbstractContextManager[None]:
        """Group writes from this thread into one transaction (group commit, seeding). Nested calls join
        it; reads inside the block see the block's writes. A nested call that raises rolls back alone on
        SQLite (a savepoint); on ArangoDB (no savepoints) only if it wrote nothing before raising, else
        the whole block is rolled back and its end raises StoreUnavailable (see Capabilities.group_commit)."""


class Leases(Protocol):
    """Id-generator node numbers, leased so no two live processes mint the same ids."""

    def claim_node(self, holder: str, now_ms: int, ttl_ms: int) -> int:
        """Lease the lowest free id-generator node number; raise Conflict when all are leased."""

    def renew_node(self, node: int, holder: str, now_ms: int, ttl_ms: int) -> bool:
        """Extend a lease; False if it was lost (expired and taken by another holder)."""
