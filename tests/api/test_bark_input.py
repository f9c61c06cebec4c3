"""What a bark body may and may not be. Every rejected body leaves the store as it was."""

from __future__ import annotations

import json

import pytest

from tests.api.conftest import Http, User

JSON = {"Content-Type": "application/json"}
LONG_LINK = "https://example.com/" + "p" * 180  # 200 code points that weigh 23


@pytest.mark.parametrize(("text", "stored"), [
    ("x" * 280, "x" * 280),
    ("🐶" * 280, "🐶" * 280),  # code points, not UTF-16 units or bytes
    ("e\u0301" * 280, "\u00e9" * 280),  # 560 code points that NFC-normalise to 280
    ("\u00e9" * 280, "\u00e9" * 280),
    ("a\tb\nc", "a\tb\nc"),
    ("line\r\nbreak\rend", "line\nbreak\nend"),  # CRLF and CR become LF
    ("  keeps its spaces  ", "  keeps its spaces  "),
    ("\u202eright-to-left \u200d joiner", "\u202eright-to-left \u200d joiner"),
    ("x" * 200 + " " + LONG_LINK, "x" * 200 + " " + LONG_LINK),  # 401 code points, weighs 224
    ("x" * 256 + " " + LONG_LINK, "x" * 256 + " " + LONG_LINK),  # weighs exactly 280
], ids=["280-ascii", "280-emoji", "280-after-nfc", "280-precomposed", "tab-newline", "crlf", "spaces",
        "format-chars", "long-link", "280-weighted"])
def test_accepted_bark_text(http: Http, alice: User, text: str, stored: str) -> None:
    bark = http.bark(alice, text)
    assert bark["text"] == stored
    assert http.get(f"/v1/barks/{bark['id']}", alice)["text"] == stored


@pytest.mark.parametrize("text", [
    "x" * 281, "🐶" * 281, "e\u0301" * 281, "x" * 3001,
    "", "   ", " \n\t ",
    "a\x00b", "a\x07b", "a\x1bb", "a\x7fb", "a\x85b", "\r\n\r",
    "x" * 257 + " " + LONG_LINK, "x" * 257 + " a.io",
], ids=["281-ascii", "281-emoji", "281-after-nfc", "3001", "empty", "blank", "whitespace",
        "nul", "bel", "esc", "del", "c1-nel", "only-line-breaks", "281-weighted", "281-weighted-short-link"])
def test_rejected_bark_text(http: Http, alice: User, text: str) -> None:
    before = http.snapshot(alice, "alice")
    http.post("/v1/barks", alice, json={"text": text}, status=422, code="invalid")
    assert http.snapshot(alice, "alice") == before
    assert before["me"]["barks_count"] == 0


@pytest.mark.parametrize(("body", "status", "code"), [
    (b'{"text": "\\ud800"}', 422, "invalid"),  # a lone surrogate, as a JSON escape
    (b'{"text": "ok \\udfff then"}', 422, "invalid"),
    (b'{"text": "hi", "\\ud800": 1}', 422, "invalid"),  # in a key, which error messages mention
    (b'{"text": "\xff"}', 400, "malformed_body"),  # not UTF-8
    # A surrogate encoded as UTF-8 (invalid UTF-8): Python's json decodes it with surrogatepass, so it is
    # refused as a lone surrogate rather than as undecodable.
    (b'{"text": "\xed\xa0\x80"}', 422, "invalid"),
    (b'{"text": "hi"', 400, "malformed_json"),
    (b'{"text": hi}', 400, "malformed_json"),
    (b'{"text": NaN}', 422, "invalid"),
    (b"not json at all", 400, "malformed_json"),
    (b"[" * 50_000 + b"]" * 10, 400, None),  # deeply nested
    (b'["hi"]', 422, "invalid"),
    (b'"hi"', 422, "invalid"),
    (b"null", 422, "invalid"),
    (b"", 422, "invalid"),
    (b"{}", 422, "invalid"),
    (b'{"txt": "hi"}', 422, "invalid"),
    (b'{"text": "hi", "author": 1}', 422, "invalid"),
    (b'{"text": 5}', 422, "invalid"),
    (b'{"text": null}', 422, "invalid"),
    (b'{"text": ["hi"]}', 422, "invalid"),
    (b'{"text": {"value": "hi"}}', 422, "invalid"),
    (b'{"text": true}', 422, "invalid"),
], ids=lambda v: v if isinstance(v, str | int) else None)
def test_rejected_bark_body(http: Http, alice: User, body: bytes, status: int, code: str | None) -> None:
    before = http.snapshot(alice, "alice")
    error = http.post("/v1/barks", alice, content=body, headers=JSON, status=status, code=code)
    assert "\ud800" not in error["message"]
    assert http.snapshot(alice, "alice") == before


def test_error_messages_do_not_echo_passwords(http: Http) -> None:
    secret = "hunter2"  # too short: rejected, and the message must not repeat it
    error = http.post("/v1/accounts", json={"handle": "dora", "password": secret}, status=422)
    assert secret not in error["message"]
    error = http.post("/v1/accounts", json={"handle": "dora", "password": ["x" * 12]}, status=422)
    assert "x" * 12 not in error["message"]


def test_invalid_utf8_sign_up_creates_nothing(http: Http) -> None:
    body = json.dumps({"handle": "dora", "password": "correct horse"}).encode().replace(b"horse", b"hors\xe9")
    http.post("/v1/accounts", content=body, headers=JSON, status=400, code="malformed_body")
    http.post("/v1/sessions", json={"handle": "dora", "password": "correct hors\u00e9"}, status=401)
    http.sign_up("dora")  # the handle is still free
