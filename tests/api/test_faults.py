"""What an HTTP client sees when the store is full (SQLite's own SQLITE_FULL, via max_page_count: no tmpfs
needed; tests/live/test_disk_full.py does it on a real full filesystem): 507 with Retry-After and a JSON
error on every write, reads still answered, /readyz 503 saying why, and all well again once there is
room. These answers are 5xx on purpose, so this test uses its own client, outside the suite's 5xx guard."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from backend.app import create_app
from tests.api.conftest import expect_error
from tests.conftest import make_settings

MOST_BARKS = 2000


def cap_pages(client: TestClient, extra: int) -> None:
    """Let the database grow by at most `extra` pages (through the writer connection, as the writer does)."""
    writer = client.app.state.gateway.store._writer  # type: ignore[attr-defined]
    pages = writer.execute("PRAGMA page_count").fetchone()[0]
    writer.execute(f"PRAGMA max_page_count = {pages + extra}")


def test_a_full_store_answers_507_and_readyz_says_why(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    # Settling: long while full (SQLite's cap leaves room for /readyz's small probe write, as a nearly full
    # disk may), none once there is room, so the test waits for nothing.
    settings = make_settings(tmp_path, store_fault_settle_seconds=300)
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        r = client.post("/v1/accounts", json={"handle": "ann", "password": "correct horse"})
        auth = {"Authorization": f"Bearer {r.json()['token']}"}
        assert client.get("/readyz").json() == {"status": "ready"}
        cap_pages(client, 0)
        posted: list[str] = []
        for i in range(MOST_BARKS):  # until the pages that had room are used up
            r = client.post("/v1/barks", json={"text": f"bark {i}"}, headers=auth)
            if r.status_code != 201:
                break
            posted.append(f"bark {i}")
        error = expect_error(r, 507, "storage_full")
        assert "storage is full" in error["message"] and int(r.headers["Retry-After"]) >= 1
        for _ in range(20):  # every further write the same way
            expect_error(client.post("/v1/barks", json={"text": "more"}, headers=auth), 507, "storage_full")
        mine = client.get("/v1/users/ann/barks?limit=100", headers=auth)
        assert mine.status_code == 200  # reads are answered
        assert {b["text"] for b in mine.json()["items"]} == set(posted[-100:])

        ready = client.get("/readyz")
        error = expect_error(ready, 503, "storage_full")
        assert "request writes" in error["message"] and int(ready.headers["Retry-After"]) >= 1

        cap_pages(client, 10_000)
        client.app.state.gateway.health.settle_seconds = 0  # type: ignore[attr-defined]
        assert client.get("/readyz").json() == {"status": "ready"}  # its probe write fits again
        assert client.post("/v1/barks", json={"text": "room again"}, headers=auth).status_code == 201
    full = [r.getMessage() for r in caplog.records if r.name == "barker.health"]
    assert full == ["storage full (request writes): storage is full (sqlite: database or disk is full)",
                    "storage writable again (request writes)"]
