"""Password hashing (Argon2id) and opaque bearer tokens stored only as hashes."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from barker.settings import Settings

TOKEN_BYTES = 32


def make_hasher(settings: Settings) -> PasswordHasher:
    return PasswordHasher(time_cost=settings.argon2_time_cost, memory_cost=settings.argon2_memory_kib,
                          parallelism=settings.argon2_parallelism)


@dataclass(frozen=True)
class PasswordCheck:
    ok: bool
    needs_rehash: bool = False


def check_password(hasher: PasswordHasher, stored_hash: str, password: str) -> PasswordCheck:
    try:
        hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return PasswordCheck(False)
    return PasswordCheck(True, hasher.check_needs_rehash(stored_hash))


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_digest(token: str) -> bytes:
    """Tokens carry 256 random bits, so a fast hash is enough: a leaked table reveals no usable token."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).digest()
