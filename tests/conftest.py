"""Shared fixtures: real components only (the real SQLite store, the real app)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from backend.app import create_app
from barker.ids import IdGenerator
from barker.ports.store import Store
from barker.ports.types import NewUser
from barker.settings import Settings
from barker.store.sqlite import SqliteStore
from tests.store_testing import StoreUnderTest

# Store adapters the contract suite runs against. ArangoDB runs when BARKER_ARANGO_URL is set (an
# arangodb://user:pass@host:8529 URL whose user may create databases: each test gets a fresh one);
# otherwise its tests are skipped, with the reason in the header and in the -ra summary.
ADAPTERS = ["sqlite", "arango"]
ARANGO_URL = os.environ.get("BARKER_ARANGO_URL", "")
ARANGO_SKIP = "ArangoDB contract tests skipped: BARKER_ARANGO_URL is not set (no ArangoDB server configured)"


def pytest_report_header() -> str:
    if not ARANGO_URL:
        return ARANGO_SKIP
    from barker.store.arango_support import parse_store_url

    return f"ArangoDB contract tests against {parse_store_url(ARANGO_URL).describe()} (a fresh database per test)"


def arango_store() -> Iterator[StoreUnderTest]:
    """An ArangoDB store on a fresh database, dropped afterwards (with the test-only reads: see
    tests/store_testing.py)."""
    from dataclasses import replace

    from barker.store.arango import ArangoStore
    from barker.store.arango_support import parse_store_url

    config = parse_store_url(ARANGO_URL)
    config = replace(config, database=f"barker_test_{uuid.uuid4().hex[:12]}")
    # Bootstraps the database, collections, graph and indexes. Searches wait for the View's commit: the
    # contract tests search right after posting, and ArangoSearch is eventually consistent.
    s = ArangoStore(config, search_wait_for_sync=True)
    try:
        yield s
    finally:
        s.close()
        from arango import ArangoClient

        client = ArangoClient(hosts=list(config.hosts))
        client.db("_system", username=config.username, password=config.password).delete_database(
            config.database, ignore_missing=True)
        client.close()


# Every test client calls from one address: per-address limits are off unless a test is about them
# (tests/api/test_limits.py turns them on).
PER_ADDRESS_LIMITS_OFF = {"signups_per_ip_per_hour": 0, "logins_per_ip_per_15_minutes": 0}


def make_settings(tmp_path: Path, **overrides: object) -> Settings:
    """Settings for tests: a private data dir, cheap Argon2 (the parameters are still Argon2id) and no
    per-address limits."""
    values: dict[str, object] = {"data_dir": tmp_path / "data", "argon2_time_cost": 1,
                                 "argon2_memory_kib": 1024, "argon2_parallelism": 1, **PER_ADDRESS_LIMITS_OFF}
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """The SQLite store (tests about SQLite itself); tests/contract/ overrides it with every adapter."""
    s: Store = SqliteStore(tmp_path / "contract.db")
    yield s
    s.close()


@pytest.fixture
def ids() -> IdGenerator:
    return IdGenerator(int(os.environ.get("PYTEST_XDIST_WORKER", "gw0")[2:] or 0) % 32)


@pytest.fixture
def make_user(store: Store, ids: IdGenerator):
    def make(handle: str) -> int:
        user_id = ids.next()
        store.create_user(NewUser(user_id, handle, handle.lower(), handle.title(), "", "x"))
        return user_id

    return make


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path)


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as c:
        yield c


class Api:
    """A thin helper over TestClient for writing flows: sign up users, act as them."""

    def __init__(self, client: TestClient) -> None:
        self.client = client

    def sign_up(self, handle: str, password: str = "correct horse") -> dict[str, str]:
        r = self.client.post("/v1/accounts", json={"handle": handle, "password": password})
        assert r.status_code == 201, r.text
        return {"Authorization": f"Bearer {r.json()['token']}"}


@pytest.fixture
def api(client: TestClient) -> Api:
    return Api(client)
