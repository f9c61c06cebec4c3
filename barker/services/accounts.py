"""Sign-up, log-in/out, the caller's own account, passwords."""

from __future__ import annotations

import asyncio
import contextlib
import functools
from datetime import UTC, datetime
from typing import Any, Protocol

from argon2 import PasswordHasher

from barker import policies, rate_limits
from barker.addresses import limit_key
from barker.errors import Busy, Forbidden, Unauthorized
from barker.gateway import StoreGateway
from barker.ids import now_ms
from barker.ports.accounts import Accounts, Tokens
from barker.ports.lifecycle import Transactions
from barker.ports.operators import AccountStates, Registrations
from barker.ports.rate_limits import RateLimits
from barker.ports.types import NewUser
from barker.security import check_password, new_token, token_digest
from barker.services import authenticate, authenticate_restricted, user_view
from barker.validation import canonical_handle


class AccountStore(Accounts, Tokens, RateLimits, Transactions, AccountStates, Registrations, Protocol):
    """What the account service uses of the store: accounts, their tokens, the log-in limits, transactions,
    and of the operators' part the role and forced password change, the registration mode and invites."""

WRONG_LOGIN = "wrong handle or password"


def _new_session(gw: StoreGateway, store: AccountStore, user_id: int, restricted: bool = False) -> dict[str, Any]:
    """Issue a token and return it with the user's view. Runs inside a write hop. A restricted session
    (the password was reset by an admin) may only change the password, log out and read its account."""
    token = new_token()
    expires = now_ms() + gw.settings.token_ttl_seconds * 1000
    store.create_token(token_digest(token), user_id, expires, restricted)
    return {"token": token, "token_type": "bearer",
            "expires_at": datetime.fromtimestamp(expires / 1000, UTC).isoformat().replace("+00:00", "Z"),
            "must_change_password": restricted, "user": _own_view(store, user_id)}


def _own_view(store: AccountStore, user_id: int) -> dict[str, Any]:
    """Your own profile, with what only you (and the staff) may know of it: role and forced password change."""
    view = dict(user_view(store, user_id, user_id))
    info = store.account_info(user_id)
    view["role"] = info.role if info else "user"
    view["must_change_password"] = bool(info and info.must_change_password)
    return view


def _registration_mode(gw: StoreGateway, store: AccountStore) -> str:
    return policies.registration_mode(store.server_setting(policies.REGISTRATION_MODE_SETTING),
                                      gw.settings.registrations)


async def sign_up(gw: StoreGateway, handle: str, password: str, display_name: str | None,
                  bio: str, client_address: str, invite: str | None = None) -> dict[str, Any]:
    """A new account and its first session; in approval mode a pending account and no session
    ({"pending": true}); in invite mode only with a usable invite code."""
    mode = await gw.read(_registration_mode, gw, gw.store)
    if mode == "closed":
        raise Forbidden("registrations are closed on this server", code="registrations_closed")
    if mode == "invite" and not invite:
        raise Forbidden("this server takes new accounts by invitation: an invite code is needed",
                        code="invalid_invite")
    # Counted before the password is hashed, so a refused sign-up costs no Argon2 time; every attempt that
    # passed input validation counts, including one whose handle turns out to be taken.
    await gw.write(rate_limits.charge, gw.store, rate_limits.sign_ups(gw.settings, limit_key(client_address)),
                   now_ms())
    password_hash = await gw.hashing(gw.hasher.hash, password)

    def create(store: AccountStore) -> dict[str, Any]:
        user_id = gw.ids.next()
        mode_now = _registration_mode(gw, store)  # an admin may have changed it during the hashing
        if mode_now == "closed":
            raise Forbidden("registrations are closed on this server", code="registrations_closed")
        with store.bulk():  # the account and its first session (or the invite's use), or neither
            if mode_now == "invite" and not store.use_invite(token_digest(invite or ""), now_ms()):
                # Unknown, used up, expired or revoked: one answer, so codes cannot be probed for which.
                raise Forbidden("that invite code is not valid (unknown, used up or expired)", code="invalid_invite")
            state = "pending" if mode_now == "approval" else "active"
            store.create_user(NewUser(user_id, handle, canonical_handle(handle), display_name or handle,
                                      bio, password_hash, state=state))
            if state == "pending":
                return {"pending": True, "handle": handle,
                        "message": "the account waits for a moderator's approval before it can log in"}
            return _new_session(gw, store, user_id)

    return await gw.write(create, gw.store)


