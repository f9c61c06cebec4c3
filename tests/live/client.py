"""Test clients for a live server: REST calls as a user, and a stream socket."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx2 as httpx
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed


class User:
    """Signs up on a live server and acts over REST."""

    def __init__(self, base: str, handle: str) -> None:
        self.base, self.handle = base, handle
        self.http = httpx.Client(timeout=10)  # keep-alive
        r = self.http.post(f"{base}/v1/accounts", json={"handle": handle, "password": "correct horse"})
        assert r.status_code == 201, r.text
        self.token = r.json()["token"]
        self.id = r.json()["user"]["id"]
        self.auth = {"Authorization": f"Bearer {self.token}"}

    def call(self, method: str, path: str, *, base: str | None = None, **kw: Any) -> Any:
        r = self.http.request(method, f"{base or self.base}{path}", headers=self.auth, **kw)
        assert r.status_code < 300, r.text
        return r.json() if r.content else None

    def bark(self, text: str, *, base: str | None = None) -> dict[str, Any]:
        return self.call("POST", "/v1/barks", json={"text": text}, base=base)

    def follow(self, other: User) -> None:
        self.call("PUT", f"/v1/me/following/{other.handle}")

    def events(self, after: int | None = None, limit: int = 100) -> dict[str, Any]:
        query = f"?limit={limit}" + (f"&after={after}" if after is not None else "")
        return self.call("GET", f"/v1/stream/events{query}")


class Stream:
    """One /v1/stream socket; messages parsed from JSON."""

    def __init__(self, conn: ClientConnection) -> None:
        self.conn = conn

    @classmethod
    async def open(cls, ws_base: str, token: str | None, *, after: int | str | None = None, how: str = "header",
                   **kw: Any) -> Stream:
        url = f"{ws_base}/v1/stream"
        params = [] if after is None else [f"after={after}"]
        headers, subprotocols = {}, None
        if token is not None:
            if how == "header":
                headers["Authorization"] = f"Bearer {token}"
            elif how == "subprotocol":
                subprotocols = [f"bearer.{token}"]
            else:
                params.append(f"access_token={token}")
        if params:
            url += "?" + "&".join(params)
        conn = await connect(url, additional_headers=headers, subprotocols=subprotocols, open_timeout=5, **kw)
        return cls(conn)

    async def next(self, timeout: float = 5.0) -> dict[str, Any]:
        return json.loads(await asyncio.wait_for(self.conn.recv(), timeout))

    async def until_caught_up(self, timeout: float = 5.0) -> tuple[list[dict[str, Any]], int]:
        """Events before the caught_up message, and its seq."""
        events = []
        while True:
            message = await self.next(timeout)
            if message["type"] == "caught_up":
                return events, message["seq"]
            events.append(message)

    async def closed_with(self, timeout: float = 5.0) -> tuple[int | None, list[dict[str, Any]]]:
        """Wait for the server to close; (close code, messages received before it)."""
        received = []
        try:
            while True:
                received.append(json.loads(await asyncio.wait_for(self.conn.recv(), timeout)))
        except ConnectionClosed as e:
            return (e.rcvd.code if e.rcvd else None), received

    async def close(self) -> None:
        await self.conn.close()
