"""Headers on every response (nosniff; a Content-Security-Policy fitting the content), the docs pages
working under their policy, and media names that do not exist answering 404 even to If-None-Match."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from backend.security_headers import API_POLICY, inline_script_hashes
from tests import images
from tests.api.conftest import Http, User
from tests.conftest import make_settings

STRICT = API_POLICY.decode()


def directives(policy: str) -> dict[str, list[str]]:
    return {d.split()[0]: d.split()[1:] for d in (part.strip() for part in policy.split(";")) if d}


@pytest.mark.parametrize(("method", "path", "status"), [
    ("GET", "/healthz", 200), ("GET", "/v1/me", 401), ("GET", "/v1/nothing-here", 404),
    ("POST", "/v1/accounts", 422), ("DELETE", "/healthz", 405), ("HEAD", "/healthz", 200),
    ("GET", "/openapi.json", 200), ("GET", "/media/" + "a" * 64 + ".jpg", 404),
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


def test_swagger_ui_works_under_its_policy(client: TestClient) -> None:
    """Everything /docs loads is allowed, and nothing else: its CDN's scripts and styles, its one inline
    start-up script by hash, the OpenAPI document from this origin; it may be framed by no one."""
    resp = client.get("/docs")
    assert resp.status_code == 200 and resp.headers["content-type"].startswith("text/html")
    assert resp.headers["x-content-type-options"] == "nosniff"
    policy = directives(resp.headers["content-security-policy"])
    assert policy["default-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    html = resp.text
    inline = inline_script_hashes(html)
    assert len(inline) == 1 and inline[0] in policy["script-src"]  # the page's own inline script runs
    assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"]
    for src in re.findall(r'<script src="([^"]+)"', html):
        assert any(src.startswith(origin) for origin in policy["script-src"] if origin.startswith("https://"))
    for href in re.findall(r'<link type="text/css" rel="stylesheet" href="([^"]+)"', html):
        assert any(href.startswith(origin) for origin in policy["style-src"] if origin.startswith("https://"))
    assert "'self'" in policy["connect-src"]  # the OpenAPI document and "try it out"
    assert client.get(re.search(r"url: '([^']+)'", html).group(1)).status_code == 200


def test_redoc_works_under_the_same_policy(client: TestClient) -> None:
    resp = client.get("/redoc")
    policy = directives(resp.headers["content-security-policy"])
    html = resp.text
    assert inline_script_hashes(html) == []
    (src,) = re.findall(r'<script src="([^"]+)"', html)
    assert any(src.startswith(origin) for origin in policy["script-src"] if origin.startswith("https://"))
    for href in re.findall(r'<link href="([^"]+)" rel="stylesheet"', html):
        assert any(href.startswith(origin) for origin in policy["style-src"] if origin.startswith("https://"))
    assert "blob:" in policy["worker-src"] and policy["frame-ancestors"] == ["'none'"]


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
