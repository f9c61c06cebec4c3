"""The account service over an in-memory fake of only the ports it declares (AccountStore: accounts, tokens,
rate limits, transactions): sign-up, log-in, sessions and password change run with no database at all.

This is what the split contract (barker/ports/) is for: a service's fake needs the dozen methods of its
ports, not the sixty of the whole Store. The fake follows each port's docstring (a taken handle is a
Conflict, a revoked or expired token is unknown, a refused rate-limit take counts nothing, a bulk block is
all or nothing), and the service runs through the real StoreGateway, so the writer thread, hashing threads
and rate limits are the product's own; the gateway itself also asks for a node lease and close() (the
process's machinery, not the service's), which the fake provides on top.
"""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import pytest

from barker.errors import Conflict, Forbidden, RateLimited, Unauthorized
from barker.gateway import StoreGateway
from barker.ports.capabilities import Capabilities
from barker.ports.lifecycle import Leases
from barker.ports.operators import AccountInfo
from barker.ports.store import Store
from barker.ports.types import Credentials, NewUser, RateCounter, RateTake, UserView
from barker.services import accounts
from barker.services.accounts import AccountStore
from tests.conftest import make_settings

ADDRESS = "192.0.2.7"

ONE_WRITE_AT_A_TIME = Capabilities(group_commit=False, local=False, needs_compaction=False)


