"""The bounded pools over HTTP: a full password-hashing queue is a 503 that changes nothing, image work
never shares that pool, images are decoded in worker processes (never in the server's), and a worker
killed mid-upload is a 503 after which uploads work again."""

from __future__ import annotations

import contextlib
import functools
import os
import signal
import threading
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from PIL import ImageFile

import barker.media
from tests import images, workers
from tests.api.conftest import Http, User, expect_error
from tests.api.test_media import upload, written
from tests.conftest import make_settings
from tests.servers import wait_until


@pytest.fixture
def settings(tmp_path: Path):
    return make_settings(tmp_path, hash_threads=1, hash_queue=1, media_workers=1, media_worker_tasks=2,
                         media_queue=0)


@pytest.fixture(autouse=True)
def no_server_errors(client: TestClient) -> Iterator[None]:
    """Here a 503 is expected (and must carry Retry-After); any other 5xx fails the test."""

    def check(resp) -> None:
        if resp.status_code >= 500:
            assert resp.status_code == 503 and int(resp.headers["retry-after"]) >= 1, resp.text

    client.event_hooks["response"].append(check)
    yield


@pytest.fixture
def hashing_blocked(client: TestClient) -> Iterator[threading.Event]:
    """Fill the hashing pool (its one thread and its one queue place) with jobs that wait for a gate."""
    gw = client.app.state.gateway
    gate = threading.Event()
    for _ in range(2):
        client.portal.start_task_soon(gw.hashing, gate.wait)
    wait_until(lambda: gw._hashing.admission.admitted == 2, what="the hashing pool to fill")
    yield gate
    gate.set()


def test_a_full_hashing_queue_is_503_with_retry_after_and_changes_nothing(http: Http, client: TestClient,
                                                                         alice: User,
                                                                         hashing_blocked: threading.Event):
    before = http.get("/v1/me", alice)
    store = client.app.state.gateway.store

    def accounts_and_sessions() -> tuple[int, int, str | None]:
        users, tokens = store._one("SELECT (SELECT count(*) FROM users), (SELECT count(*) FROM tokens)")
        return users, tokens, store.password_hash(alice.id)

    stored = accounts_and_sessions()
    for method, url, body, user in [
        ("POST", "/v1/accounts", {"handle": "newcomer", "password": "long enough pw"}, None),
        ("POST", "/v1/sessions", {"handle": "alice", "password": alice.password}, None),
        ("PUT", "/v1/me/password", {"old_password": alice.password, "new_password": "a new password"}, alice),
    ]:
        resp = client.request(method, url, json=body, headers=user.headers if user else {})
        expect_error(resp, 503, "busy")
        assert resp.headers["retry-after"] == "1"
    assert accounts_and_sessions() == stored  # no account, no session, the same password hash
    hashing_blocked.set()
    wait_until(lambda: client.app.state.gateway._hashing.admission.admitted == 0, what="the pool to drain")
    # And as the API sees it: no account, the old password still works, alice's session still stands.
    http.get("/v1/users/newcomer", alice, status=404)
    assert http.get("/v1/me", alice) == before
    http.log_in("alice", alice.password)
    http.post("/v1/sessions", json={"handle": "alice", "password": "a new password"}, status=401)
    http.sign_up("newcomer")


def test_log_ins_with_made_up_handles_never_take_a_hashing_place(http: Http, client: TestClient, alice: User,
                                                                 hashing_blocked: threading.Event):
    """A burst of log-ins with random handles answers 401 while the pool is full: an unknown handle costs
    no Argon2 check (handles are public anyway), so such a burst cannot lock real users out."""
    gw = client.app.state.gateway
    assert gw.typical_hash_seconds is not None  # alice's sign-up timed one
    with ThreadPoolExecutor(8) as burst:
        answers = list(burst.map(lambda i: client.post("/v1/sessions", json={
            "handle": f"made_up_{i}", "password": "whatever pw"}), range(64)))
    assert {(r.status_code, r.json()["error"]["code"]) for r in answers} == {(401, "wrong_credentials")}
    assert gw._hashing.admission.admitted == 2  # only the two blocked jobs: the burst took no place
    hashing_blocked.set()
    http.log_in("alice", alice.password)


