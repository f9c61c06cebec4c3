"""Log records as JSON lines (BARKER_LOG_FORMAT=json; docs/metrics.md): one object a line, for log shippers.

Every line has `time` (ISO 8601 UTC, milliseconds), `level`, `logger` and `message`; `exception` (the
traceback text) and `stack` when the record has them. uvicorn's access lines also carry `client`,
`method`, `path` (without its query string: queries can hold secrets and are unbounded), `http_version`
and `status` as fields. uvicorn's access log has no duration: request durations are in /metrics.

Secrets: the handlers this formatter is put on also carry barker.log_redaction's filter, which rewrites the
record first; the formatter runs the same redaction over every text it writes as well, so a handler set up
without the filter still never writes a token.
"""

from __future__ import annotations

import logging
from typing import Any

import orjson

from barker.ids import iso_ms
from barker.log_redaction import redact

ACCESS_LOGGER = "uvicorn.access"


def _access_fields(args: Any) -> dict[str, Any]:
    """uvicorn's access record: `'%s - "%s %s HTTP/%s" %d'` with (client, method, path?query, version, status)."""
    if not (isinstance(args, tuple) and len(args) == 5):
        return {}  # another shape (a future uvicorn, or args dropped by redaction): the message has it all
    client, method, path, version, status = args
    fields: dict[str, Any] = {"client": str(client), "method": str(method),
                              "path": str(path).partition("?")[0], "http_version": str(version)}
    if isinstance(status, int):
        fields["status"] = status
    return fields


class JsonLines(logging.Formatter):
    """Formats a record as one line of JSON. Accepts (and ignores) uvicorn's formatter options, so it can
    replace uvicorn's formatters in its log config as they are."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__()

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {"time": iso_ms(int(record.created * 1000)), "level": record.levelname,
                                "logger": record.name, "message": redact(record.getMessage())}
        if record.name == ACCESS_LOGGER:
            line.update({key: redact(value) if isinstance(value, str) else value
                         for key, value in _access_fields(record.args).items()})
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            line["exception"] = redact(record.exc_text)
        if record.stack_info:
            line["stack"] = redact(self.formatStack(record.stack_info))
        return orjson.dumps(line).decode()


def use_on(handlers: list[logging.Handler]) -> None:
    """Format these handlers' records as JSON lines."""
    for handler in handlers:
        handler.setFormatter(JsonLines())
