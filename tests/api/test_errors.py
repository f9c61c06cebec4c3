"""HTTP-level failures: body size, query and path parameters, unknown routes and methods, the 500 handler,
and the suite's own guard against server errors."""

from __future__ import annotations

import httpx2
import pytest
from fastapi.testclient import TestClient

from backend.app import create_app
from barker.settings import Settings
from tests.api.conftest import Http, ServerErrorGuard, User, expect_error

JSON = {"Content-Type": "application/json"}
LISTINGS = ["/v1/timelines/home", "/v1/timelines/public", "/v1/users/alice/barks",
            "/v1/users/alice/followers", "/v1/users/alice/following"]
BAD_QUERIES = [("limit=101", "page_too_large"), ("limit=100000000000000000000", "page_too_large"),
               ("limit=0", "invalid"), ("limit=-1", "invalid"), ("limit=abc", "invalid"), ("limit=", "invalid"),
               ("limit=1.5", "invalid"), ("before=abc", "invalid"), ("before=-1", "invalid"),
               ("before=0", "invalid"), ("before=1e3", "invalid"), (f"before={2**53 + 1}", "invalid"),
               ("before=" + "9" * 5000, "invalid")]


def big_bark_body(size: int) -> bytes:
    body = b'{"text": "' + b"x" * (size - 12) + b'"}'
    assert len(body) == size
    return body


@pytest.mark.parametrize("size", [64 * 1024 + 1, 1024 * 1024])
def test_oversized_body_with_content_length_is_413(http: Http, settings: Settings, alice: User, size: int) -> None:
    before = http.snapshot(alice, "alice")
    resp = http.client.post("/v1/barks", content=big_bark_body(size), headers=alice.headers | JSON)
    assert resp.request.headers["content-length"] == str(size)
    error = expect_error(resp, 413, "body_too_large")
    assert str(settings.max_body_bytes) in error["message"]
    assert http.snapshot(alice, "alice") == before


def test_oversized_chunked_body_is_413(http: Http, alice: User) -> None:
    def chunks():  # a generator body is sent chunked, without Content-Length
        yield b'{"text": "'
        for _ in range(20):
            yield b"x" * 4096
        yield b'"}'

    before = http.snapshot(alice, "alice")
    resp = http.client.post("/v1/barks", content=chunks(), headers=alice.headers | JSON)
    assert "content-length" not in resp.request.headers
    expect_error(resp, 413, "body_too_large")
    http.post("/v1/accounts", content=(b" " * 70_000 + b"{}" for _ in range(1)), headers=JSON, status=413)
    assert http.snapshot(alice, "alice") == before


def test_a_body_of_exactly_the_limit_is_read(http: Http, alice: User) -> None:
    # Not refused for its size: the text inside is too long, which is a validation error.
    http.post("/v1/barks", alice, content=big_bark_body(64 * 1024), headers=JSON, status=422, code="invalid")
    small = b'{"text": "chunked but small"}'
    bark = http.post("/v1/barks", alice, content=(small[i:i + 5] for i in range(0, len(small), 5)), headers=JSON)
    assert bark["text"] == "chunked but small"


@pytest.mark.parametrize("url", LISTINGS)
def test_bad_paging_parameters_are_422(http: Http, alice: User, url: str) -> None:
    http.sign_up("bob")
    http.put("/v1/me/following/bob", alice)
    http.put("/v1/me/following/alice", http.sign_up("carol"))
    for query, code in BAD_QUERIES:
        http.get(f"{url}?{query}", alice, status=422, code=code)
    # The edges of the valid ranges are accepted.
    assert http.get(f"{url}?limit=100&before={2**53}", alice)["next_before"] is None
    assert http.get(f"{url}?limit=1&before=1", alice) == {"items": [], "next_before": None}


@pytest.mark.parametrize("bark_id", ["abc", "0", "-1", "1.5", "1e3", str(2**53), str(2**64), "9" * 5000, "%20"])
def test_bad_bark_ids_are_422(http: Http, alice: User, bark_id: str) -> None:
    bark = http.bark(alice, "still here")
    before = http.snapshot(alice, "alice")
    for method, suffix, body in [("GET", "", None), ("DELETE", "", None), ("PUT", "/rebark", None),
                                 ("DELETE", "/rebark", None), ("POST", "/reactions", {"emoji": "🐶"}),
                                 ("DELETE", "/reactions/%F0%9F%90%B6", None)]:
        http.request(method, f"/v1/barks/{bark_id}{suffix}", alice, json=body, status=422, code="invalid")
    assert http.snapshot(alice, "alice") == before
    assert http.get(f"/v1/barks/{bark['id']}", alice)["text"] == "still here"


