"""The ceiling for the HTTP benchmark: a bare FastAPI app with one constant endpoint, served by the same
uvicorn (uvloop + httptools) as Barker. Whatever Barker does per request comes on top of this.

    python -m uvicorn bench.ceiling_app:app --port 8001 --no-access-log --log-level warning
"""

from __future__ import annotations

from fastapi import FastAPI

app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)


@app.get("/const")
async def const() -> dict[str, bool]:
    return {"ok": True}
