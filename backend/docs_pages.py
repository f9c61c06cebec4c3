"""The browser pages: a landing page at `/` and Swagger UI at `/docs`, with every file they load served by
this process under `/docs/assets/`, so they work on a machine without internet and under a
Content-Security-Policy that allows this origin only (backend/security_headers.py). docs/api-docs.md says
why it is built this way (and why there is no /redoc).

- Swagger UI's files come from the `fastapi-swagger` package (MIT), which ships the current swagger-ui-dist
  bundle; our start-up script and stylesheet are in backend/static/. No page has an inline script or style.
- Asset URLs carry a hash of the file's content (`swagger-ui-bundle.<hash>.js`): the bytes behind a URL
  never change, so browsers may cache them for good, and an upgrade changes the URLs.
- These are plain Starlette routes, not API routes: they are not part of the OpenAPI document.
"""

from __future__ import annotations

import functools
import hashlib
import html
import importlib.resources
import json
from dataclasses import dataclass
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.openapi.docs import swagger_ui_default_parameters
from fastapi.responses import FileResponse, HTMLResponse, Response

from backend.routes.media import IMMUTABLE
from barker.errors import NotFound

DOCS_URL = "/docs"
ASSETS_PATH = "/docs/assets"
VENDORED = Path(str(importlib.resources.files("fastapi_swagger.resources")))
OURS = Path(__file__).with_name("static")
SOURCES = {
    "swagger-ui-bundle.js": VENDORED / "swagger-ui-bundle.js",
    "swagger-ui.css": VENDORED / "swagger-ui.css",
    "favicon.png": VENDORED / "favicon-32x32.png",
    "swagger-init.js": OURS / "swagger-init.js",
    "pages.css": OURS / "pages.css",
}
MEDIA_TYPES = {"js": "text/javascript; charset=utf-8", "css": "text/css; charset=utf-8", "png": "image/png"}


@dataclass(frozen=True)
class Asset:
    path: Path
    media_type: str
    served_as: str  # the file name in its URL: <name>.<content hash>.<ext>


@functools.cache
def assets() -> dict[str, Asset]:
    """Every served file by its plain name (each is read once per process, to hash it)."""
    found = {}
    for name, path in SOURCES.items():
        stem, _, ext = name.rpartition(".")
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
        found[name] = Asset(path, MEDIA_TYPES[ext], f"{stem}.{digest}.{ext}")
    return found


@functools.cache
def _by_served_name() -> dict[str, Asset]:
    return {asset.served_as: asset for asset in assets().values()}


def asset_url(root: str, name: str) -> str:
    return f"{root}{ASSETS_PATH}/{assets()[name].served_as}"


def _root(request: Request) -> str:
    # Behind a proxy that mounts the app under a prefix, links carry it (as FastAPI's own docs page does).
    return str(request.scope.get("root_path", "")).rstrip("/")


def _head(root: str, title: str, stylesheet: str) -> str:
    return ('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{html.escape(title)}</title>\n"
            f'<link rel="icon" type="image/png" href="{asset_url(root, "favicon.png")}">\n'
            f'<link rel="stylesheet" href="{asset_url(root, stylesheet)}">\n</head>\n')


def swagger_page(app: FastAPI, root: str) -> str:
    # What FastAPI's get_swagger_ui_html writes into its inline script (its default parameters, the app's
    # own, the OpenAPI URL), passed as data to the served start-up script instead.
    config = {**swagger_ui_default_parameters, **(app.swagger_ui_parameters or {}), "url": f"{root}{app.openapi_url}"}
    data = html.escape(json.dumps(jsonable_encoder(config)), quote=True)
    return (_head(root, f"{app.title} - Swagger UI", "swagger-ui.css")
            + f'<body>\n<div id="swagger-ui" data-config="{data}"></div>\n'
            f'<script src="{asset_url(root, "swagger-ui-bundle.js")}"></script>\n'
            f'<script src="{asset_url(root, "swagger-init.js")}"></script>\n</body>\n</html>\n')


def landing_page(root: str) -> str:
    return _head(root, "Barker", "pages.css") + f"""<body>
<main>
<h1>Barker</h1>
<p>A Twitter-style social network: accounts and barks (posts), follows, people near you, friends of
friends, and a live, durable stream of events for every user. This server speaks JSON over HTTP and a
websocket; it has no web client: use the desktop client (<code>barker client</code>), curl, or any HTTP
client.</p>
<h2>API documentation</h2>
<ul>
<li><a href="{root}{DOCS_URL}">{DOCS_URL}</a>: every call, with its parameters and answers; try them from
the page</li>
<li><a href="{root}/openapi.json">/openapi.json</a>: the same as an OpenAPI document, for tools</li>
</ul>
<h2>Getting started</h2>
<p>Create an account with <code>POST /v1/accounts</code> (or log in with <code>POST /v1/sessions</code>) and
send the token it returns as <code>Authorization: Bearer &lt;token&gt;</code>. Your events arrive live on
the websocket <code>GET /v1/stream</code>.</p>
<h2>Health</h2>
<ul>
<li><a href="{root}/healthz">/healthz</a>: the process is up</li>
<li><a href="{root}/readyz">/readyz</a>: the store answers reads and takes writes (503 saying why if not)</li>
</ul>
</main>
</body>
</html>
"""


def install_docs_pages(app: FastAPI) -> None:
    """Serve the pages on an app created with docs_url=None and redoc_url=None (FastAPI's own pages load
    from a CDN). No /docs/oauth2-redirect: Barker's only security scheme is a bearer token, so Swagger UI
    never starts an OAuth2 flow."""
    assets()  # read and hash the files now: a missing one fails at start-up, not on the first page view

    async def landing(request: Request) -> Response:
        return HTMLResponse(landing_page(_root(request)))

    async def swagger(request: Request) -> Response:
        return HTMLResponse(swagger_page(app, _root(request)))

    async def asset(request: Request) -> Response:
        found = _by_served_name().get(request.path_params["name"])
        if found is None:
            raise NotFound("no such asset")
        return FileResponse(found.path, media_type=found.media_type, headers={"Cache-Control": IMMUTABLE})

    app.add_route("/", landing, include_in_schema=False)
    app.add_route(DOCS_URL, swagger, include_in_schema=False)
    app.add_route(ASSETS_PATH + "/{name}", asset, include_in_schema=False)