def test_largest_bark_id_is_merely_not_found(http: Http, alice: User) -> None:
    http.get(f"/v1/barks/{2**53 - 1}", alice, status=404, code="not_found")


def test_overlong_path_parameters_are_422(http: Http, alice: User) -> None:
    http.get("/v1/users/" + "x" * 65, alice, status=422, code="invalid")
    http.put("/v1/me/following/" + "x" * 65, alice, status=422, code="invalid")
    bark = http.bark(alice, "hi")
    http.delete(f"/v1/barks/{bark['id']}/reactions/" + "%F0%9F%90%B6" * 65, alice, status=422)


@pytest.mark.parametrize("path", ["/nope", "/v1", "/v2/barks", "/v1/bark", "/v1/barks/1/nope",
                                  "/v1/users/alice/nope", "/v1/users/", "/v1/me/following", "/%FF"])
def test_unknown_route_is_404_json(http: Http, alice: User, path: str) -> None:
    for method in ("GET", "POST", "DELETE"):
        error = http.request(method, path, alice, status=404, code="not_found")
        assert error["message"] == "Not Found"


@pytest.mark.parametrize(("method", "path", "allowed"), [
    ("PUT", "/healthz", {"GET"}), ("POST", "/readyz", {"GET"}), ("GET", "/v1/accounts", {"POST"}),
    ("GET", "/v1/sessions", {"POST"}), ("POST", "/v1/me", {"GET", "PATCH", "DELETE"}),
    ("PUT", "/v1/me", {"GET", "PATCH", "DELETE"}),
    ("GET", "/v1/barks", {"POST"}), ("PATCH", "/v1/barks/1", {"GET", "DELETE"}),
    ("GET", "/v1/barks/1/rebark", {"PUT", "DELETE"}), ("GET", "/v1/me/following/bob", {"PUT", "DELETE"}),
    ("POST", "/v1/timelines/home", {"GET"}), ("DELETE", "/v1/users/alice", {"GET"}),
    ("OPTIONS", "/v1/barks", {"POST"}), ("POST", "/", {"GET"}), ("DELETE", "/docs", {"GET"}),
])
def test_wrong_method_is_405_json(http: Http, alice: User, method: str, path: str, allowed: set[str]) -> None:
    resp = http.client.request(method, path, headers=alice.headers)
    expect_error(resp, 405, "method_not_allowed")
    assert set(resp.headers["Allow"].replace(" ", "").split(",")) - {"HEAD"} == allowed


def test_unexpected_exceptions_become_json_500s(settings: Settings) -> None:
    app = create_app(settings)

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("secret internals")

    with TestClient(app, raise_server_exceptions=False) as c:
        resp = c.get("/boom")
    assert expect_error(resp, 500, "internal")["message"] == "internal error"
    assert "secret" not in resp.text


def test_the_guard_sees_every_response_and_fails_on_5xx(http: Http, no_server_errors: ServerErrorGuard) -> None:
    http.get("/healthz")
    http.get("/nope", status=404)
    assert no_server_errors.statuses[-2:] == [200, 404]
    fake = httpx2.Response(503, request=httpx2.Request("GET", "http://testserver/readyz"))
    with pytest.raises(AssertionError, match="503"):
        no_server_errors(fake)
    no_server_errors.statuses.pop()  # the fake was not a real response of this test


@pytest.mark.parametrize("path", ["/healthz", "/v1/timelines/home", "/v1/users/alice", "/v1/me"])
def test_head_is_get_without_a_body(http: Http, alice: User, path: str) -> None:
    get = http.client.get(path, headers=alice.headers)
    head = http.client.head(path, headers=alice.headers)
    assert (head.status_code, head.content) == (get.status_code, b"")
    assert head.headers["content-length"] == get.headers["content-length"]
    assert head.headers["content-type"] == get.headers["content-type"]


def test_head_on_a_resource_without_get_is_405(http: Http, alice: User) -> None:
    resp = http.client.head("/v1/barks", headers=alice.headers)
    assert resp.status_code == 405 and set(resp.headers["Allow"].split(", ")) == {"POST"}
