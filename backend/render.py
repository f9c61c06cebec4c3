"""Responses are serialised with orjson straight from the views the store renders. Each route still
declares its pydantic response model (for /docs and for the tests that validate every response), but
skips FastAPI's re-validation of already-shaped data, which would cost more than the query."""

from __future__ import annotations

from typing import Any

import orjson
from fastapi.responses import Response

from barker.ports.types import RawJson
from barker.rate_limits import Budget
from barker.services import Page


def json_response(data: Any, status_code: int = 200, headers: dict[str, str] | None = None) -> Response:
    if isinstance(data, RawJson):  # already the response body, rendered by the store
        return Response(data.body, status_code=status_code, media_type="application/json", headers=headers)
    if isinstance(data, Page):
        data = {"items": data.items, "next_before": data.next_before}
    return Response(orjson.dumps(data), status_code=status_code, media_type="application/json", headers=headers)


def budget_headers(budget: Budget | None) -> dict[str, str] | None:
    """What is left of a rate limit (docs/limits.md): the limit of its window, the requests left in it, and
    the seconds until it resets (a delta, like Retry-After, so clients need no synchronised clock)."""
    if budget is None:
        return None
    return {"X-RateLimit-Limit": str(budget.limit), "X-RateLimit-Remaining": str(budget.remaining),
            "X-RateLimit-Reset": str(budget.reset_seconds)}
