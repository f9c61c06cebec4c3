"""Driver-neutral errors. Store adapters translate driver errors into these; the HTTP layer maps each
to one status code (backend/errors.py), so nothing below the backend knows about HTTP."""

from __future__ import annotations


class BarkerError(Exception):
    code = "error"

    def __init__(self, message: str, *, code: str | None = None, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        # Seconds after which the same request may succeed (limits, overload, a full disk): the HTTP layer
        # sends it as Retry-After.
        self.retry_after = retry_after
        if code:
            self.code = code


class Invalid(BarkerError, ValueError):
    """Input breaks a rule. Also a ValueError so pydantic validators can raise it."""

    code = "invalid"


class NotFound(BarkerError):
    code = "not_found"


class Conflict(BarkerError):
    code = "conflict"


class Unauthorized(BarkerError):
    code = "unauthorized"


class Forbidden(BarkerError):
    code = "forbidden"


class RateLimited(BarkerError):
    """Too many requests of a kind in the current window."""

    code = "rate_limited"


class StoreUnavailable(BarkerError):
    code = "store_unavailable"
    # A condition of the store that lasts (tracked by barker.health, reported by /readyz); False for a
    # momentary failure worth retrying at once (a write conflict).
    outage = True


class StorageFull(StoreUnavailable):
    """The store or the media directory has no room left: nothing was written; retry once space returns."""

    code = "storage_full"


class Busy(BarkerError):
    """A bounded queue (password hashing, image processing) is full: retry shortly."""

    code = "busy"


class TooLarge(BarkerError):
    """An upload over its size limit."""

    code = "too_large"


class UnsupportedMediaType(BarkerError):
    """Content of a kind that is not accepted (judged by the content itself, never by a name or header)."""

    code = "unsupported_media_type"
