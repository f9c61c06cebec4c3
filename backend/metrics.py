"""Prometheus metrics at /metrics (BARKER_METRICS=on; docs/metrics.md lists them).

Two parts:
- `RequestMetrics`, a pure ASGI middleware, times each HTTP request into one histogram labelled by method,
  route template (`/v1/users/{handle}`, read from the route Starlette matched, never the raw path: one
  series per route, whatever the handles) and status class. Its `_count` is the request count. Installed
  only when metrics are on: off costs nothing per request.
- `ProcessState`, a collector read only when /metrics is scraped: open stream sockets, the bus, the
  bounded pools, store faults (barker/health.py) and the fan-out queue (one store read per scrape).

Every process serves its own numbers (its requests, its sockets, its pools); the fan-out queue is the
store's, so every process reports the same one. Scrape each process (docs/metrics.md).
"""

from __future__ import annotations

import hmac
import time
from collections.abc import Iterable, Iterator
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Histogram, ProcessCollector, generate_latest
from prometheus_client.metrics_core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from barker import __version__
from barker.errors import StoreUnavailable, Unauthorized
from barker.health import kind
from barker.ids import created_ms, now_ms
from barker.ports.store import Store
from barker.settings import Settings

PATH = "/metrics"
UNMATCHED = "unmatched"  # no route matched (a 404): one series for every unknown path
# Any other method is "other": a client can send any token as a method, and each would be a new series.
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
# Timeline reads take about a millisecond, uploads and log-ins up to seconds.
BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class RequestMetrics:
    """Times every HTTP request (websockets are counted by the socket gauge instead). It sits inside
    HeadAsGet (a HEAD is timed as the GET it is answered by) and outside the router, which writes the
    matched route into the scope it was given: this very dict."""

    def __init__(self, app: ASGIApp, histogram: Histogram) -> None:
        self.app = app
        self._histogram = histogram
        # (method, template, status // 100) -> the histogram's child: a plain dict read per request instead of
        # the client's labels() (which validates and takes its lock every call).
        self._series: dict[tuple[str, str, int], Any] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # an exception before any answer: AnswerUnexpected, outside us, answers 500

        async def send_noting_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_noting_status)
        finally:
            route = scope.get("route")
            key = (scope["method"], getattr(route, "path_format", UNMATCHED), status // 100)
            series = self._series.get(key)
            if series is None:
                series = self._series[key] = self._histogram.labels(
                    key[0] if key[0] in METHODS else "other", key[1], f"{key[2]}xx")
            series.observe(time.perf_counter() - started)


def fanout_backlog(store: Store) -> tuple[int, int | None]:
    """Queued fan-out jobs and the oldest one's id (ids carry their creation time), in one read hop."""
    oldest = store.next_jobs(1)
    return store.pending_jobs(), oldest[0].id if oldest else None


class ProcessState(Collector):
    """What this process and its store look like now, read at scrape time (nothing on the request path)."""

    def __init__(self, app: FastAPI) -> None:
        self._app = app
        self.backlog: tuple[int, int | None] | None = None  # set by the scrape just before collecting

    def describe(self) -> Iterable[Metric]:
        return []  # the registry would otherwise collect once at registration, before the app has started

    def collect(self) -> Iterator[Metric]:
        state = self._app.state
        gw = state.gateway
        yield GaugeMetricFamily("barker_stream_sockets_open", "Stream websockets open in this process.",
                                value=state.hub.open_sockets())
        yield GaugeMetricFamily("barker_bus_connected", "1 if the bus between processes is connected (always 1 "
                                "for the in-process bus), else 0.", value=1 if gw.bus.connected else 0)
        admitted = GaugeMetricFamily("barker_pool_jobs", "Jobs running or waiting in a bounded pool.",
                                     labels=["pool"])
        capacity = GaugeMetricFamily("barker_pool_capacity", "Jobs a bounded pool admits (running plus waiting) "
                                     "before it answers 503 busy.", labels=["pool"])
        for name, admission in gw.pools().items():
            admitted.add_metric([name], admission.admitted)
            capacity.add_metric([name], admission.capacity)
        yield admitted
        yield capacity
        errors = CounterMetricFamily("barker_store_errors", "Store calls that failed for lack of room (full) or "
                                     "of the store (unavailable), by path.", labels=["path", "kind"])
        for (path, what), count in sorted(gw.health.failure_counts().items()):
            errors.add_metric([path, what], count)
        yield errors
        failing = GaugeMetricFamily("barker_store_failing", "1 for each path to the store that is failing now, "
                                    "with its kind.", labels=["path", "kind"])
        for path, error in sorted(gw.health.problems().items()):
            failing.add_metric([path, kind(error)], 1)
        yield failing
        if self.backlog is not None:  # None: the store could not be read (barker_store_failing says why)
            queued, oldest = self.backlog
            yield GaugeMetricFamily("barker_fanout_jobs_queued", "Fan-out jobs waiting in the store (the "
                                    "store's, the same from every process).", value=queued)
            age = max(0, now_ms() - created_ms(oldest)) / 1000 if oldest is not None else 0.0
            yield GaugeMetricFamily("barker_fanout_oldest_job_age_seconds", "Age of the oldest queued fan-out "
                                    "job: how far fan-out lags behind (0 when none is queued).", value=age)


def _authorized(request: Request, token: str) -> bool:
    if not token:
        return True
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    # compare_digest: the time taken does not tell how much of a guess was right.
    return scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode())


def install(app: FastAPI, settings: Settings) -> None:
    """Add the timing middleware (at the point of the middleware stack where this is called) and /metrics."""
    registry = CollectorRegistry(auto_describe=True)
    histogram = Histogram("barker_http_request_duration_seconds", "HTTP requests by method, route template "
                          "and status class, timed from the request's arrival to the end of its answer.",
                          ["method", "route", "status"], buckets=BUCKETS, registry=registry)
    info = GaugeMetricFamily("barker_info", "The running Barker version.", labels=["version"])
    info.add_metric([__version__], 1)
    registry.register(_Constant([info]))
    state = ProcessState(app)
    registry.register(state)
    ProcessCollector(registry=registry)  # CPU seconds, resident memory, open files, start time
    token = settings.metrics_token.get_secret_value()

    async def metrics(request: Request) -> Response:
        if not _authorized(request, token):
            raise Unauthorized("/metrics needs the metrics token: Authorization: Bearer <BARKER_METRICS_TOKEN>")
        gw = request.app.state.gateway
        try:
            backlog: tuple[int, int | None] | None = await gw.read(fanout_backlog, gw.store)
        except StoreUnavailable:
            backlog = None
        state.backlog = backlog  # no await between this and the collection below: no other scrape interleaves
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)

    app.add_route(PATH, metrics, methods=["GET"], include_in_schema=False)
    app.add_middleware(RequestMetrics, histogram=histogram)


class _Constant(Collector):
    def __init__(self, metrics: list[Metric]) -> None:
        self._metrics = metrics

    def collect(self) -> Iterator[Metric]:
        return iter(self._metrics)
