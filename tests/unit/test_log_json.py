"""BARKER_LOG_FORMAT=json (barker/log_json.py): one JSON object per record, the access log's parts as fields,
and the same redaction as the text logs, even on a handler that lacks the redaction filter."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from barker.log_json import JsonLines
from barker.log_redaction import RedactSecrets

TOKEN = "tok_3f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c"


@pytest.fixture(params=["filtered", "formatter only"])
def logged(request: pytest.FixtureRequest) -> Iterator[tuple[logging.Logger, io.StringIO]]:
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(JsonLines(fmt="ignored", use_colors=None))  # as uvicorn's log config builds it
    if request.param == "filtered":
        handler.addFilter(RedactSecrets())
    logger = logging.getLogger(f"uvicorn.access.test-{request.param}")
    logger.propagate = False
    logger.addHandler(handler)
    yield logger, out
    logger.removeHandler(handler)


def records(out: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_access_lines_carry_fields_and_no_token(logged: tuple[logging.Logger, io.StringIO]) -> None:
    logger, out = logged
    record = logger.makeRecord("uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d',
                               ("127.0.0.1:5000", "GET", f"/v1/stream?after=3&access_token={TOKEN}", "1.1", 101),
                               None)
    logger.handle(record)
    [line] = records(out)
    assert TOKEN not in out.getvalue()
    assert line["logger"] == "uvicorn.access" and line["level"] == "INFO"
    assert (line["method"], line["path"], line["status"], line["client"]) == ("GET", "/v1/stream", 101,
                                                                             "127.0.0.1:5000")
    assert "access_token=[redacted]" in str(line["message"])


def test_exceptions_and_messages_are_redacted(logged: tuple[logging.Logger, io.StringIO]) -> None:
    logger, out = logged
    try:
        raise RuntimeError(f"connect failed: Authorization: Bearer {TOKEN}")
    except RuntimeError:
        logger.exception("calling redis://:%s@localhost:6379 failed", TOKEN)
    logger.warning("header %r", {"authorization": f"Bearer {TOKEN}"}, stack_info=True)
    first, second = records(out)
    assert TOKEN not in out.getvalue()
    assert first["level"] == "ERROR" and first["message"] == "calling redis://:[redacted]@localhost:6379 failed"
    assert "RuntimeError: connect failed" in str(first["exception"]) and "Traceback" in str(first["exception"])
    assert "[redacted]" in str(second["message"]) and "Stack (most recent call last)" in str(second["stack"])
    assert str(first["time"]).endswith("Z")
