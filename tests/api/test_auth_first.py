"""Authenticate before validating: on every operation that needs a token, a caller without a valid one gets
401, whatever is wrong with its input, and learns nothing about which input was wrong. The same request with
a valid token gets the 400/422 (so each request here really is invalid, and the 401 is not an accident)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from backend.introspection import api_routes, requires_token
from tests.api.conftest import Http, User, expect_error

TOO_LONG = "x" * 100  # past every string cap in the API, and not a number


def invalid_request(route: Any) -> dict[str, Any]:
    """A request to the route that breaks its declared input rules, built from the route itself."""
    dependant = route.dependant
    path = route.path_format
    for param in dependant.path_params:
        path = path.replace("{" + param.name + "}", TOO_LONG)
    request: dict[str, Any] = {"method": next(iter(route.methods)), "url": path}
    if dependant.query_params:
        request["params"] = {p.alias: TOO_LONG for p in dependant.query_params}
    if dependant.body_params:
        request["json"] = {"not_a_field": 1}
    return request


def token_routes(client: TestClient) -> list[Any]:
    return [r for r in api_routes(client.app) if requires_token(r)]


def test_every_token_route_with_input_is_covered(client: TestClient) -> None:
    routes = token_routes(client)
    assert len(routes) >= 30
    with_input = [r for r in routes if r.dependant.path_params or r.dependant.query_params or r.dependant.body_params]
    # Only the inputless ones (GET /v1/me, DELETE /v1/me/location, GET /v1/notifications/unread_count,
    # GET /v1/me/export, GET /v1/admin/registrations and /v1/admin/invites ...) cannot be made invalid.
    assert len(routes) - len(with_input) <= 9, [r.name for r in routes if r not in with_input]


@pytest.mark.parametrize("authorization", [None, "Bearer not-a-real-token"])
def test_a_caller_without_a_valid_token_gets_401_not_422(client: TestClient, alice: User,
                                                         authorization: str | None) -> None:
    checked = 0
    for route in token_routes(client):
        dependant = route.dependant
        if not (dependant.path_params or dependant.query_params or dependant.body_params):
            continue
        request = invalid_request(route)
        # With alice's token the request is refused for its input: it really is invalid.
        refused = client.request(**request, headers=alice.headers)
        assert refused.status_code in (400, 422), (route.name, refused.status_code, refused.text)
        headers = {} if authorization is None else {"Authorization": authorization}
        resp = client.request(**request, headers=headers)
        expect_error(resp, 401, "unauthorized")
        assert resp.headers["WWW-Authenticate"] == "Bearer", route.name
        checked += 1
    assert checked >= 25


@pytest.mark.parametrize(("method", "url", "body"), [
    ("GET", "/v1/timelines/home?limit=100000", None),  # checked in the handler, not by FastAPI
    ("DELETE", "/v1/barks/1/reactions/not-an-emoji", None),  # likewise
    ("POST", "/v1/barks", b"{not json"),  # 400 malformed_json for a caller with a token
    ("POST", "/v1/barks", b"\xff\xfe"),
])
def test_rules_checked_after_parsing_also_wait_for_the_token(http: Http, client: TestClient, alice: User,
                                                            method: str, url: str, body: bytes | None) -> None:
    json_headers = {"Content-Type": "application/json"}
    refused = client.request(method, url, content=body, headers=json_headers | alice.headers)
    assert refused.status_code in (400, 422), refused.text
    for headers in ({}, {"Authorization": "Bearer nope"}):
        expect_error(client.request(method, url, content=body, headers=json_headers | headers), 401, "unauthorized")
    assert http.get("/v1/me", alice)["barks_count"] == 0


def test_a_valid_request_with_a_token_is_unchanged(http: Http, alice: User) -> None:
    bark = http.post("/v1/barks", alice, json={"text": "still works"})
    assert http.get("/v1/timelines/home?limit=1", alice)["items"][0]["id"] == bark["id"]
