"""Leaving: deleting one's own account (password required). The data export is barker/services/export.py."""

from __future__ import annotations

from typing import Protocol

from barker import rate_limits
from barker.addresses import limit_key
from barker.errors import Forbidden
from barker.gateway import StoreGateway
from barker.ids import now_ms
from barker.ports.accounts import Accounts, Tokens
from barker.ports.departures import Departures
from barker.ports.lifecycle import Transactions
from barker.ports.rate_limits import RateLimits
from barker.security import check_password
from barker.services import authenticate, user_view
from barker.validation import canonical_handle


class DepartureStore(Accounts, Tokens, RateLimits, Transactions, Departures, Protocol):
    """What account deletion uses of the store."""


async def delete_account(gw: StoreGateway, token: str | None, password: str, client_address: str) -> None:
    """Check the password (counted with log-in attempts, per handle and per address, like a password
    change), then begin the deletion: one short store transaction hides the account from everyone, retires
    its handle and ends its sessions (every socket of it is cut off by the stream hub's token watchdog, as on
    a log-out elsewhere), and queues the departure job, which the fan-out worker runs in bounded batches
    (barker/ports/departures.py), so other users' writes never wait for the whole account."""

    def current(store: DepartureStore) -> str:
        user_id = authenticate(store, token)
        canon = canonical_handle(user_view(store, user_id, user_id)["handle"])
        rate_limits.charge(store, rate_limits.credential_checks(gw.settings, canon, limit_key(client_address)),
                           now_ms())
        return store.password_hash(user_id) or ""

    stored = await gw.write(current, gw.store)
    if not (await gw.hashing(check_password, gw.hasher, stored, password)).ok:
        # 403, not 401: the session is fine, and a 401 would tell clients to drop it.
        raise Forbidden("the password is wrong", code="wrong_password")

    def delete(store: DepartureStore) -> None:
        user_id = authenticate(store, token)  # still valid after the hashing pause?
        store.begin_departure(user_id, gw.ids.next(), now_ms())

    await gw.write(delete, gw.store)
    gw.jobs_queued()
