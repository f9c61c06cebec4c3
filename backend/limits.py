"""Request body cap, enforced before a handler reads the body (declared length or actual bytes).

FastAPI's own `max_body_size` answers an over-long Content-Length with a plain-text 413 outside the
exception handlers; Barker promises a JSON error body on every failure, hence this small middleware."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from backend.errors import error_response


class BodySizeLimit:
    """`max_bytes` for every path, except the exact paths in `overrides` (uploads) with their own caps."""

    def __init__(self, app: ASGIApp, max_bytes: int, overrides: dict[str, int] | None = None) -> None:
        self.app = app
        self.default_max_bytes = max_bytes
        self.overrides = overrides or {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        max_bytes = self.overrides.get(scope["path"], self.default_max_bytes)
        for name, value in scope["headers"]:
            if name == b"content-length" and (not value.isdigit() or int(value) > max_bytes):
                await error_response(413, "body_too_large",
                                     f"request bodies are limited to {max_bytes} bytes")(scope, receive, send)
                return
        seen = 0

        async def counting_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > max_bytes:  # chunked upload without a length: stop reading
                    raise HTTPException(413, f"request bodies are limited to {max_bytes} bytes")
            return message

        await self.app(scope, counting_receive, send)

