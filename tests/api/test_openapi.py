"""The API description: operation ids, declared response models (and the helper that validates every
happy-path response against them), /openapi.json, and the health endpoints."""

from __future__ import annotations

import re

import httpx2
import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from backend.app import operation_ids
from backend.introspection import api_routes
from barker import models
from tests.api.conftest import Http, route_for, validate_response

# Every route and the model its successful JSON response must match (None: 204, no body).
EXPECTED = {
    ("GET", "/healthz"): None, ("GET", "/readyz"): None,
    ("POST", "/v1/accounts"): models.Session, ("POST", "/v1/sessions"): models.Session,
    ("DELETE", "/v1/sessions/current"): None, ("GET", "/v1/me"): models.User,
    ("PATCH", "/v1/me"): models.User, ("PUT", "/v1/me/password"): None,
    ("GET", "/v1/users/{handle}"): models.User, ("GET", "/v1/users/{handle}/barks"): models.BarkPage,
    ("GET", "/v1/users/{handle}/followers"): models.UserPage,
    ("GET", "/v1/users/{handle}/following"): models.UserPage,
    ("PUT", "/v1/me/following/{handle}"): models.User, ("DELETE", "/v1/me/following/{handle}"): models.User,
    ("POST", "/v1/barks"): models.Bark, ("GET", "/v1/barks/{bark_id}"): models.Bark,
    ("DELETE", "/v1/barks/{bark_id}"): None, ("PUT", "/v1/barks/{bark_id}/rebark"): models.Bark,
    ("DELETE", "/v1/barks/{bark_id}/rebark"): None, ("POST", "/v1/barks/{bark_id}/reactions"): models.Bark,
    ("DELETE", "/v1/barks/{bark_id}/reactions/{emoji}"): models.Bark,
    ("GET", "/v1/timelines/home"): models.BarkPage, ("GET", "/v1/timelines/public"): models.BarkPage,
    ("GET", "/v1/stream/events"): models.StreamEvents,
    ("PUT", "/v1/me/location"): models.SharedLocation, ("GET", "/v1/me/location"): models.SharedLocation,
    ("PUT", "/v1/me/nearby_visibility"): models.SharedLocation,
    ("DELETE", "/v1/me/location"): None, ("GET", "/v1/users/nearby"): models.NearbyPage,
    ("GET", "/v1/users/search"): models.UserSearchPage, ("GET", "/v1/suggestions"): models.SuggestionPage,
    ("DELETE", "/v1/suggestions/{handle}"): None,
    ("POST", "/v1/media"): models.UploadedMedia, ("GET", "/media/{name}"): None,
    ("PUT", "/v1/me/avatar"): models.User, ("DELETE", "/v1/me/avatar"): None,
}


def test_every_route_has_its_function_name_as_a_unique_operation_id(client: TestClient) -> None:
    routes = api_routes(client.app)
    assert {(m, r.path) for r in routes for m in r.methods} == set(EXPECTED)
    ids = operation_ids(client.app)
    assert ids == [r.endpoint.__name__ for r in routes]
    assert len(ids) == len(set(ids)) == len(EXPECTED)
    assert all(re.fullmatch(r"[a-z][a-z_]*[a-z]", i) for i in ids), ids


def test_openapi_json(client: TestClient) -> None:
    resp = client.get("/openapi.json")
    assert resp.status_code == 200
    spec = resp.json()
    assert spec["info"]["title"] == "Barker"
    operations = {(method.upper(), path): op for path, item in spec["paths"].items() for method, op in item.items()}
    assert set(operations) == set(EXPECTED)
    assert sorted(op["operationId"] for op in operations.values()) == sorted(operation_ids(client.app))
    for route in api_routes(client.app):
        model = EXPECTED[(next(iter(route.methods)), route.path)]
        if model is not None:
            ok = operations[(next(iter(route.methods)), route.path)]["responses"][str(route.status_code or 200)]
            assert ok["content"]["application/json"]["schema"] == {"$ref": f"#/components/schemas/{model.__name__}"}
    assert client.get("/docs").status_code == 200


@pytest.mark.parametrize(("key", "model"), sorted(EXPECTED.items(), key=str))
def test_routes_declare_their_response_models(client: TestClient, key: tuple[str, str], model: type | None) -> None:
    method, template = key
    path = re.sub(r"\{[a-z_]+\}", "1", template)
    route = route_for(client.app, method, path)
    assert route.path == template
    assert route.response_model is model


def fake(method: str, path: str, body: object, status: int = 200) -> httpx2.Response:
    return httpx2.Response(status, json=body, request=httpx2.Request(method, f"http://testserver{path}"))


def test_the_validator_accepts_a_real_body_and_rejects_wrong_ones(client: TestClient, http: Http) -> None:
    session = http.post("/v1/accounts", json={"handle": "alice", "password": "correct horse"})
    user = session["user"]
    assert validate_response(client.app, fake("GET", "/v1/users/alice", user)) == user
    with pytest.raises(ValidationError):  # a field missing
        validate_response(client.app, fake("GET", "/v1/users/alice", {k: v for k, v in user.items() if k != "bio"}))
    with pytest.raises(ValidationError):  # a string where the model says int (strict: no coercion)
        validate_response(client.app, fake("GET", "/v1/me", user | {"followers_count": "0"}))
    with pytest.raises(AssertionError, match="fields outside"):  # a field the model does not declare
        validate_response(client.app, fake("GET", "/v1/me", user | {"password_hash": "x"}))
    with pytest.raises(ValidationError):  # the wrong model for the route
        validate_response(client.app, fake("GET", "/v1/timelines/home", user))
    with pytest.raises(AssertionError, match="no route"):
        validate_response(client.app, fake("GET", "/v1/nowhere", user))


def test_rebark_201_and_200_use_the_same_model(client: TestClient) -> None:
    route = route_for(client.app, "PUT", "/v1/barks/1/rebark")
    assert route.responses[201]["model"] is models.Bark and route.response_model is models.Bark


def test_health(http: Http) -> None:
    assert http.get("/healthz") == {"status": "ok"}
    assert http.get("/readyz") == {"status": "ready"}
