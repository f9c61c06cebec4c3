"""The SQLite store's accounts part: users, their credentials and profiles, and session tokens. A mixin of
SqliteStore (barker/store/sqlite.py)."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import TYPE_CHECKING

import orjson

from barker.errors import Conflict, NotFound
from barker.ids import iso
from barker.ports.types import Credentials, NewUser, UserView
from barker.store.sqlite_sql import accounts, departures, timelines

if TYPE_CHECKING:  # checked against what they use of SqliteStore, without importing it back
    from barker.store.sqlite_host import SqliteHost as _Base
else:
    _Base = object


class SqliteAccounts(_Base):
    """Mixed into SqliteStore; see the Accounts and Tokens protocols for each method's contract."""

    def create_user(self, user: NewUser) -> None:
        with self._tx() as c:
            if c.execute(departures.RETIRED, (user.handle_canon,)).fetchone():  # a deleted account's
                raise Conflict("that handle is taken", code="handle_taken")
            try:
                c.execute(accounts.INSERT_USER,
                          (user.id, user.handle, user.handle_canon, iso(user.id), user.display_name, user.bio,
                           user.password_hash, user.role, user.state))
            except sqlite3.IntegrityError:
                raise Conflict("that handle is taken", code="handle_taken") from None

    def credentials(self, handle_canon: str) -> Credentials | None:
        row = self._one(accounts.CREDENTIALS, (handle_canon,))
        return Credentials(row[0], row[1], row[2], bool(row[3])) if row else None

    def password_hash(self, user_id: int) -> str | None:
        row = self._one(accounts.PASSWORD_HASH, (user_id,))
        return row[0] if row else None

    def user_id_by_handle(self, handle_canon: str) -> int | None:
        row = self._one(accounts.USER_ID_BY_HANDLE, (handle_canon,))
        return row[0] if row else None

    def user_ids_by_handles(self, handles_canon: Sequence[str]) -> dict[str, int]:
        if not handles_canon:
            return {}
        row = self._one(accounts.USER_IDS_BY_HANDLES, (orjson.dumps(list(handles_canon)).decode(),))
        return {handle: int(user_id) for handle, user_id in orjson.loads(row[0]).items()}

    def user_view(self, user_id: int, viewer: int | None) -> UserView | None:
        return self._json(timelines.USER_VIEW, {"id": user_id, "viewer": viewer})

    def update_profile(self, user_id: int, display_name: str | None, bio: str | None) -> None:
        with self._tx() as c:
            cur = c.execute(accounts.UPDATE_PROFILE, (display_name, bio, user_id))
            if cur.rowcount == 0:
                raise NotFound("no such user")

    def set_password_hash(self, user_id: int, password_hash: str) -> None:
        with self._tx() as c:
            c.execute(accounts.SET_PASSWORD_HASH, (password_hash, user_id))

    def create_token(self, digest: bytes, user_id: int, expires_ms: int, restricted: bool = False) -> None:
        with self._tx() as c:
            c.execute(accounts.INSERT_TOKEN, (digest, user_id, expires_ms, int(restricted)))

    def token_user(self, digest: bytes, now_ms: int) -> int | None:
        row = self._one(accounts.TOKEN_USER, (digest, now_ms))
        return row[0] if row else None

    def restricted_token_user(self, digest: bytes, now_ms: int) -> int | None:
        row = self._one(accounts.RESTRICTED_TOKEN_USER, (digest, now_ms))
        return row[0] if row else None

    def revoke_token(self, digest: bytes) -> None:
        with self._tx() as c:
            c.execute(accounts.REVOKE_TOKEN, (digest,))

    def revoke_user_tokens(self, user_id: int, keep: bytes | None) -> int:
        with self._tx() as c:
            return c.execute(accounts.REVOKE_USER_TOKENS,
                             (user_id, keep)).rowcount
