"""A bug (an exception no handler knows) on a real uvicorn: a JSON 500, the traceback logged once with the
method and path but not the query string, and the client's keep-alive connection is still there for the
next request. Once a response has started, the connection is closed instead: the one honest signal left."""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx2 as httpx
import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.responses import StreamingResponse

from backend.app import create_app
from tests.conftest import make_settings
from tests.servers import free_port, wait_until


def app_with_bugs(tmp_path: Path) -> FastAPI:
    app = create_app(make_settings(tmp_path))

    @app.post("/boom")
    async def boom() -> None:
        raise RuntimeError("secret internals")

    @app.get("/half")
    async def half() -> StreamingResponse:
        async def body() -> AsyncIterator[bytes]:
            yield b'{"items": ['
            raise RuntimeError("broke off mid-response")

        return StreamingResponse(body(), media_type="application/json")

    return app


@pytest.fixture
def base_url(tmp_path: Path) -> Iterator[str]:
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app_with_bugs(tmp_path), host="127.0.0.1", port=port,
                                           log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    wait_until(lambda: server.started, 20, 0.02, "uvicorn to start")
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(20)


def local_port(r: httpx.Response) -> int:
    return r.extensions["network_stream"].get_extra_info("client_addr")[1]


def test_a_bug_answers_json_500_and_the_connection_survives(base_url: str,
                                                            caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.ERROR)
    ports = []
    with httpx.Client(base_url=base_url, timeout=10, limits=httpx.Limits(max_connections=1)) as client:
        first = client.get("/healthz")
        ports.append(local_port(first))
        boom = client.post("/boom?access_token=hunter2", json={"text": "x"})
        ports.append(local_port(boom))
        after = client.get("/healthz")
        ports.append(local_port(after))
    assert boom.status_code == 500
    assert boom.json() == {"error": {"code": "internal", "message": "internal error"}}
    assert "connection" not in boom.headers  # no "Connection: close"
    assert after.status_code == 200
    assert ports[0] == ports[1] == ports[2]  # one connection throughout

    logged = [r for r in caplog.records if r.exc_info]
    assert len(logged) == 1 and logged[0].getMessage() == "unhandled error on POST /boom"
    assert "hunter2" not in caplog.text and "secret internals" in caplog.text  # the traceback, once


def test_a_bug_after_the_response_started_closes_the_connection(base_url: str,
                                                                caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.ERROR)
    with httpx.Client(base_url=base_url, timeout=10, limits=httpx.Limits(max_connections=1)) as client:
        first_port = local_port(client.get("/healthz"))
        with pytest.raises(httpx.HTTPError):  # a 200 whose body breaks off: the client must not trust it
            client.get("/half")
        after = client.get("/healthz")
        assert after.status_code == 200 and local_port(after) != first_port  # a new connection
    assert "unhandled error on GET /half after the response started" in caplog.text