@dataclass
class FakeAccountStore:
    """Accounts, Tokens, RateLimits and Transactions in dicts; nothing else of the Store."""

    users: dict[int, NewUser] = field(default_factory=dict)
    # digest -> (user, expires_ms, restricted)
    tokens: dict[bytes, tuple[int, int, bool]] = field(default_factory=dict)
    counters: dict[tuple[str, int], int] = field(default_factory=dict)  # (key, window end) -> count
    # Each request write alone, like ArangoDB: the writer never nests bulk().
    capabilities: Capabilities = field(default_factory=lambda: ONE_WRITE_AT_A_TIME)

    # -- Transactions: a bulk block is all or nothing (a snapshot restored if it raises) --
    @contextmanager
    def bulk(self) -> Iterator[None]:
        saved = copy.deepcopy((self.users, self.tokens, self.counters))
        try:
            yield
        except BaseException:
            self.users, self.tokens, self.counters = saved
            raise

    # -- Accounts --
    def create_user(self, user: NewUser) -> None:
        if self.user_id_by_handle(user.handle_canon) is not None:
            raise Conflict("handle taken", code="handle_taken")
        self.users[user.id] = user

    def credentials(self, handle_canon: str) -> Credentials | None:
        user_id = self.user_id_by_handle(handle_canon)
        return None if user_id is None else Credentials(user_id, self.users[user_id].password_hash)

    def password_hash(self, user_id: int) -> str | None:
        user = self.users.get(user_id)
        return None if user is None else user.password_hash

    def user_id_by_handle(self, handle_canon: str) -> int | None:
        return next((u.id for u in self.users.values() if u.handle_canon == handle_canon), None)

    def user_ids_by_handles(self, handles_canon: Sequence[str]) -> dict[str, int]:
        return {u.handle_canon: u.id for u in self.users.values() if u.handle_canon in handles_canon}

    def user_view(self, user_id: int, viewer: int | None) -> UserView | None:
        user = self.users.get(user_id)
        if user is None:
            return None
        return {"id": user.id, "handle": user.handle, "display_name": user.display_name, "bio": user.bio}

    def update_profile(self, user_id: int, display_name: str | None, bio: str | None) -> None:
        user = self.users[user_id]
        self.users[user_id] = NewUser(user.id, user.handle, user.handle_canon,
                                      user.display_name if display_name is None else display_name,
                                      user.bio if bio is None else bio, user.password_hash)

    def set_password_hash(self, user_id: int, password_hash: str) -> None:
        user = self.users[user_id]
        self.users[user_id] = NewUser(user.id, user.handle, user.handle_canon, user.display_name, user.bio,
                                      password_hash)

    # -- Tokens --
    def create_token(self, digest: bytes, user_id: int, expires_ms: int, restricted: bool = False) -> None:
        self.tokens[digest] = (user_id, expires_ms, restricted)

    def token_user(self, digest: bytes, now_ms: int) -> int | None:
        found = self.tokens.get(digest)
        return found[0] if found is not None and found[1] > now_ms and not found[2] else None

    def restricted_token_user(self, digest: bytes, now_ms: int) -> int | None:
        found = self.tokens.get(digest)
        return found[0] if found is not None and found[1] > now_ms and found[2] else None

    # -- AccountStates and Registrations: every account an active user; no setting, no invite --
    def account_info(self, user_id: int) -> AccountInfo | None:
        user = self.users.get(user_id)
        if user is None:
            return None
        return AccountInfo(user.id, user.handle, user.display_name, "", user.role, user.state, False)

    def set_must_change_password(self, user_id: int, must: bool) -> None:
        pass

    def server_setting(self, name: str) -> str | None:
        return None

    def use_invite(self, digest: bytes, now_ms: int) -> bool:
        return False

    def revoke_token(self, digest: bytes) -> None:
        self.tokens.pop(digest, None)

    def revoke_user_tokens(self, user_id: int, keep: bytes | None) -> int:
        gone = [d for d, (owner, _, _) in self.tokens.items() if owner == user_id and d != keep]
        for digest in gone:
            del self.tokens[digest]
        return len(gone)

    # -- RateLimits --
    def hit_rate_limit(self, key: str, window_ms: int, now_ms: int) -> int:
        slot = (key, (now_ms // window_ms + 1) * window_ms)
        self.counters[slot] = self.counters.get(slot, 0) + 1
        return self.counters[slot]

    def take_rate_limits(self, counters: Sequence[RateCounter], now_ms: int) -> RateTake:
        slots = [(c.key, c.window_end(now_ms)) for c in counters]
        counts = [self.counters.get(slot, 0) for slot in slots]
        if any(n >= c.limit for n, c in zip(counts, counters, strict=True)):
            return RateTake(False, counts)
        for slot in slots:
            self.counters[slot] = self.counters.get(slot, 0) + 1
        return RateTake(True, [n + 1 for n in counts])

    def purge_rate_limits(self, now_ms: int, limit: int) -> int:
        dead = [slot for slot in self.counters if slot[1] <= now_ms][:limit]
        for slot in dead:
            del self.counters[slot]
        return len(dead)

    # -- what the gateway (not the service) needs: an id-generator node, and close() --
    def claim_node(self, holder: str, now_ms: int, ttl_ms: int) -> int:
        return 1

    def renew_node(self, node: int, holder: str, now_ms: int, ttl_ms: int) -> bool:
        return True

    def close(self) -> None:
        pass


def public_names(cls: type) -> set[str]:
    names = set(dir(cls)) | set(getattr(cls, "__annotations__", {}))
    return {n for n in names if not n.startswith("_")}


def test_the_fake_is_only_the_ports_the_service_declares() -> None:
    """The point of the split: the fake provides AccountStore (plus the gateway's lease, close and capabilities), and a
    type checker accepts it as one. If the service needed another port, its declaration (and this fake)
    would have to grow: the dependency cannot hide."""
    declared = {n for base in AccountStore.__mro__ if base not in (object,) for n in public_names(base)}
    gateway_needs = public_names(Leases) | {"close", "capabilities"}  # capabilities: the writer's grouping
    data = {"users", "tokens", "counters"}
    assert public_names(FakeAccountStore) - data <= declared | gateway_needs
    assert declared - public_names(object) <= public_names(FakeAccountStore)
    assert len(declared - public_names(object)) < 25  # versus about eighty in the whole Store
    _: AccountStore = FakeAccountStore()  # mypy checks this line when it is pointed at tests/


@pytest.fixture
def fake() -> FakeAccountStore:
    return FakeAccountStore()


@pytest.fixture
def gw(tmp_path: Path, fake: FakeAccountStore) -> Iterator[StoreGateway]:
    # The gateway is typed for a whole Store (it serves every service); the cast says this one is not.
    gateway = StoreGateway(cast(Store, fake), make_settings(tmp_path, logins_per_ip_per_15_minutes=100))
    yield gateway
    gateway.close()


def run(coro: Any) -> Any:
    return asyncio.run(coro)


def test_sign_up_then_log_in(gw: StoreGateway, fake: FakeAccountStore) -> None:
    session = run(accounts.sign_up(gw, "Alice", "correct horse battery", None, "hi", ADDRESS))
    assert session["user"]["handle"] == "Alice" and session["token"]
    assert fake.users[session["user"]["id"]].password_hash != "correct horse battery"  # hashed, never kept
    again = run(accounts.log_in(gw, "alice", "correct horse battery", ADDRESS))  # handles are case-blind
    assert again["user"]["id"] == session["user"]["id"] and again["token"] != session["token"]
    for token in (session["token"], again["token"]):
        assert run(accounts.me(gw, token))["handle"] == "Alice"


def test_a_taken_handle_is_refused_and_writes_nothing(gw: StoreGateway, fake: FakeAccountStore) -> None:
    run(accounts.sign_up(gw, "Alice", "correct horse battery", None, "", ADDRESS))
    before = copy.deepcopy((fake.users, fake.tokens))
    with pytest.raises(Conflict):
        run(accounts.sign_up(gw, "ALICE", "another long password", None, "", ADDRESS))
    assert (fake.users, fake.tokens) == before  # no user, no orphan session


def test_wrong_or_unknown_credentials_are_one_answer(gw: StoreGateway) -> None:
    run(accounts.sign_up(gw, "Alice", "correct horse battery", None, "", ADDRESS))
    for handle, password in (("alice", "wrong horse battery"), ("nobody", "correct horse battery")):
        with pytest.raises(Unauthorized) as refused:
            run(accounts.log_in(gw, handle, password, ADDRESS))
        assert refused.value.code == "wrong_credentials"


def test_log_in_attempts_are_limited_per_handle(tmp_path: Path, fake: FakeAccountStore) -> None:
    """The limit counts through the fake's RateLimits port, before any password is checked."""
    gateway = StoreGateway(cast(Store, fake), make_settings(tmp_path, login_attempts_per_15_minutes=2))
    try:
        run(accounts.sign_up(gateway, "Alice", "correct horse battery", None, "", ADDRESS))
        for _ in range(2):
            with pytest.raises(Unauthorized):
                run(accounts.log_in(gateway, "alice", "wrong horse battery", ADDRESS))
        with pytest.raises(RateLimited):  # even the right password, once the handle's budget is spent
            run(accounts.log_in(gateway, "alice", "correct horse battery", ADDRESS))
    finally:
        gateway.close()


def test_log_out_ends_only_that_session(gw: StoreGateway) -> None:
    first = run(accounts.sign_up(gw, "Alice", "correct horse battery", None, "", ADDRESS))["token"]
    second = run(accounts.log_in(gw, "alice", "correct horse battery", ADDRESS))["token"]
    run(accounts.log_out(gw, first))
    with pytest.raises(Unauthorized):
        run(accounts.me(gw, first))
    assert run(accounts.me(gw, second))["handle"] == "Alice"


def test_changing_the_password_revokes_the_other_sessions(gw: StoreGateway) -> None:
    mine = run(accounts.sign_up(gw, "Alice", "correct horse battery", None, "", ADDRESS))["token"]
    stolen = run(accounts.log_in(gw, "alice", "correct horse battery", ADDRESS))["token"]
    with pytest.raises(Forbidden):
        run(accounts.change_password(gw, stolen, "not the password", "whatever else entirely", ADDRESS))
    assert run(accounts.change_password(gw, mine, "correct horse battery", "a new long passphrase", ADDRESS)) == 1
    with pytest.raises(Unauthorized):
        run(accounts.me(gw, stolen))
    assert run(accounts.me(gw, mine))["handle"] == "Alice"
    with pytest.raises(Unauthorized):
        run(accounts.log_in(gw, "alice", "correct horse battery", ADDRESS))
    assert run(accounts.log_in(gw, "alice", "a new long passphrase", ADDRESS))["token"]
