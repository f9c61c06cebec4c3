"""Headers on every response (nosniff; a Content-Security-Policy fitting the content) and media names that
do not exist answering 404 even to If-None-Match. The HTML pages and their policy: test_docs_pages.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from backend.security_headers import API_POLICY
from tests import images
from tests.api.conftest import Http, User
from tests.conftest import make_settings

STRICT = API_POLICY.decode()


@pytest.mark.parametrize(("method", "path", "status"), [
    ("GET", "/healthz", 200), ("GET", "/v1/me", 401), ("GET", "/v1/nothing-here", 404),
    ("POST", "/v1/accounts", 422), ("DELETE", "/healthz", 405), ("HEAD", "/healthz", 200),
    ("GET", "/openapi.json", 200), ("GET", "/media/" + "a" * 64 + ".jpg", 404), ("GET", "/redoc", 404),
    ("GET", "/docs/assets/swagger-ui-bundle.js", 404),
])
def test_every_non_html_response_is_nosniff_with_the_strict_policy(client: TestClient, method: str, path: str,
                                                                   status: int) -> None:
    resp = client.request(method, path)
    assert resp.status_code == status
    assert resp.headers["x-content-type-options"] == "nosniff"
    assert resp.headers["content-security-policy"] == STRICT


def test_a_body_refused_by_the_size_middleware_carries_them_too(tmp_path: Path) -> None:
    from backend.app import create_app

    with TestClient(create_app(make_settings(tmp_path, max_body_bytes=1024))) as client:
        resp = client.post("/v1/accounts", content=b"x" * 2048, headers={"content-type": "application/json"})
        assert resp.status_code == 413
        assert resp.headers["x-content-type-options"] == "nosniff"
        assert resp.headers["content-security-policy"] == STRICT


def test_headers_are_sent_once(http: Http, alice: User) -> None:
    up = http.post("/v1/media", alice, files={"file": ("a.png", images.png_with_alpha(), "image/png")})
    resp = http.client.get(up["url"])
    assert resp.status_code == 200
    assert resp.headers.get_list("x-content-type-options") == ["nosniff"]
    assert resp.headers["content-security-policy"] == STRICT


def test_if_none_match_on_a_missing_media_name_is_404(http: Http, alice: User) -> None:
    missing = "/media/" + "b" * 64 + ".png"
    etag = '"' + "b" * 64 + '"'
    for tag in (etag, "*", f'W/{etag}'):
        resp = http.client.get(missing, headers={"If-None-Match": tag})
        assert resp.status_code == 404, tag
    up = http.post("/v1/media", alice, files={"file": ("a.png", images.png_with_alpha(), "image/png")})
    first = http.client.get(up["url"])
    assert http.client.get(up["url"], headers={"If-None-Match": first.headers["etag"]}).status_code == 304


def test_the_json_500_of_a_bug_carries_them_too(tmp_path: Path) -> None:
    from backend.app import create_app

    app = create_app(make_settings(tmp_path))

    async def bug() -> None:
        raise RuntimeError("a bug")

    app.add_api_route("/bug", bug)
    with TestClient(app, raise_server_exceptions=False) as client:
        resp = client.get("/bug")
        assert resp.status_code == 500 and resp.json()["error"]["code"] == "internal"
        assert resp.headers["x-content-type-options"] == "nosniff"
        assert resp.headers["content-security-policy"] == STRICT
