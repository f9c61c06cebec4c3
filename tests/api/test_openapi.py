"""The API description: operation ids, declared response models (and the helper that validates every
happy-path response against them), /openapi.json, and the health endpoints."""

from __future__ import annotations

import re
from pathlib import Path

import httpx2
import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from backend.app import create_app, operation_ids
from backend.introspection import api_routes, requires_token
from barker import models, validation
from barker.errors import Invalid
from barker.text_entities import URL_WEIGHT
from tests.api.conftest import Http, route_for, validate_response
from tests.conftest import make_settings

# Every route and the model its successful JSON response must match (None: 204, no body).
EXPECTED = {
    # issue 19: the operators' API
    ("GET", "/v1/admin/accounts"): models.AccountAdminPage,
    ("PUT", "/v1/admin/accounts/{handle}/role"): models.AccountAdminView,
    ("POST", "/v1/admin/accounts/{handle}/approve"): models.AccountAdminView,
    ("POST", "/v1/admin/accounts/{handle}/reject"): None,
    ("POST", "/v1/admin/accounts/{handle}/password"): models.OneTimePassword,
    ("GET", "/v1/admin/registrations"): models.RegistrationMode,
    ("PUT", "/v1/admin/registrations"): models.RegistrationMode,
    ("POST", "/v1/admin/invites"): models.NewInviteCode, ("GET", "/v1/admin/invites"): models.InviteList,
    ("DELETE", "/v1/admin/invites/{invite_id}"): None, ("GET", "/v1/admin/audit"): models.AuditPage,
    ("GET", "/v1/admin/reports"): models.StaffReportPage,
    ("POST", "/v1/admin/reports/{report_id}/resolve"): models.StaffReport,
    ("DELETE", "/v1/admin/barks/{bark_id}"): None,
    ("POST", "/v1/admin/accounts/{handle}/suspend"): models.AccountAdminView,
    ("POST", "/v1/admin/accounts/{handle}/unsuspend"): models.AccountAdminView,
    ("GET", "/v1/admin/accounts/{handle}"): models.AccountStaffView,
    ("GET", "/v1/admin/accounts/{handle}/barks"): models.BarkPage,
    ("POST", "/v1/reports"): models.Report, ("GET", "/v1/me/reports"): models.ReportPage,
    ("GET", "/v1/me/blocks"): models.UserPage, ("PUT", "/v1/me/blocks/{handle}"): models.User,
    ("DELETE", "/v1/me/blocks/{handle}"): None, ("GET", "/v1/me/mutes"): models.MutedUserPage,
    ("PUT", "/v1/me/mutes/{handle}"): models.MutedUser, ("DELETE", "/v1/me/mutes/{handle}"): None,
    ("GET", "/healthz"): None, ("GET", "/readyz"): None,
    ("POST", "/v1/accounts"): models.Session, ("POST", "/v1/sessions"): models.Session,
    ("DELETE", "/v1/sessions/current"): None, ("GET", "/v1/me"): models.Me,
    ("PATCH", "/v1/me"): models.Me, ("PUT", "/v1/me/password"): None,
    ("DELETE", "/v1/me"): None, ("GET", "/v1/me/export"): None,
    ("GET", "/v1/users/{handle}"): models.User, ("GET", "/v1/users/{handle}/barks"): models.BarkPage,
    ("GET", "/v1/users/{handle}/followers"): models.UserPage,
    ("GET", "/v1/users/{handle}/following"): models.UserPage,
    ("PUT", "/v1/me/following/{handle}"): models.User, ("DELETE", "/v1/me/following/{handle}"): models.User,
    ("POST", "/v1/barks"): models.Bark, ("GET", "/v1/barks/{bark_id}"): models.Bark,
    ("DELETE", "/v1/barks/{bark_id}"): None, ("PUT", "/v1/barks/{bark_id}/rebark"): models.Bark,
    ("DELETE", "/v1/barks/{bark_id}/rebark"): None, ("POST", "/v1/barks/{bark_id}/reactions"): models.Bark,
    ("DELETE", "/v1/barks/{bark_id}/reactions/{emoji}"): models.Bark,
    ("GET", "/v1/barks/{bark_id}/thread"): models.Thread,
    ("GET", "/v1/timelines/home"): models.BarkPage, ("GET", "/v1/timelines/public"): models.BarkPage,
    ("GET", "/v1/stream/events"): models.StreamEvents,
    ("GET", "/v1/stream/events/newest"): models.StreamEvents,
    ("PUT", "/v1/me/location"): models.SharedLocation, ("GET", "/v1/me/location"): models.SharedLocation,
    ("PUT", "/v1/me/nearby_visibility"): models.SharedLocation,
    ("DELETE", "/v1/me/location"): None, ("GET", "/v1/users/nearby"): models.NearbyPage,
    ("GET", "/v1/users/search"): models.UserSearchPage, ("GET", "/v1/suggestions"): models.SuggestionPage,
    ("DELETE", "/v1/suggestions/{handle}"): None, ("PUT", "/v1/suggestions/{handle}"): None,
    ("POST", "/v1/media"): models.UploadedMedia, ("GET", "/media/{name}"): None,
    ("PUT", "/v1/media/{media_id}"): models.Media,
    ("PUT", "/v1/me/avatar"): models.User, ("DELETE", "/v1/me/avatar"): None,
    ("GET", "/v1/notifications"): models.NotificationPage, ("POST", "/v1/notifications/read"): models.ReadMarker,
    ("GET", "/v1/notifications/unread_count"): models.ReadMarker,
    # issue 18: tags, bark search, bookmarks
    ("GET", "/v1/tags/{tag}/barks"): models.BarkPage, ("GET", "/v1/tags/trending"): models.TrendingTags,
    ("GET", "/v1/barks/search"): models.BarkPage, ("PUT", "/v1/barks/{bark_id}/bookmark"): models.Bark,
    ("DELETE", "/v1/barks/{bark_id}/bookmark"): None, ("GET", "/v1/me/bookmarks"): models.BarkPage,
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
    # The session's user is your own view (models.Me); others see it without role and password flag.
    user = {k: v for k, v in session["user"].items() if k not in ("role", "must_change_password")}
    assert validate_response(client.app, fake("GET", "/v1/users/alice", user)) == user
    with pytest.raises(ValidationError):  # a field missing
        validate_response(client.app, fake("GET", "/v1/users/alice", {k: v for k, v in user.items() if k != "bio"}))
    with pytest.raises(ValidationError):  # a string where the model says int (strict: no coercion)
        validate_response(client.app, fake("GET", "/v1/me", user | {"followers_count": "0"}))
    with pytest.raises(AssertionError, match="fields outside"):  # a field the model does not declare
        validate_response(client.app, fake("GET", "/v1/me", session["user"] | {"password_hash": "x"}))
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


def operations_of(spec: dict) -> dict[tuple[str, str], dict]:
    return {(m.upper(), p): op for p, item in spec["paths"].items() for m, op in item.items()}


def test_every_error_is_documented_with_the_body_the_server_sends(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert "HTTPValidationError" not in spec["components"]["schemas"]  # FastAPI's 422 body is never sent
    for key, op in operations_of(spec).items():
        assert op.get("description"), key
        for status, response in op["responses"].items():
            if int(status) >= 400:
                assert response["content"]["application/json"]["schema"] == {
                    "$ref": "#/components/schemas/ErrorBody"}, (key, status)
                assert response["description"], (key, status)
            if status in ("429", "503", "507"):
                assert response["headers"]["Retry-After"]["required"] is True, (key, status)


def test_statuses_follow_from_what_each_route_takes(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    operations = operations_of(spec)
    for route in api_routes(client.app):
        key = (next(iter(route.methods)), route.path)
        statuses = set(operations[key]["responses"])
        dependant = route.dependant
        if requires_token(route):
            assert {"401", "503"} <= statuses, key
        if dependant.body_params or dependant.query_params or route.path.startswith("/v1/barks/{"):
            assert "422" in statuses, key
        if dependant.body_params:
            assert {"400", "413"} <= statuses, key
    # What only the route knows, declared by the route and kept.
    assert {"403", "409", "429"} <= set(operations[("POST", "/v1/accounts")]["responses"])
    assert "429" in operations[("POST", "/v1/barks")]["responses"]
    assert "401" in operations[("POST", "/v1/sessions")]["responses"]
    assert "401" not in operations[("POST", "/v1/accounts")]["responses"]
    assert set(operations[("GET", "/healthz")]["responses"]) == {"200"}
    # Any string names a media file: there is nothing to refuse with a 422, so none is listed.
    assert set(operations[("GET", "/media/{name}")]["responses"]) == {"200", "304", "404"}


def test_the_page_size_maximum_is_the_configured_one(tmp_path: Path) -> None:
    with TestClient(create_app(make_settings(tmp_path, page_size_max=7, page_size_default=5))) as client:
        spec = client.get("/openapi.json").json()
        limit = next(p for p in spec["paths"]["/v1/timelines/home"]["get"]["parameters"] if p["name"] == "limit")
        assert limit["schema"]["maximum"] == 7 and "at most 7" in limit["description"]
        user = client.post("/v1/accounts", json={"handle": "alice", "password": "correct horse"}).json()
        headers = {"Authorization": f"Bearer {user['token']}"}
        assert client.get("/v1/timelines/home?limit=7", headers=headers).status_code == 200
        assert client.get("/v1/timelines/home?limit=8", headers=headers).status_code == 422


def test_the_documented_input_rules_are_the_enforced_ones(client: TestClient) -> None:
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    sign_up = schemas["SignUp"]["properties"]
    assert sign_up["handle"]["pattern"] == validation.HANDLE_PATTERN
    assert (sign_up["password"]["minLength"], sign_up["password"]["maxLength"]) == (validation.PASSWORD_MIN,
                                                                                    validation.PASSWORD_MAX)
    # Bark text's limit weighs links (no JSON Schema keyword can): the document gives the raw cap, which every
    # accepted text keeps, and the rule in words, never a code-point maxLength of 280 that long links break.
    bark_text = schemas["NewBark"]["properties"]["text"]
    assert bark_text["maxLength"] == 3000 and len(validation.bark_text("https://x.org/" + "p" * 2900)) > 2900
    assert "280 characters" in bark_text["description"] and f"counted as {URL_WEIGHT}" in bark_text["description"]
    # Every emoji the document lists is accepted, and a near miss is refused.
    for one in schemas["Emoji"]["enum"]:
        validation.reaction_emoji(one)
    for not_one in ("", "a", "🐶🐶", ":dog:"):
        assert not_one not in schemas["Emoji"]["enum"]
        with pytest.raises(Invalid):
            validation.reaction_emoji(not_one)
    # Text valid by the patterns passes the server's rules; what the patterns refuse, the server refuses too.
    one_line = re.compile(validation.SINGLE_LINE_VISIBLE_PATTERN)
    for name in ("Ada", "  Ada Lovelace ", "🐶 dog", "Zoë"):
        assert one_line.search(name) and validation.display_name(name)
    for name in ("", "   ", "a\nb", "\u200b\u200b\u200b", "a\x07"):
        assert not one_line.search(name)
        with pytest.raises(Invalid):
            validation.display_name(name)
