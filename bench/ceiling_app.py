"""The ceilings for the benchmarks: a bare FastAPI app served by the same uvicorn (uvloop + httptools) as
Barker. Whatever Barker does comes on top of this.

- `GET /const`: one constant answer (bench/http_bench.py).
- `/v1/stream` and `POST /v1/barks`: a bare broadcast (bench/stream_bench.py). Sockets connect and get
  `caught_up`; each post answers 201 at once, then sends one bark-sized event to every socket, in a loop,
  with no store, no fan-out and no per-socket reading: what delivery would cost if it were only sending.

    python -m uvicorn bench.ceiling_app:app --port 8001 --no-access-log --log-level warning
"""

from __future__ import annotations

import asyncio
import itertools

import orjson
from fastapi import FastAPI, WebSocket, WebSocketDisconnect
from fastapi.responses import Response

app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)
sockets: set[WebSocket] = set()
posted = itertools.count(1)
# About the size of a bark event as Barker sends it (author, text, counters, flags).
AUTHOR = {"id": 1, "handle": "author", "display_name": "Author", "avatar_url": None, "avatar_thumbnail_url": None}
BARK = {"created_at": "2026-11-22T00:00:00.000Z", "author": AUTHOR, "text": "bark 0", "media": [],
        "reactions": {}, "my_reactions": [], "rebark_count": 0, "rebarked_by_me": False, "rebark_of": None}


@app.get("/const")
async def const() -> dict[str, bool]:
    return {"ok": True}


@app.websocket("/v1/stream")
async def stream(ws: WebSocket) -> None:
    await ws.accept()
    await ws.send_text('{"type": "caught_up", "seq": 0}')
    sockets.add(ws)
    try:
        while True:
            await ws.receive_text()
    except WebSocketDisconnect:
        pass
    finally:
        sockets.discard(ws)


async def broadcast(message: str) -> None:
    for ws in list(sockets):
        try:
            await ws.send_text(message)
        except Exception:  # gone meanwhile
            sockets.discard(ws)


@app.post("/v1/barks")
async def post_bark() -> Response:
    bark_id = next(posted)
    message = orjson.dumps({"seq": bark_id, "type": "bark", "bark": {"id": bark_id, **BARK},
                            "live_only": False}).decode()
    asyncio.get_running_loop().call_soon(lambda: asyncio.ensure_future(broadcast(message)))
    return Response(orjson.dumps({"id": bark_id}), status_code=201, media_type="application/json")
