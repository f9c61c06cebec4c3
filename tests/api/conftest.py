"""Helpers for the HTTP API suite: every test drives the real app over the real SQLite store.

- `no_server_errors` (autouse) fails a test as soon as any response has a 5xx status.
- `http` wraps the TestClient: `http.get(url, user, status=200)` asserts the exact status and returns the
  body, validated against the route's declared pydantic response model (2xx) or checked to be the
  `{"error": {"code", "message"}}` shape (4xx).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import unquote

import httpx2
import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel

from backend.introspection import api_routes
from barker.services import admin

T = TypeVar("T")
PASSWORD = "correct horse"


def expect_error(resp: httpx2.Response, status: int, code: str | None = None) -> dict[str, str]:
    """Assert an error response: exact status, JSON body `{"error": {"code": str, "message": str}}`."""
    assert resp.status_code == status, f"expected {status}, got {resp.status_code}: {resp.text}"
    assert resp.headers["content-type"].startswith("application/json"), resp.headers
    body = resp.json()
    assert list(body) == ["error"], body
    error = body["error"]
    assert sorted(error) == ["code", "message"], body
    assert isinstance(error["code"], str) and error["code"], body
    assert isinstance(error["message"], str) and error["message"], body
    if code is not None:
        assert error["code"] == code, body
    return error


def route_for(app: Any, method: str, path: str) -> Any:
    """The API route serving a (decoded) request path; its declared response model is what we validate."""
    for route in api_routes(app):
        if method in route.methods and route.path_regex.fullmatch(path):
            return route
    raise AssertionError(f"no route serves {method} {path}")


def response_model(route: Any, status: int) -> type[BaseModel] | None:
    declared = route.responses.get(status, {}).get("model") if route.responses else None
    return declared or route.response_model


def validate_response(app: Any, resp: httpx2.Response) -> Any:
    """Check a 2xx JSON response against its route's response model: it must validate strictly and
    carry exactly the model's fields (a round trip through the model reproduces the body)."""
    path = unquote(resp.request.url.path)
    route = route_for(app, resp.request.method, path)
    model = response_model(route, resp.status_code)
    assert resp.headers["content-type"].startswith("application/json"), resp.headers
    if model is None:
        assert not path.startswith("/v1/"), f"{route.name} returns JSON but declares no response model"
        return resp.json()
    parsed = model.model_validate_json(resp.content, strict=True)
    assert parsed.model_dump(mode="json") == resp.json(), f"{route.name}: body has fields outside {model}"
    return resp.json()


@dataclass
class User:
    handle: str
    id: int
    token: str
    password: str = PASSWORD
    profile: dict[str, Any] = field(default_factory=dict)

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


