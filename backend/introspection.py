"""The app's routes as served, for tooling and for error responses.

Recent FastAPI keeps each included router as one `_IncludedRouter` entry in `app.routes`, expanded with
`fastapi.routing.iter_route_contexts` (which applies the app's settings, e.g. operation ids); older
versions copy the routes into `app.routes` directly."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import routing
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from starlette.applications import Starlette

from backend.deps import CallerFromToken


def served_routes(app: Starlette) -> list[Any]:
    expand = getattr(routing, "iter_route_contexts", None)
    return list(expand(app.routes)) if expand else list(app.routes)


def api_routes(app: Starlette) -> list[Any]:
    return [r for r in served_routes(app) if isinstance(getattr(r, "original_route", r), APIRoute)]


def allowed_methods(app: Starlette, path: str) -> set[str]:
    """Every method some route serves at `path` (Starlette's 405 lists only the first matching route's)."""
    methods: set[str] = set()
    for route in served_routes(app):
        regex, route_methods = getattr(route, "path_regex", None), getattr(route, "methods", None)
        if regex is not None and route_methods and regex.match(path):
            methods |= route_methods
    if "GET" in methods:
        methods.add("HEAD")  # answered by backend.head.HeadAsGet
    return methods


def depends_on(dependant: Dependant, test: Callable[[Any], bool]) -> bool:
    """Some dependency of the route, at any depth, passes `test`."""
    return any(test(d.call) or depends_on(d, test) for d in dependant.dependencies)


def requires_token(route: Any) -> bool:
    """The route answers only an authenticated caller: it takes the Caller dependency (backend/deps.py)."""
    dependant = getattr(route, "dependant", None)
    return dependant is not None and depends_on(dependant, lambda call: isinstance(call, CallerFromToken))
