"""A real `barker serve` with BARKER_METRICS=on and BARKER_LOG_FORMAT=json: the socket gauge follows a real
websocket, and every line the process writes is one JSON object, uvicorn's access lines with their fields,
and no token (a user's or the metrics token) anywhere."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable

import httpx2 as httpx

from tests.live.client import Stream, User
from tests.servers import Server, wait_until

METRICS_TOKEN = "metrics-token-that-must-never-be-logged-42"


def sockets_open(server: Server) -> float:
    r = httpx.get(f"{server.base}/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"})
    assert r.status_code == 200, r.text
    [line] = [line for line in r.text.splitlines() if line.startswith("barker_stream_sockets_open ")]
    return float(line.split()[1])


def test_socket_gauge_and_json_logs(start_server: Callable[..., Server]) -> None:
    server = start_server(log_level="info", access_log=True, BARKER_METRICS="on",
                          BARKER_METRICS_TOKEN=METRICS_TOKEN, BARKER_LOG_FORMAT="json")
    me = User(server.base, "gauged")
    assert sockets_open(server) == 0

    async def scenario() -> None:
        stream = await Stream.open(server.ws, me.token, how="query")  # ...?access_token=<token>: logged
        await stream.until_caught_up()
        assert await asyncio.to_thread(sockets_open, server) == 1
        second = await Stream.open(server.ws, me.token, how="subprotocol")
        await second.until_caught_up()
        assert await asyncio.to_thread(sockets_open, server) == 2
        await stream.close()
        await second.close()

    asyncio.run(scenario())
    wait_until(lambda: sockets_open(server) == 0, 10, 0.05, "the closed sockets to be unregistered")
    httpx.get(f"{server.base}/v1/stream/events?access_token={me.token}&after=0")  # 401, logged with its query
    unauthorized = httpx.get(f"{server.base}/metrics", headers={"Authorization": f"Bearer {me.token}"})
    assert unauthorized.status_code == 401
    server.stop()  # flushes the log

    output = server.output()
    assert me.token not in output and METRICS_TOKEN not in output
    lines = [json.loads(line) for line in output.splitlines() if line.strip()]  # each line parses alone
    assert lines, output
    for line in lines:
        assert {"time", "level", "logger", "message"} <= line.keys(), line
        assert line["time"].endswith("Z") and line["level"] in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}
    loggers = {line["logger"] for line in lines}
    assert {"uvicorn.access", "uvicorn.error", "barker"} <= loggers, loggers  # ours, uvicorn's and its access log
    access = [line for line in lines if line["logger"] == "uvicorn.access"]
    events = [line for line in access if line["path"] == "/v1/stream/events"]
    assert len(events) == 1
    assert events[0]["method"] == "GET" and events[0]["status"] == 401 and events[0]["client"].startswith("127.0.0.1")
    assert "access_token=[redacted]" in events[0]["message"]  # the message keeps the query, redacted
    assert all("?" not in line["path"] for line in access)
    assert any(line["path"] == "/metrics" and line["status"] == 401 for line in access)
    websocket = [line["message"] for line in lines if "WebSocket /v1/stream" in line["message"]]
    assert any("access_token=[redacted]" in message for message in websocket), websocket
