"""/metrics (BARKER_METRICS, docs/metrics.md): off by default with no middleware at all; when on, requests
counted under their route template and status class (never a raw path), the fan-out queue and its lag,
store faults by kind, the bounded pools; a token keeps everyone else out."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from backend.app import create_app
from backend.metrics import RequestMetrics
from barker.fanout import drain
from barker.settings import Settings
from tests.api.conftest import Http, User, expect_error
from tests.api.test_faults import cap_pages
from tests.conftest import make_settings

TOKEN = "a-long-random-metrics-token-0123456789"
Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    # No worker in this process: queued fan-out jobs stay queued, so the queue can be seen.
    return make_settings(tmp_path, metrics="on", metrics_token=TOKEN, inprocess_worker=False)


def scrape(client: TestClient, token: str = TOKEN) -> tuple[str, Samples]:
    r = client.get("/metrics", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/plain")
    samples = {(s.name, frozenset(s.labels.items())): s.value
               for family in text_string_to_metric_families(r.text) for s in family.samples}
    return r.text, samples


def value(samples: Samples, name: str, **labels: str) -> float | None:
    return samples.get((name, frozenset(labels.items())))


def requests(samples: Samples, method: str, route: str, status: str) -> float:
    return value(samples, "barker_http_request_duration_seconds_count", method=method, route=route,
                 status=status) or 0


def test_metrics_are_off_by_default_and_cost_no_middleware(tmp_path: Path) -> None:
    app = create_app(make_settings(tmp_path))
    assert Settings.model_fields["metrics"].default == "off"
    assert not any(m.cls is RequestMetrics for m in app.user_middleware)
    with TestClient(app) as client:
        expect_error(client.get("/metrics"), 404)
        expect_error(client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"}), 404)


def test_requests_are_counted_by_route_template_and_status_class(client: TestClient, http: Http,
                                                                 alice: User) -> None:
    _, before = scrape(client)
    http.get("/v1/users/alice", alice)
    http.get("/v1/users/alice", alice)
    http.get("/v1/users/nobody_here", alice, status=404)
    http.get("/v1/users/alice", status=401)  # no token
    assert client.get("/no/such/path/secret_looking_thing").status_code == 404
    assert client.request("BREW", "/v1/users/alice").status_code == 405  # a made-up method
    assert client.head("/v1/users/alice", headers=alice.headers).status_code == 200  # answered as a GET
    too_big = b"x" * (client.app.state.settings.max_body_bytes + 1)  # type: ignore[attr-defined]
    assert client.post("/v1/barks", content=too_big, headers=alice.headers).status_code == 413  # before routing
    text, after = scrape(client)

    def moved(method: str, route: str, status: str) -> float:
        return requests(after, method, route, status) - requests(before, method, route, status)

    assert moved("GET", "/v1/users/{handle}", "2xx") == 3
    assert moved("GET", "/v1/users/{handle}", "4xx") == 2
    assert moved("GET", "unmatched", "4xx") == 1
    assert moved("other", "/v1/users/{handle}", "4xx") == 1
    assert moved("POST", "unmatched", "4xx") == 1  # refused by the body cap: counted, though no route ran
    assert requests(after, "POST", "/v1/accounts", "2xx") >= 1  # alice's sign-up
    # Only templates: no handle, no unknown path, no made-up method becomes a series of its own.
    for raw in ("alice", "nobody_here", "secret_looking_thing", "BREW"):
        assert raw not in text
    # The histogram has its buckets: a request's time is observed, not only counted.
    assert value(after, "barker_http_request_duration_seconds_bucket", method="GET",
                 route="/v1/users/{handle}", status="2xx", le="+Inf") == requests(after, "GET", "/v1/users/{handle}",
                                                                                  "2xx")


def test_a_token_keeps_metrics_private(client: TestClient, alice: User) -> None:
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Bearer {TOKEN[:-1]}"},
                    {"Authorization": TOKEN}, {"Authorization": f"Basic {TOKEN}"}, alice.headers):
        r = client.get("/metrics", headers=headers)
        expect_error(r, 401, "unauthorized")
        assert r.headers["WWW-Authenticate"] == "Bearer"
        assert "barker_" not in r.text
    assert client.get("/metrics", headers={"Authorization": f"bearer {TOKEN}"}).status_code == 200
    assert "/metrics" not in client.get("/openapi.json").json()["paths"]


def test_fanout_queue_depth_and_lag(client: TestClient, http: Http, alice: User, bob: User) -> None:
    _, samples = scrape(client)
    queued = value(samples, "barker_fanout_jobs_queued")
    assert queued is not None
    http.put("/v1/me/following/alice", bob)
    started = time.time()
    http.bark(alice, "one")
    http.bark(alice, "two")
    _, samples = scrape(client)
    assert value(samples, "barker_fanout_jobs_queued") >= queued + 2  # no worker here: they wait
    age = value(samples, "barker_fanout_oldest_job_age_seconds")
    assert age is not None and 0 <= age <= time.time() - started + 60  # the follow's job may be older
    # The worker's work, on the writer thread as the worker does it: depth and lag back to zero.
    gw = client.app.state.gateway  # type: ignore[attr-defined]
    client.portal.call(gw.write_background, drain, gw.store, 1000)  # type: ignore[union-attr]
    _, samples = scrape(client)
    assert value(samples, "barker_fanout_jobs_queued") == 0
    assert value(samples, "barker_fanout_oldest_job_age_seconds") == 0


def test_pools_and_bus_are_reported(client: TestClient, settings: Settings) -> None:
    _, samples = scrape(client)
    assert value(samples, "barker_pool_capacity", pool="hashing") == settings.hash_threads + settings.hash_queue
    assert value(samples, "barker_pool_capacity", pool="images") == settings.media_workers + settings.media_queue
    assert value(samples, "barker_pool_jobs", pool="hashing") == 0  # nothing is hashing between requests
    assert value(samples, "barker_bus_connected") == 1  # the in-process bus
    assert value(samples, "barker_stream_sockets_open") == 0
    assert value(samples, "barker_info", version=client.app.version) == 1  # type: ignore[attr-defined]


@pytest.fixture
def faulty_client(tmp_path: Path) -> Iterator[TestClient]:
    # Its own client: 507s are this test's point, outside the suite's 5xx guard.
    settings = make_settings(tmp_path / "faulty", metrics="on", store_fault_settle_seconds=300)
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield client


def test_store_faults_are_counted_by_path_and_kind(faulty_client: TestClient) -> None:
    client = faulty_client
    r = client.post("/v1/accounts", json={"handle": "ann", "password": "correct horse"})
    auth = {"Authorization": f"Bearer {r.json()['token']}"}
    _, samples = scrape(client, "")
    assert value(samples, "barker_store_errors_total", path="request writes", kind="full") is None
    cap_pages(client, 0)
    for i in range(2000):
        if client.post("/v1/barks", json={"text": f"bark {i}"}, headers=auth).status_code == 507:
            break
    else:
        pytest.fail("the capped store never filled up")
    client.post("/v1/barks", json={"text": "once more"}, headers=auth)
    _, samples = scrape(client, "")
    assert value(samples, "barker_store_errors_total", path="request writes", kind="full") == 2
    assert value(samples, "barker_store_failing", path="request writes", kind="full") == 1
    assert requests(samples, "POST", "/v1/barks", "5xx") == 2
    assert value(samples, "barker_store_failing", path="reads", kind="full") is None  # reads still work
