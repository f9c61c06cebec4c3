"""Error messages never echo request input back: a hostile handle, id, emoji or cursor sent to any endpoint
that names one is answered with a message that does not contain it (nothing for a page to render as HTML,
nothing for a log viewer to interpret), and nothing is changed."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import Http, User, expect_error

HOSTILE = "<img src=x onerror=alert(1)>"
UNKNOWN_HANDLE = "nobody_by_this_name"  # well-formed, so it reaches the lookup rather than the validator
UNKNOWN_ID = 987654321987654  # below 2^53, so it parses and reaches the store

HANDLE_PATHS = [("GET", "/v1/users/{h}"), ("GET", "/v1/users/{h}/barks"), ("GET", "/v1/users/{h}/followers"),
                ("GET", "/v1/users/{h}/following"), ("PUT", "/v1/me/following/{h}"),
                ("DELETE", "/v1/me/following/{h}"), ("DELETE", "/v1/suggestions/{h}")]
BARK_PATHS = [("GET", "/v1/barks/{b}"), ("DELETE", "/v1/barks/{b}"), ("PUT", "/v1/barks/{b}/rebark"),
              ("DELETE", "/v1/barks/{b}/rebark"), ("POST", "/v1/barks/{b}/reactions")]


def assert_not_echoed(error: dict[str, str], *inputs: str) -> None:
    for text in inputs:
        assert text.lower() not in error["message"].lower(), error
    assert "onerror" not in error["message"] and "<" not in error["message"], error


def send(http: Http, user: User, method: str, url: str, status: int, json: Any = None) -> dict[str, str]:
    resp = http.client.request(method, url, headers=user.headers, json=json)
    return expect_error(resp, status)


@pytest.mark.parametrize(("method", "path"), HANDLE_PATHS)
@pytest.mark.parametrize(("handle", "status"), [(HOSTILE, 404), (UNKNOWN_HANDLE, 404)])
def test_handles_in_paths_are_not_echoed(http: Http, alice: User, method: str, path: str, handle: str,
                                         status: int) -> None:
    before = http.snapshot(alice, "alice")
    assert_not_echoed(send(http, alice, method, path.format(h=handle), status), handle)
    assert http.snapshot(alice, "alice") == before


@pytest.mark.parametrize(("method", "path"), BARK_PATHS)
@pytest.mark.parametrize(("bark", "status"), [(HOSTILE, 422), (str(UNKNOWN_ID), 404)])
def test_bark_ids_in_paths_are_not_echoed(http: Http, alice: User, method: str, path: str, bark: str,
                                          status: int) -> None:
    body = {"emoji": "🐶"} if path.endswith("/reactions") else None
    before = http.snapshot(alice, "alice")
    assert_not_echoed(send(http, alice, method, path.format(b=bark), status, body), bark)
    assert http.snapshot(alice, "alice") == before


def test_emoji_and_cursors_are_not_echoed(http: Http, alice: User) -> None:
    bark = http.bark(alice, "hello")["id"]
    before = http.snapshot(alice, "alice")
    for method, url, body, status in [
        ("POST", f"/v1/barks/{bark}/reactions", {"emoji": HOSTILE}, 422),
        ("DELETE", f"/v1/barks/{bark}/reactions/{HOSTILE}", None, 422),
        ("GET", f"/v1/timelines/home?before={HOSTILE}", None, 422),
        ("GET", f"/v1/users/alice/barks?before={HOSTILE}", None, 422),
        ("GET", f"/v1/users/search?q=a&after={HOSTILE}", None, 422),
        ("GET", f"/v1/stream/events?after={HOSTILE}", None, 422),
        ("GET", f"/v1/users/nearby?max_km={HOSTILE}", None, 422),
        ("GET", f"/v1/suggestions?depth={HOSTILE}", None, 422),
    ]:
        assert_not_echoed(send(http, alice, method, url, status, body), HOSTILE)
    assert http.snapshot(alice, "alice") == before


def test_media_ids_are_not_echoed(http: Http, alice: User) -> None:
    before = http.snapshot(alice, "alice")
    error = send(http, alice, "POST", "/v1/barks", 404, {"text": "hi", "media_ids": [UNKNOWN_ID]})
    assert_not_echoed(error, str(UNKNOWN_ID))
    assert error["message"].startswith("media_ids[0]"), error  # still says which one
    assert_not_echoed(send(http, alice, "PUT", "/v1/me/avatar", 404, {"media_id": UNKNOWN_ID}), str(UNKNOWN_ID))
    assert http.snapshot(alice, "alice") == before


def test_sign_up_does_not_echo_the_handle(http: Http, alice: User) -> None:
    for handle, status in [(HOSTILE, 422), ("ALICE", 409), ("Admin", 422)]:
        resp = http.client.post("/v1/accounts", json={"handle": handle, "password": "a long enough password"})
        assert_not_echoed(expect_error(resp, status), handle)
    resp = http.client.post("/v1/sessions", json={"handle": HOSTILE, "password": "a long enough password"})
    assert_not_echoed(expect_error(resp, 401), HOSTILE)


def test_media_file_names_are_not_echoed(http: Http) -> None:
    resp = http.client.get(f"/media/{HOSTILE}.jpg")
    assert_not_echoed(expect_error(resp, 404), HOSTILE)
