"""Service functions: what Barker does, independent of HTTP. Each takes the StoreGateway and the caller's
bearer token, and raises only barker.errors."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from barker import policies
from barker.errors import Forbidden, NotFound, Unauthorized
from barker.ids import now_ms
from barker.ports.accounts import Accounts, Tokens
from barker.ports.operators import AccountStates
from barker.ports.types import SessionKey, UserView
from barker.security import token_digest
from barker.validation import canonical_handle


@dataclass(frozen=True)
class Page:
    items: list[dict[str, Any]]
    next_before: int | None

    @classmethod
    def of(cls, items: list[dict[str, Any]], cursors: list[int], limit: int) -> Page:
        """A full page points at the next one; a short page is the last."""
        return cls(items, cursors[-1] if cursors and len(cursors) >= limit else None)


def session_key(token: str | None) -> SessionKey:
    """The token as the store checks it. A missing token is refused here, with the same answer the store
    gives for an unknown, revoked or expired one."""
    if not token:
        raise Unauthorized("missing, expired or revoked token")
    return SessionKey(token_digest(token), now_ms())


def authenticate(store: Tokens, token: str | None) -> int:
    """The caller's user id. Same answer for a missing, unknown, revoked or expired token; a session that
    must change its password first (an admin reset it) is refused with 403 password_change_required."""
    key = session_key(token)
    user_id = store.token_user(key.digest, key.now_ms)
    if user_id is None:
        refuse_restricted(store, key)
        raise Unauthorized("missing, expired or revoked token")
    return user_id


def authenticate_restricted(store: Tokens, token: str | None) -> int:
    """The caller's user id, for the few routes a session that must change its password may use (its own
    account, the password change, log-out)."""
    key = session_key(token)
    user_id = store.token_user(key.digest, key.now_ms)
    if user_id is None:
        user_id = store.restricted_token_user(key.digest, key.now_ms)
    if user_id is None:
        raise Unauthorized("missing, expired or revoked token")
    return user_id


def refuse_restricted(store: Tokens, key: SessionKey) -> None:
    """Asked only after a token was not found as a full session (the rare path, so the hot path stays one
    read): a restricted one answers 403, not 401, so the client knows to ask for a new password."""
    if store.restricted_token_user(key.digest, key.now_ms) is not None:
        raise Forbidden("an admin reset this account's password: change it (PUT /v1/me/password) first",
                        code="password_change_required")


def user_id_for(store: Accounts, handle: str) -> int:
    user_id = store.user_id_by_handle(canonical_handle(handle))
    if user_id is None:
        raise NotFound("no such user")  # never the handle: it is request input
    return user_id


class ShownAccounts(Accounts, AccountStates, Protocol):
    """What telling whether others may see an account uses of the store."""


def shown_user_id_for(store: ShownAccounts, handle: str) -> int:
    """The id of the user with this handle, if others may see them at all: a pending or suspended account
    answers 404 as if there were none (docs/safety.md; moderators look at it on the admin API). For the
    paths where someone names another account: its profile, its follower lists, following it."""
    user_id = user_id_for(store, handle)
    info = store.account_info(user_id)
    if info is None or not policies.shown_to_others(info.state):
        raise NotFound("no such user")
    return user_id


def user_view(store: Accounts, user_id: int, viewer: int | None) -> UserView:
    """The user's profile as the viewer sees it. The id came from a handle or a token a moment ago, so a
    user gone since (a race with a future account deletion) is simply not found."""
    view = store.user_view(user_id, viewer)
    if view is None:
        raise NotFound("no such user")
    return view
