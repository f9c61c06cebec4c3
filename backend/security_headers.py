"""Headers every response carries so that browsers treat it as what it is (a pure ASGI middleware: it adds
a few header lines to the response start and never touches the body).

- `X-Content-Type-Options: nosniff` everywhere: a browser never guesses a type from the content (an upload
  can never be run as a script or page).
- `Content-Security-Policy`: for everything but HTML, `default-src 'none'; frame-ancestors 'none'` (a JSON
  body or an image opened as a page may run, load and frame nothing). For the HTML of the API docs
  (`/docs`, `/redoc`), a policy that allows exactly what those pages load: Swagger UI's and ReDoc's
  script and style from their CDN, Swagger's one inline start-up script by its hash, ReDoc's fonts and
  its search worker, and requests to this origin only ("try it out"); framed by no one.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from starlette.types import ASGIApp, Message, Receive, Scope, Send

NOSNIFF = (b"x-content-type-options", b"nosniff")
API_POLICY = b"default-src 'none'; frame-ancestors 'none'"
# What FastAPI's docs pages load today (fastapi.openapi.docs): Swagger UI and ReDoc from jsDelivr, the
# favicon from fastapi.tiangolo.com, ReDoc's fonts from Google Fonts and its "API docs by Redocly" logo.
DOCS_CDN = "https://cdn.jsdelivr.net"
DOCS_FAVICON = "https://fastapi.tiangolo.com"
REDOC_LOGO = "https://cdn.redoc.ly"
FONTS_CSS = "https://fonts.googleapis.com"
FONTS = "https://fonts.gstatic.com"
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def inline_script_hashes(html: str) -> list[str]:
    """CSP source expressions ('sha256-...') for each inline <script> of a page."""
    return [f"'sha256-{base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()}'"
            for body in _INLINE_SCRIPT.findall(html)]


def docs_policy(script_hashes: Iterable[str]) -> bytes:
    return "; ".join([
        "default-src 'none'",
        f"script-src {DOCS_CDN} {' '.join(script_hashes)}".rstrip(),
        # Swagger UI and ReDoc set style attributes and inject <style> at run time: no hash can cover them.
        f"style-src {DOCS_CDN} {FONTS_CSS} 'unsafe-inline'",
        f"font-src {FONTS}",
        f"img-src 'self' data: {DOCS_FAVICON} {REDOC_LOGO}",
        "connect-src 'self'",  # the OpenAPI document and "try it out" requests: this origin only
        "worker-src blob:",  # ReDoc's search index runs in a worker made from a blob
        "frame-ancestors 'none'", "base-uri 'none'", "form-action 'none'",
    ]).encode()


def swagger_policy(app: FastAPI) -> bytes:
    """The docs policy with the hash of the inline script of the Swagger page this app serves, rendered the
    way FastAPI renders it at /docs (with no root_path). tests/api/test_security_headers.py checks the
    page that is actually served against this policy, so a FastAPI change cannot break /docs silently."""
    if not app.docs_url or not app.openapi_url:
        return docs_policy([])
    page = get_swagger_ui_html(openapi_url=app.openapi_url, title=f"{app.title} - Swagger UI",
                               oauth2_redirect_url=app.swagger_ui_oauth2_redirect_url,
                               init_oauth=app.swagger_ui_init_oauth,
                               swagger_ui_parameters=app.swagger_ui_parameters)
    return docs_policy(inline_script_hashes(bytes(page.body).decode()))


class SecurityHeaders:
    def __init__(self, app: ASGIApp, html_policy: bytes) -> None:
        self.app = app
        self.html_policy = html_policy

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {name.lower() for name, _ in headers}
                if NOSNIFF[0] not in names:
                    headers.append(NOSNIFF)
                if b"content-security-policy" not in names:
                    content_type = next((v for n, v in headers if n.lower() == b"content-type"), b"")
                    html = content_type.startswith(b"text/html")
                    headers.append((b"content-security-policy", self.html_policy if html else API_POLICY))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)
