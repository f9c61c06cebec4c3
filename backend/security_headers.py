"""Headers every response carries so that browsers treat it as what it is (a pure ASGI middleware: it adds
a few header lines to the response start and never touches the body).

- `X-Content-Type-Options: nosniff` everywhere: a browser never guesses a type from the content (an upload
  can never be run as a script or page).
- `Content-Security-Policy`: for everything but HTML, `default-src 'none'; frame-ancestors 'none'` (a JSON
  body or an image opened as a page may run, load and frame nothing). For HTML (the landing page and Swagger UI
  at /docs: backend/docs_pages.py), a policy that allows this origin only: scripts, styles, images and
  requests ("try it out") from 'self', no inline script or style, no other host; framed by no one.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

NOSNIFF = (b"x-content-type-options", b"nosniff")
API_POLICY = b"default-src 'none'; frame-ancestors 'none'"

# Our HTML pages load everything from this origin; Swagger UI's stylesheet draws its icons from data: URIs.
PAGE_POLICY = "; ".join([
    "default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
    "connect-src 'self'", "frame-ancestors 'none'", "base-uri 'none'", "form-action 'none'",
]).encode()


class SecurityHeaders:
    def __init__(self, app: ASGIApp, html_policy: bytes = PAGE_POLICY) -> None:
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
