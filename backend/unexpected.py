"""The last line of defence: an exception nothing else handled (a bug) answers a JSON 500, and the client's
keep-alive connection survives it.

Starlette's ServerErrorMiddleware answers 500 too, but then re-raises (so servers can log it), and uvicorn
closes the connection on an exception from the app: a client then cannot tell whether its request did
anything. This middleware sits just inside it (the outermost of ours), logs the traceback once, with the
method and the path only (a query string may hold a token), and answers itself.

If the response has already started (its status and headers are sent), no honest answer is left: a 500
cannot follow a 200 on the same response. Then it re-raises, and uvicorn closes the connection, which is
how the client learns the response is incomplete.
"""

from __future__ import annotations

import logging

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from backend.errors import error_body

log = logging.getLogger("barker.http")


class AnswerUnexpected:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_tracking(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, send_tracking)
        except Exception:
            where = f"{scope['method']} {scope.get('root_path', '')}{scope['path']}"
            if started:  # uvicorn logs the traceback as it closes the connection
                log.error("unhandled error on %s after the response started: closing the connection", where)
                raise
            log.exception("unhandled error on %s", where)
            body = error_body("internal", "internal error")
            await send({"type": "http.response.start", "status": 500,
                        "headers": [(b"content-type", b"application/json"),
                                    (b"content-length", str(len(body)).encode())]})
            await send({"type": "http.response.body", "body": body})