async def log_in(gw: StoreGateway, handle: str, password: str, client_address: str) -> dict[str, Any]:
    canon = canonical_handle(handle)
    # Attempts per handle and per address are counted in the store (so every process shares the count)
    # before any password is checked: guessing is capped whichever process the guesses go to.
    await gw.write(rate_limits.charge, gw.store,
                   rate_limits.credential_checks(gw.settings, canon, limit_key(client_address)), now_ms())
    creds = await gw.read(gw.store.credentials, canon)
    if creds is None:
        await _as_long_as_a_check(gw)
        raise Unauthorized(WRONG_LOGIN, code="wrong_credentials")
    check = await gw.hashing(check_password, gw.hasher, creds.password_hash, password)
    if not check.ok:
        raise Unauthorized(WRONG_LOGIN, code="wrong_credentials")
    policies.check_log_in(creds.state)  # pending or suspended: told only to whoever knows the password
    if check.needs_rehash:  # parameters were raised since this hash was made; when busy, next time
        with contextlib.suppress(Busy):
            new_hash = await gw.hashing(gw.hasher.hash, password)
            await gw.write(gw.store.set_password_hash, creds.user_id, new_hash)

    def session(store: AccountStore) -> dict[str, Any]:
        # Again in the session's own write: a suspension during the password check (its tokens revoked
        # before this one existed) must not leave a session behind.
        info = store.account_info(creds.user_id)
        if info is not None:
            policies.check_log_in(info.state)
        return _new_session(gw, store, creds.user_id, creds.must_change_password)

    return await gw.write(session, gw.store)


async def _as_long_as_a_check(gw: StoreGateway) -> None:
    """Answer an unknown handle after about as long as a password check takes, without the check.

    Handles are public (every profile is at /v1/users/{handle}; sign-up says when one is taken), so an
    Argon2 check against a dummy hash hid nothing, and it let a burst of log-ins with made-up handles fill
    the hashing pool and lock real users out (bench/login_bench.py). Waiting costs no CPU and keeps the
    answer's timing in line with a real check's run time. Until this process has timed a check, it makes
    one real dummy check (once), as before."""
    if (seconds := gw.typical_hash_seconds) is None:
        await gw.hashing(check_password, gw.hasher, _dummy_hash(gw.hasher), "not-the-password")
    else:
        await asyncio.sleep(seconds)


@functools.lru_cache(maxsize=4)
def _dummy_hash(hasher: PasswordHasher) -> str:
    """A hash with the current parameters, for the first unknown handle before any check was timed."""
    return hasher.hash("not-a-real-password")


async def log_out(gw: StoreGateway, token: str | None) -> None:
    def revoke(store: AccountStore) -> None:
        authenticate_restricted(store, token)
        store.revoke_token(token_digest(token or ""))

    await gw.write(revoke, gw.store)


async def me(gw: StoreGateway, token: str | None) -> dict[str, Any]:
    def view(store: AccountStore) -> dict[str, Any]:
        return _own_view(store, authenticate_restricted(store, token))

    return await gw.read(view, gw.store)


async def edit_profile(gw: StoreGateway, token: str | None, display_name: str | None,
                       bio: str | None) -> dict[str, Any]:
    def edit(store: AccountStore) -> dict[str, Any]:
        user_id = authenticate(store, token)
        store.update_profile(user_id, display_name, bio)
        return _own_view(store, user_id)

    return await gw.write(edit, gw.store)


async def change_password(gw: StoreGateway, token: str | None, old: str, new: str, client_address: str) -> int:
    """Set a new password after checking the old one; every other session is revoked. Returns how many.
    Each attempt counts against the log-in limits (per handle and per address): a stolen session must not
    become a way to guess the password without them."""

    def current(store: AccountStore) -> tuple[int, str]:
        user_id = authenticate_restricted(store, token)
        canon = canonical_handle(user_view(store, user_id, user_id)["handle"])
        rate_limits.charge(store, rate_limits.credential_checks(gw.settings, canon, limit_key(client_address)),
                           now_ms())
        return user_id, store.password_hash(user_id) or ""

    user_id, stored = await gw.write(current, gw.store)
    if not (await gw.hashing(check_password, gw.hasher, stored, old)).ok:
        # 403, not 401: the session is fine, and a 401 would tell clients to drop it.
        raise Forbidden("the old password is wrong", code="wrong_password")
    new_hash = await gw.hashing(gw.hasher.hash, new)

    def replace(store: AccountStore) -> int:
        with store.bulk():
            authenticate_restricted(store, token)  # still valid after the hashing pause?
            store.set_password_hash(user_id, new_hash)
            store.set_must_change_password(user_id, False)  # lifts this session's restriction too
            return store.revoke_user_tokens(user_id, keep=token_digest(token or ""))

    return await gw.write(replace, gw.store)
