"""The OpenAPI document, told truthfully: every status an operation can answer, with the error body it
really sends, and the limits the server enforces.

Statuses are derived once, here, from what a route is made of (its dependencies, parameters, body and
method), so a new route is described correctly without a hand list. What only a route knows (a 409 for a
taken handle, a 429 for a write budget) it declares itself in `responses=`; that is kept and given the
error schema and headers here too."""

from __future__ import annotations

from typing import Any

import emoji
from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from backend.deps import store_gateway
from backend.introspection import api_routes, depends_on, requires_token
from barker.settings import Settings

ERROR_REF = {"$ref": "#/components/schemas/ErrorBody"}
EMOJI_REF = {"$ref": "#/components/schemas/Emoji"}
_INT_HEADER = {"schema": {"type": "integer", "minimum": 0}}
RETRY_AFTER = {"Retry-After": _INT_HEADER | {"description": "seconds to wait before retrying", "required": True}}
BUDGET = {f"X-RateLimit-{name}": _INT_HEADER | {"description": text} for name, text in (
    ("Limit", "the limit of the window that ran out"), ("Remaining", "requests left in it"),
    ("Reset", "seconds until it resets"))}
GENERIC = {
    400: "the body is not valid JSON (or not UTF-8)",
    401: "missing, expired or revoked token (checked before the input is)",
    404: "no such resource",
    413: "the request body is larger than the server accepts",
    422: "the input breaks a rule; the message names the field",
    503: "the store is unavailable or the server is busy: retry after Retry-After",
    507: "the store's disk is full: retry after Retry-After",
}
HEADERS = {401: {"WWW-Authenticate": {"schema": {"type": "string"}, "description": "Bearer"}},
           429: RETRY_AFTER | BUDGET, 503: RETRY_AFTER, 507: RETRY_AFTER}
SAFE_METHODS = {"GET", "HEAD"}


def error_statuses(route: Any) -> set[int]:
    """The error statuses a route can answer besides the ones it declares, from what it is made of."""
    dependant = route.dependant
    authenticated = requires_token(route)
    statuses: set[int] = set()
    if authenticated:
        statuses.add(401)
    if authenticated or depends_on(dependant, lambda call: call is store_gateway):
        statuses.add(503)
        # A write can find the disk full; so can a read that charges a rate limit (a counter is a write).
        if not set(route.methods) <= SAFE_METHODS or 429 in (route.responses or {}):
            statuses.add(507)
    if dependant.path_params:
        statuses.add(404)
    if dependant.body_params or any(_can_be_invalid(p) for p in dependant.path_params + dependant.query_params):
        statuses.add(422)
    if dependant.body_params:
        statuses |= {400, 413}
    return statuses


def _can_be_invalid(param: Any) -> bool:
    """Anything but an unconstrained string parameter can be refused (a plain string is always some string)."""
    return param.field_info.annotation is not str or bool(param.field_info.metadata)


def _error_response(status: int, declared: dict[str, Any] | None) -> dict[str, Any]:
    declared = declared or {}
    description = declared.get("description")
    if not description or description == "Successful Response" or description.startswith("Validation"):
        description = GENERIC.get(status, "error")
    response: dict[str, Any] = {"description": description, "content": {"application/json": {"schema": ERROR_REF}}}
    if status in HEADERS:
        response["headers"] = HEADERS[status]
    return response


def _limits(operation: dict[str, Any], settings: Settings) -> None:
    """Limits that depend on the settings, and the emoji set, where parameters are declared statically."""
    for parameter in operation.get("parameters", []):
        if parameter["name"] == "limit" and parameter["in"] == "query":
            parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": settings.page_size_max}
            parameter["description"] = (f"page size (default {settings.page_size_default}, "
                                        f"at most {settings.page_size_max})")
        elif parameter["name"] == "emoji":
            parameter["schema"] = EMOJI_REF


def emoji_schema() -> dict[str, Any]:
    """Exactly what barker.validation.reaction_emoji accepts: one emoji of the Unicode list, in any
    qualification (so the document is as strict as the server, no more, no less)."""
    return {"type": "string", "description": "exactly one emoji", "enum": sorted(emoji.EMOJI_DATA)}


def build(app: FastAPI, settings: Settings) -> dict[str, Any]:
    spec = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
    schemas = spec.setdefault("components", {}).setdefault("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):  # FastAPI's 422 body; Barker sends ErrorBody
        schemas.pop(name, None)
    schemas["Emoji"] = emoji_schema()
    if "NewReaction" in schemas:
        schemas["NewReaction"]["properties"]["emoji"] = EMOJI_REF
    for route in api_routes(app):
        for method in route.methods:
            operation = spec["paths"][route.path_format][method.lower()]
            responses = operation["responses"]
            responses.pop("422", None)  # FastAPI's guess, for any route with parameters; derived below instead
            declared = {int(s) for s in route.responses or {} if int(s) >= 400}
            for status in sorted(declared | error_statuses(route)):
                responses[str(status)] = _error_response(status, responses.get(str(status)))
            operation["responses"] = dict(sorted(responses.items()))
            _limits(operation, settings)
    return spec


def install(app: FastAPI, settings: Settings) -> None:
    """Serve `build`'s document at /openapi.json, built once on first request (as FastAPI does)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = build(app, settings)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
