"""Secrets never reach a log: every shape a token or password takes in a log line is redacted, by a filter
that keeps uvicorn's own formatters working and sees the records of every logger under its handler."""

from __future__ import annotations

import io
import logging
import sys

import pytest
from uvicorn.logging import AccessFormatter

from backend.serving import log_config
from barker.log_redaction import REDACTED, RedactSecrets, install, redact

TOKEN = "Zq9x-_AbC123dEf456gHi789jKl012mNo345pQr678s"  # the shape of secrets.token_urlsafe(32)


@pytest.mark.parametrize(("line", "expected"), [
    (f"GET /v1/stream?access_token={TOKEN} HTTP/1.1", f"GET /v1/stream?access_token={REDACTED} HTTP/1.1"),
    (f"/v1/stream?after=3&access_token={TOKEN}&x=1", f"/v1/stream?after=3&access_token={REDACTED}&x=1"),
    (f"/v1/stream?ACCESS%5Ftoken%3D{TOKEN}", f"/v1/stream?ACCESS%5Ftoken%3D{REDACTED}"),  # Starlette decodes it
    (f"Authorization: Bearer {TOKEN}", f"Authorization: Bearer {REDACTED}"),
    (f"authorization={TOKEN}", f"authorization={REDACTED}"),
    (f"(b'authorization', b'Bearer {TOKEN}')", f"(b'authorization', b'Bearer {REDACTED}')"),  # an ASGI scope
    (f"{{'Authorization': 'Basic {TOKEN}'}}", f"{{'Authorization': 'Basic {REDACTED}'}}"),
    (f"'subprotocols': ['bearer.{TOKEN}']", f"'subprotocols': ['bearer.{REDACTED}']"),
    ("arangodb://root:s3cret@db:8529/barker", f"arangodb://root:{REDACTED}@db:8529/barker"),
    ("redis://:s3cret@127.0.0.1:6379/0", f"redis://:{REDACTED}@127.0.0.1:6379/0"),
])
def test_every_shape_of_secret_is_redacted_keeping_its_name(line, expected):
    assert redact(line) == expected
    assert redact(expected) == expected  # a record passing several handlers is not mangled


@pytest.mark.parametrize("line", ["GET /v1/timelines/home HTTP/1.1", "http://127.0.0.1:8000/v1/stream",
                                  "missing Authorization header", "user 42 logged in", ""])
def test_lines_without_secrets_are_left_alone(line):
    assert redact(line) == line


def record(name: str, msg: object, args: object = None, exc_info=None) -> logging.LogRecord:
    return logging.LogRecord(name, logging.INFO, __file__, 1, msg, args, exc_info)  # type: ignore[arg-type]


def test_the_access_log_keeps_its_format_and_loses_the_token():
    """uvicorn's access formatter unpacks the record's arguments itself (the status as a number): the
    filter redacts them in place instead of flattening the message."""
    entry = record("uvicorn.access", '%s - "%s %s HTTP/%s" %d',
                   ("127.0.0.1:5000", "GET", f"/v1/stream/events?access_token={TOKEN}", "1.1", 401))
    assert RedactSecrets().filter(entry)
    line = AccessFormatter('%(client_addr)s - "%(request_line)s" %(status_code)s', use_colors=False).format(entry)
    assert line == f'127.0.0.1:5000 - "GET /v1/stream/events?access_token={REDACTED} HTTP/1.1" 401 Unauthorized'


def test_secrets_in_templates_objects_and_tracebacks_are_redacted():
    scope = {"query_string": f"access_token={TOKEN}".encode(),
             "headers": [(b"authorization", b"Bearer " + TOKEN.encode())]}
    try:
        raise ValueError(f"could not reach redis://:{TOKEN}@cache:6379")
    except ValueError:
        exc_info = sys.exc_info()
    entries = [record("barker", f"retrying with Authorization: Bearer {TOKEN}"),
               record("uvicorn.asgi", "ASGI scope=%s", (scope,)),  # not a string: caught on the message
               record("barker", "a %(what)s", ({"what": f"?access_token={TOKEN}"},)),
               record("barker", "failed", exc_info=exc_info)]
    for entry in entries:
        assert RedactSecrets().filter(entry)  # never drops a record
        text = logging.Formatter("%(message)s").format(entry)
        assert TOKEN not in text and REDACTED in text, text


def test_installed_on_a_handler_it_covers_records_from_every_child_logger():
    """A logger's filters see only its own records; a handler's see all that reach it."""
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    install([handler])
    install([handler])  # idempotent
    assert sum(isinstance(f, RedactSecrets) for f in handler.filters) == 1
    parent = logging.getLogger("test_log_redaction")
    parent.addHandler(handler)
    parent.setLevel(logging.INFO)
    try:
        logging.getLogger("test_log_redaction.child.grandchild").info("GET /?access_token=%s", TOKEN)
    finally:
        parent.removeHandler(handler)
    assert out.getvalue() == f"GET /?access_token={REDACTED}\n"


def test_barker_serves_with_the_filter_on_every_uvicorn_handler():
    config = log_config()
    assert config["filters"]["redact_secrets"]["()"] == "barker.log_redaction.RedactSecrets"
    assert {name: handler["filters"] for name, handler in config["handlers"].items()} == {
        "default": ["redact_secrets"], "access": ["redact_secrets"]}
    from uvicorn.config import LOGGING_CONFIG

    assert "filters" not in LOGGING_CONFIG["handlers"]["default"]  # uvicorn's own dict is not modified
