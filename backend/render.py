"""Responses are serialised with orjson straight from the views the store renders. Each route still
declares its pydantic response model (for /docs and for the tests that validate every response), but
skips FastAPI's re-validation of already-shaped data, which would cost more than the query."""

from __future__ import annotations

from typing import Any

import orjson
from fastapi.responses import Response

from barker.services import Page
from barker.store.base import RawJson


def json_response(data: Any, status_code: int = 200) -> Response:
    if isinstance(data, RawJson):  # already the response body, rendered by the store
        return Response(data.body, status_code=status_code, media_type="application/json")
    if isinstance(data, Page):
        data = {"items": data.items, "next_before": data.next_before}
    return Response(orjson.dumps(data), status_code=status_code, media_type="application/json")