class Http:
    def __init__(self, client: TestClient) -> None:
        self.client = client

    def request(self, method: str, url: str, user: User | None = None, *, status: int,
                code: str | None = None, headers: dict[str, str] | None = None, **kwargs: Any) -> Any:
        all_headers = {**(user.headers if user else {}), **(headers or {})}
        resp = self.client.request(method, url, headers=all_headers, **kwargs)
        if status >= 400:
            return expect_error(resp, status, code)
        assert resp.status_code == status, f"expected {status}, got {resp.status_code}: {resp.text}"
        if status == 204:
            assert resp.content == b""
            return None
        return validate_response(self.client.app, resp)

    def get(self, url: str, user: User | None = None, status: int = 200, **kw: Any) -> Any:
        return self.request("GET", url, user, status=status, **kw)

    def post(self, url: str, user: User | None = None, status: int = 201, **kw: Any) -> Any:
        return self.request("POST", url, user, status=status, **kw)

    def put(self, url: str, user: User | None = None, status: int = 200, **kw: Any) -> Any:
        return self.request("PUT", url, user, status=status, **kw)

    def patch(self, url: str, user: User | None = None, status: int = 200, **kw: Any) -> Any:
        return self.request("PATCH", url, user, status=status, **kw)

    def delete(self, url: str, user: User | None = None, status: int = 204, **kw: Any) -> Any:
        return self.request("DELETE", url, user, status=status, **kw)

    # -- flows ---------------------------------------------------------------------------------------
    def sign_up(self, handle: str, password: str = PASSWORD, **extra: Any) -> User:
        session = self.post("/v1/accounts", json={"handle": handle, "password": password, **extra})
        return User(handle, session["user"]["id"], session["token"], password, session["user"])

    def log_in(self, handle: str, password: str = PASSWORD) -> User:
        session = self.post("/v1/sessions", json={"handle": handle, "password": password})
        return User(session["user"]["handle"], session["user"]["id"], session["token"], password,
                    session["user"])

    def bark(self, user: User, text: str) -> dict[str, Any]:
        return self.post("/v1/barks", user, json={"text": text})

    def profile(self, handle: str, viewer: User) -> dict[str, Any]:
        return self.get(f"/v1/users/{handle}", viewer)

    def ids(self, url: str, viewer: User, limit: int = 100) -> list[int]:
        sep = "&" if "?" in url else "?"
        return [item["id"] for item in self.get(f"{url}{sep}limit={limit}", viewer)["items"]]

    def walk(self, url: str, viewer: User, limit: int) -> list[list[dict[str, Any]]]:
        """Every page of a paginated listing, following next_before until it is null."""
        pages, before = [], None
        for _ in range(1000):
            query = f"limit={limit}" + (f"&before={before}" if before is not None else "")
            page = self.get(f"{url}?{query}", viewer)
            pages.append(page["items"])
            before = page["next_before"]
            if before is None:
                return pages
        raise AssertionError(f"{url}: pagination does not end")

    def snapshot(self, viewer: User, *handles: str) -> dict[str, Any]:
        """Everything a rejected request must leave unchanged, as `viewer` sees it."""
        return {"public": self.get("/v1/timelines/public?limit=100", viewer),
                "home": self.get("/v1/timelines/home?limit=100", viewer),
                "me": self.get("/v1/me", viewer),
                **{h: self.profile(h, viewer) for h in handles}}


def eventually(get: Callable[[], T], done: Callable[[T], bool], timeout: float = 5.0) -> T:
    """Poll `get` until `done(value)` (the fan-out worker runs in the background); fail after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        value = get()
        if done(value):
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"still not done after {timeout}s: {value!r}")
        time.sleep(0.01)


class ServerErrorGuard:
    def __init__(self) -> None:
        self.statuses: list[int] = []

    def __call__(self, resp: httpx2.Response) -> None:
        self.statuses.append(resp.status_code)
        assert resp.status_code < 500, f"{resp.request.method} {resp.request.url} -> {resp.status_code}"


@pytest.fixture(autouse=True)
def no_server_errors(client: TestClient) -> Iterator[ServerErrorGuard]:
    """No request in this suite may get a 5xx (an unhandled exception also fails the test: the client
    re-raises server exceptions)."""
    guard = ServerErrorGuard()
    client.event_hooks["response"].append(guard)
    yield guard
    assert all(status < 500 for status in guard.statuses), guard.statuses


@pytest.fixture
def http(client: TestClient) -> Http:
    return Http(client)


@pytest.fixture
def alice(http: Http) -> User:
    return http.sign_up("alice")


@pytest.fixture
def bob(http: Http) -> User:
    return http.sign_up("bob")


@pytest.fixture
def carol(http: Http) -> User:
    return http.sign_up("carol")


# -- staff: moderators and admins --------------------------------------------------------------------------
def promote(client: TestClient, user: User, role: str) -> None:
    """What `barker admin account promote` does, on the app's store."""
    gw = client.app.state.gateway  # type: ignore[attr-defined]
    admin.set_role(gw.store, gw.ids, admin.OPERATOR, user.handle, role)


@pytest.fixture
def root(http: Http, client: TestClient) -> User:
    user = http.sign_up("rooty")
    promote(client, user, "admin")
    return user


@pytest.fixture
def mod(http: Http, client: TestClient) -> User:
    user = http.sign_up("mody")
    promote(client, user, "moderator")
    return user


def call(http: Http, method: str, url: str, body: Any, user: User | None, handle: str) -> httpx2.Response:
    """A request to an admin route (`{h}` in url is the handle acted on), answered whatever its status."""
    return http.client.request(method, url.replace("{h}", handle), json=body, headers=user.headers if user else {})
