"""Accounts and the bearer tokens that sign them in."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from barker.ports.types import Credentials, NewUser, UserView


class Accounts(Protocol):
    """Users: sign-up, credentials and profiles."""

    def create_user(self, user: NewUser) -> None:
        """Raise Conflict if the canonical handle is taken."""

    def credentials(self, handle_canon: str) -> Credentials | None: ...

    def password_hash(self, user_id: int) -> str | None: ...

    def user_id_by_handle(self, handle_canon: str) -> int | None: ...

    def user_ids_by_handles(self, handles_canon: Sequence[str]) -> dict[str, int]:
        """The ids of those of these canonical handles that belong to a user (mentions), in one read."""

    def user_view(self, user_id: int, viewer: int | None) -> UserView | None:
        """Profile with counts; `following`/`followed_by` flags relative to the viewer."""

    def update_profile(self, user_id: int, display_name: str | None, bio: str | None) -> None: ...

    def set_password_hash(self, user_id: int, password_hash: str) -> None: ...


class Tokens(Protocol):
    """Bearer tokens, stored by digest only."""

    def create_token(self, digest: bytes, user_id: int, expires_ms: int, restricted: bool = False) -> None:
        """`restricted`: a session that may only change its password (after an admin reset it)."""

    def token_user(self, digest: bytes, now_ms: int) -> int | None:
        """The user a token belongs to, or None if unknown, revoked, expired or restricted."""

    def restricted_token_user(self, digest: bytes, now_ms: int) -> int | None:
        """The user of a valid restricted token, or None (asked only when token_user said None)."""

    def revoke_token(self, digest: bytes) -> None: ...

    def revoke_user_tokens(self, user_id: int, keep: bytes | None) -> int:
        """Revoke every token of the user except `keep`; return how many were revoked."""
