"""The browser pages (backend/docs_pages.py): `/` and `/docs` load nothing from another host, every file they
reference is served with its type and for good, their Content-Security-Policy allows this origin only and
they need nothing it forbids (no inline script or style), and what was dropped (/redoc, the OAuth2
redirect page) answers a JSON 404. Headless Chromium rendering the pages under this policy is a manual check
(docs/api-docs.md): no browser is installed for the tests."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient

from backend.docs_pages import SOURCES
from tests.api.conftest import expect_error
from tests.conftest import make_settings

PAGES = ["/", "/docs"]
URL_ATTRIBUTES = {"src", "href", "action", "formaction", "srcset", "poster", "data", "spec-url"}
TYPES = {"js": "text/javascript", "css": "text/css", "png": "image/png"}


class Page(HTMLParser):
    """Every URL a page references, and everything a strict policy would block inline."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.inline: list[str] = []
        self.swagger_config: dict[str, object] | None = None
        self._in_script_without_src = False
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.urls += [value or "" for name, value in attrs if name in URL_ATTRIBUTES]
        self.inline += [f"{tag} {name}" for name, _ in attrs if name == "style" or name.startswith("on")]
        if tag == "style":
            self.inline.append("style element")
        self._in_script_without_src = tag == "script" and "src" not in found
        if "data-config" in found:
            self.swagger_config = json.loads(found["data-config"] or "")

    def handle_data(self, data: str) -> None:
        if self._in_script_without_src and data.strip():
            self.inline.append(f"inline script {data.strip()[:40]!r}")

    def handle_endtag(self, tag: str) -> None:
        self._in_script_without_src = False


def directives(policy: str) -> dict[str, list[str]]:
    return {d.split()[0]: d.split()[1:] for d in (part.strip() for part in policy.split(";")) if d}


def same_origin(url: str) -> bool:
    parts = urlsplit(url)
    return not parts.scheme and not parts.netloc and url.startswith("/")


@pytest.mark.parametrize("path", PAGES)
def test_a_page_references_no_other_host_and_runs_nothing_inline(client: TestClient, path: str) -> None:
    resp = client.get(path)
    assert resp.status_code == 200 and resp.headers["content-type"] == "text/html; charset=utf-8"
    page = Page(resp.text)
    assert page.urls, "the page references nothing: the parser missed its links"
    assert [url for url in page.urls if not same_origin(url)] == []
    assert "//" not in resp.text.replace("<!DOCTYPE html>", "")  # no scheme-relative or absolute URL anywhere
    assert page.inline == []


@pytest.mark.parametrize("path", PAGES)
def test_the_page_policy_allows_this_origin_only(client: TestClient, path: str) -> None:
    resp = client.get(path)
    assert resp.headers["x-content-type-options"] == "nosniff"
    policy = directives(resp.headers["content-security-policy"])
    assert policy["default-src"] == ["'none'"]
    assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"]
    assert policy["connect-src"] == ["'self'"]  # the OpenAPI document and "try it out"
    assert policy["img-src"] == ["'self'", "data:"]  # Swagger UI's icons are data: URIs in its stylesheet
    assert policy["frame-ancestors"] == ["'none'"] and policy["base-uri"] == ["'none'"]
    sources = {source for values in policy.values() for source in values}
    assert sources <= {"'self'", "'none'", "data:"}, sources


@pytest.mark.parametrize("path", PAGES)
def test_every_file_a_page_references_is_served_for_good(client: TestClient, path: str) -> None:
    for url in Page(client.get(path).text).urls:
        if not url.startswith("/docs/assets/"):
            continue
        resp = client.get(url)
        assert resp.status_code == 200, url
        assert resp.headers["content-type"].split(";")[0] == TYPES[url.rpartition(".")[2]], url
        assert resp.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert resp.headers["x-content-type-options"] == "nosniff"
        plain = url.rpartition("/")[2].split(".")
        assert resp.content == SOURCES[f"{plain[0]}.{plain[-1]}"].read_bytes()


def test_swagger_ui_is_the_vendored_bundle_started_by_our_script(client: TestClient) -> None:
    page = Page(client.get("/docs").text)
    scripts = [url.rpartition("/")[2] for url in page.urls if url.endswith(".js")]
    assert [name.split(".")[0] for name in scripts] == ["swagger-ui-bundle", "swagger-init"]  # in this order
    assert b"SwaggerUIBundle" in client.get(f"/docs/assets/{scripts[0]}").content
    assert b"SwaggerUIBundle(" in client.get(f"/docs/assets/{scripts[1]}").content
    assert page.swagger_config is not None
    assert page.swagger_config["dom_id"] == "#swagger-ui" and page.swagger_config["url"] == "/openapi.json"
    assert client.get("/openapi.json").json()["info"]["title"] == "Barker"


def test_asset_names_outside_the_list_are_a_json_404(client: TestClient) -> None:
    served = [url for url in Page(client.get("/docs").text).urls if url.startswith("/docs/assets/")]
    stale = served[0].rpartition("/")[0] + "/swagger-ui-bundle.0000000000000000.js"  # a previous release's
    for path in (stale, "/docs/assets/swagger-ui-bundle.js", "/docs/assets/..%2F..%2Fapp.py",
                 "/docs/assets/%2e%2e%2fdocs_pages.py", "/docs/assets/"):
        expect_error(client.get(path), 404)


@pytest.mark.parametrize("path", ["/redoc", "/docs/oauth2-redirect"])
def test_what_was_dropped_is_a_json_404(client: TestClient, path: str) -> None:
    expect_error(client.get(path), 404)


def test_the_landing_page_says_what_barker_is_and_links_to_working_pages(client: TestClient) -> None:
    resp = client.get("/")
    assert "Barker" in resp.text and "social network" in resp.text
    links = {url for url in Page(resp.text).urls if not url.startswith("/docs/assets/")}
    assert links == {"/docs", "/openapi.json", "/healthz", "/readyz"}
    for url in links:
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("path", PAGES)
def test_head_answers_like_get_without_a_body(client: TestClient, path: str) -> None:
    get, head = client.get(path), client.head(path)
    assert head.status_code == 200 and head.content == b""
    for name in ("content-type", "content-length", "content-security-policy"):
        assert head.headers[name] == get.headers[name]


def test_behind_a_prefix_every_link_carries_it(tmp_path: Path) -> None:
    from backend.app import create_app

    with TestClient(create_app(make_settings(tmp_path)), root_path="/api") as client:
        for path in PAGES:
            page = Page(client.get(path).text)
            assert all(url.startswith("/api/") for url in page.urls), page.urls
        config = Page(client.get("/docs").text).swagger_config
        assert config is not None and config["url"] == "/api/openapi.json"
