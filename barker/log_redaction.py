"""Secrets never reach a log: tokens and passwords are cut out of every log record before it is written.

A token reaches a log line in three shapes: an `access_token=` query parameter (uvicorn's access log and
its "WebSocket /v1/stream?access_token=… [accepted]" line print the whole path), an `Authorization`
header value, and a `bearer.<token>` websocket subprotocol (both in uvicorn's trace-level ASGI scope dumps,
or anything that logs headers). A password reaches one inside a store or bus URL. Each keeps its name and
loses its value: `access_token=[redacted]`, `redis://:[redacted]@host`.

The filter goes on handlers, not loggers: a logger's filters only see records logged on that very logger,
while a handler's see every record that reaches it, from any child logger. `barker serve` installs it on
uvicorn's handlers (through its log config) and on the root logger's.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from typing import Any

REDACTED = "[redacted]"

# Each pattern: what to keep (a name, a scheme) and the secret after it, unless already redacted (a record
# may pass several handlers, and a line several patterns). Matched case-insensitively.
_SECRETS = [re.compile(pattern.replace("(?P<secret>", r"(?!\[redacted\])(?P<secret>"),
                       re.IGNORECASE | re.VERBOSE) for pattern in (
    # A query parameter. The key may arrive percent-encoded (`access%5Ftoken%3D…`), which Starlette
    # decodes and accepts, so the log must not print that either. The value runs to the next separator.
    r"(?P<keep> access(?:_|%5f)token(?:=|%3d) ) (?P<secret> [^\s&'\"\#,;)\]}]+ )",
    # An Authorization header, written as text, a dict or a tuple of bytes: its name, then its scheme.
    # Atomic (?>…): a scheme once read stays read, so an already redacted value is left alone.
    r"(?P<keep> (?> \bauthorization\b['\"]? \s*[:=,]\s* [(]?\s* (?:b?['\"])? (?:[a-z]+\s+)? ) )"
    r"(?P<secret> [^\s'\",;)\]}]+ )",
    # `Bearer <token>` anywhere, and the `bearer.<token>` websocket subprotocol.
    r"(?P<keep> \bbearer(?:\s+|\.) ) (?P<secret> [^\s'\",;)\]}]+ )",
    # The password in a URL's user info (`redis://:pw@host`, `arangodb://user:pw@host`).
    r"(?P<keep> [a-z][a-z0-9+.-]*://[^\s/:@]*: ) (?P<secret> [^\s/@]+ ) (?=@)",
)]


def redact(text: str) -> str:
    """`text` with every secret replaced by REDACTED (names and schemes kept)."""
    for pattern in _SECRETS:
        if pattern.search(text):  # the common case: a scan, no copy
            text = pattern.sub(lambda m: m["keep"] + REDACTED, text)
    return text


def _redact_arg(arg: Any) -> Any:
    # Only strings are rewritten in place: numbers keep their type for `%d` (uvicorn's access formatter
    # unpacks the args themselves); anything else is caught below, on the formatted message.
    return redact(arg) if isinstance(arg, str) else arg


class RedactSecrets(logging.Filter):
    """Rewrites a record's message, arguments, traceback and stack so that no secret is left in them.
    Never drops a record."""

    _tracebacks = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(_redact_arg(arg) for arg in record.args)
        elif isinstance(record.args, Mapping):
            record.args = {key: _redact_arg(value) for key, value in record.args.items()}
        try:
            message = record.getMessage()
        except Exception:  # a malformed call: logging reports it when the handler formats the record
            return True
        clean = redact(message)
        if clean != message:  # a secret in the template or in a non-string argument: keep only the text
            record.msg, record.args = clean, None
        if record.exc_info and not record.exc_text:  # formatters reuse exc_text rather than format again
            record.exc_text = self._tracebacks.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


def install(handlers: Iterable[logging.Handler]) -> None:
    """Put the filter on these handlers (once each)."""
    for handler in handlers:
        if not any(isinstance(f, RedactSecrets) for f in handler.filters):
            handler.addFilter(RedactSecrets())