def test_an_upload_completes_while_the_hashing_pool_is_saturated(http: Http, client: TestClient, alice: User,
                                                                 hashing_blocked: threading.Event):
    expect_error(client.post("/v1/sessions", json={"handle": "alice", "password": alice.password}), 503, "busy")
    up = upload(http, alice, images.jpeg_with_gps())
    assert up["width"] == 48
    assert client.get(up["thumbnail_url"]).status_code == 200


def test_images_are_decoded_in_worker_processes_that_are_recycled(http: Http, client: TestClient, alice: User,
                                                                  monkeypatch: pytest.MonkeyPatch):
    pictures = [images.encode(images.halves((40 + i, 30)), "PNG") for i in range(5)]

    # The server process cannot decode an image file at all: had it tried, the upload would fail.
    def refuse(self: ImageFile.ImageFile) -> None:
        raise AssertionError("the server process decoded an image")

    monkeypatch.setattr(ImageFile.ImageFile, "load", refuse)
    workers_seen = []
    for i, picture in enumerate(pictures):
        up = upload(http, alice, picture)
        assert up["width"] == 40 + i
        workers_seen.append(client.app.state.gateway.images.last_pid)
    a, a2, b, b2, c = workers_seen
    assert os.getpid() not in workers_seen
    assert a == a2 != b == b2 != c != a  # BARKER_MEDIA_WORKER_TASKS=2: each worker serves two, then goes


@contextlib.contextmanager
def stalled_upload(client: TestClient, alice: User, tmp_path: Path,
                   monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Future[Any], Path, Path]]:
    """An upload whose job, in a worker, stands still until `gate` exists (the service looks
    barker.media.process up on each upload and sends it to the worker by reference): yields the pending
    request, the file the worker writes its pid to once it has started, and the gate. The gate is opened on
    the way out, whatever happened, before waiting for the upload."""
    pid_file, gate = tmp_path / "worker.pid", tmp_path / "gate"
    monkeypatch.setattr(barker.media, "process", functools.partial(workers.stall, str(pid_file), str(gate)))
    with ThreadPoolExecutor(1) as side:
        try:
            yield (side.submit(client.post, "/v1/media", headers=alice.headers,
                               files={"file": ("a.jpg", images.jpeg_with_gps(), "image/jpeg")}), pid_file, gate)
        finally:  # before the executor waits for the stalled upload, even when the test failed
            gate.touch()


def test_a_worker_killed_mid_upload_is_503_and_the_next_upload_works(http: Http, client: TestClient, alice: User,
                                                                      tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch):
    with stalled_upload(client, alice, tmp_path, monkeypatch) as (pending, pid_file, _):
        pid = int(wait_until(lambda: pid_file.exists() and pid_file.read_text(), 30, 0.01, "the job to start"))
        assert pid != os.getpid()
        os.kill(pid, signal.SIGKILL)  # what the OOM killer does to the largest process
        resp = pending.result(60)
    expect_error(resp, 503, "worker_lost")
    assert int(resp.headers["retry-after"]) >= 1
    monkeypatch.undo()
    up = upload(http, alice, images.webp())
    assert client.get(up["url"]).status_code == 200
    assert client.app.state.gateway.images.restarts == 1


def test_a_full_image_pool_is_503_with_retry_after_and_writes_nothing(http: Http, client: TestClient, alice: User,
                                                                      tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch):
    """One worker, no queue: while an upload is being processed, the next one is refused at once."""
    with stalled_upload(client, alice, tmp_path, monkeypatch) as (first, pid_file, gate):
        wait_until(pid_file.exists, 30, 0.01, "the first upload to reach its worker")
        resp = client.post("/v1/media", headers=alice.headers, files={"file": ("b.webp", images.webp(), "image/webp")})
        expect_error(resp, 503, "busy")
        assert resp.headers["retry-after"] == "2"
        assert written(client) == ([], 0)  # the refused upload left no record and no file
        gate.touch()
        done = first.result(60)
        assert done.status_code == 201, done.text
    up = done.json()
    files, _ = written(client)  # the first upload's files only
    assert sorted(p.name for p in files) == sorted({up[k].removeprefix("/media/") for k in (
        "url", "thumbnail_url", "original_url")})
