"""A real `barker serve` whose data directory is on a small tmpfs that the test fills up: every write on the
full disk answers 507 with Retry-After and a JSON body (never a 500), over the same keep-alive connection;
the log gets a line per change of condition, not a traceback per request; /readyz says why it is not
ready; once a filler file is deleted writes succeed at once; and exactly the writes answered 2xx are
there afterwards, also after a restart."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx2 as httpx

from tests.servers import Server, wait_until
from tests.tmpfs import fill, mounted_tmpfs

ENOUGH_507 = 100  # full-disk answers to collect (on a nearly full disk some writes still fit in between)
MOST_REQUESTS = 5000
MOST_LOG_LINES = 12  # "full" and "writable again" for each path to the store, with room to spare


class KeepAliveClient:
    """One HTTP connection at most, and the local port of every response's connection."""

    def __init__(self, base: str) -> None:
        self.http = httpx.Client(base_url=base, timeout=10,
                                 limits=httpx.Limits(max_connections=1, max_keepalive_connections=1))
        self.local_ports: set[int] = set()
        self.auth: dict[str, str] = {}

    def request(self, method: str, path: str, **kw: Any) -> httpx.Response:
        r = self.http.request(method, path, headers=self.auth, **kw)
        self.local_ports.add(r.extensions["network_stream"].get_extra_info("client_addr")[1])
        assert r.status_code < 500 or r.status_code in (503, 507), f"{method} {path} -> {r.status_code}: {r.text}"
        return r

    def sign_up(self, handle: str, path: str = "/v1/accounts") -> None:
        r = self.request("POST", path, json={"handle": handle, "password": "correct horse"})
        assert r.status_code == 201, r.text
        self.auth = {"Authorization": f"Bearer {r.json()['token']}"}

    def log_in(self, handle: str) -> KeepAliveClient:
        self.sign_up(handle, "/v1/sessions")
        return self

    def bark_texts(self, handle: str) -> set[str]:
        texts: set[str] = set()
        before = None
        while True:
            query = "limit=100" + (f"&before={before}" if before else "")
            page = self.request("GET", f"/v1/users/{handle}/barks?{query}").json()
            texts.update(item["text"] for item in page["items"])
            if (before := page["next_before"]) is None:
                return texts


def expect_storage_full(r: httpx.Response) -> None:
    assert r.status_code == 507, r.text
    assert int(r.headers["Retry-After"]) >= 1
    assert r.headers["content-type"].startswith("application/json")
    assert r.json()["error"]["code"] == "storage_full" and r.json()["error"]["message"]


def log_lines(server: Server) -> list[str]:
    return server.output().splitlines()


def test_a_full_disk_answers_507_keeps_the_connection_and_loses_nothing(tmp_path: Path) -> None:
    with mounted_tmpfs(tmp_path / "mnt", "8m") as mnt:
        data = mnt / "data"
        env = {"BARKER_STORE_FAULT_SETTLE_SECONDS": "1"}
        server = Server(data, tmp_path / "server.log", **env).start()
        try:
            reader = KeepAliveClient(server.base)
            reader.sign_up("bob")
            client = KeepAliveClient(server.base)
            client.sign_up("ann")
            assert reader.request("PUT", "/v1/me/following/ann").status_code in (200, 204)  # fan-out runs too
            written: set[str] = set()
            for i in range(5):
                assert client.request("POST", "/v1/barks", json={"text": f"before {i}"}).status_code == 201
                written.add(f"before {i}")
            quiet_until = len(log_lines(server))

            filler = fill(mnt)
            refused: set[str] = set()
            for i in range(MOST_REQUESTS):
                text = f"while full {i}"
                r = client.request("POST", "/v1/barks", json={"text": text})
                if r.status_code == 201:
                    written.add(text)
                else:
                    expect_storage_full(r)
                    refused.add(text)
                    if len(refused) >= ENOUGH_507:
                        break
            assert len(refused) >= ENOUGH_507, f"the disk never filled: {len(written)} writes succeeded"
            print(f"on the full disk: {len(written) - 5} writes fitted, {len(refused)} answered 507")
            assert client.request("GET", "/v1/timelines/home").status_code == 200  # reads still work
            ready = client.request("GET", "/readyz")
            assert ready.status_code == 503 and ready.json()["error"]["code"] == "storage_full", ready.text
            assert int(ready.headers["Retry-After"]) >= 1

            during = log_lines(server)[quiet_until:]
            assert sum("storage full (request writes)" in line for line in during) == 1, during
            assert len(during) <= MOST_LOG_LINES and not any("Traceback" in line for line in during), during

            filler.unlink()
            r = client.request("POST", "/v1/barks", json={"text": "after"})  # at once: nothing to wait for
            assert r.status_code == 201, r.text
            written.add("after")
            wait_until(lambda: client.request("GET", "/readyz").status_code == 200, 20, 0.1, "ready again")
            assert sum("storage writable again (request writes)" in line for line in log_lines(server)) == 1
            assert len(log_lines(server)[quiet_until:]) <= MOST_LOG_LINES, log_lines(server)[quiet_until:]

            assert client.local_ports and len(client.local_ports) == 1, client.local_ports  # one connection
            assert client.bark_texts("ann") == written  # every 2xx is there; no 507 is
            wait_until(lambda: len(reader.request("GET", "/v1/timelines/home?limit=100").json()["items"])
                       >= min(100, len(written)), 20, 0.1, "the fan-out to catch up")
        finally:
            server.stop()

        again = Server(data, tmp_path / "server2.log", **env).start()
        try:
            # durable, not just in a cache: a new process reads them from the disk
            assert KeepAliveClient(again.base).log_in("bob").bark_texts("ann") == written
        finally:
            again.stop()


def test_a_full_media_directory_answers_507_and_the_rest_keeps_working(tmp_path: Path) -> None:
    """The media directory on its own full filesystem (the database has room): an upload answers 507
    `storage_full`, barks are still posted, and uploads work again once there is room."""
    from tests.images import encode, halves

    image = encode(halves((64, 48)), "PNG")
    with mounted_tmpfs(tmp_path / "mnt", "1m") as mnt:
        server = Server(tmp_path / "data", tmp_path / "server.log", BARKER_MEDIA_DIR=str(mnt / "media"),
                        BARKER_STORE_FAULT_SETTLE_SECONDS="0").start()
        try:
            client = KeepAliveClient(server.base)
            client.sign_up("ann")
            quiet_until = len(log_lines(server))
            filler = fill(mnt)
            for _ in range(3):
                expect_storage_full(client.request("POST", "/v1/media", files={"file": ("a.png", image, "image/png")}))
            assert client.request("POST", "/v1/barks", json={"text": "text still fits"}).status_code == 201
            assert client.request("GET", "/readyz").status_code == 200  # requests do not depend on it
            filler.unlink()
            upload = client.request("POST", "/v1/media", files={"file": ("a.png", image, "image/png")})
            assert upload.status_code == 201, upload.text
            assert client.request("GET", upload.json()["thumbnail_url"]).status_code == 200
            assert len(client.local_ports) == 1
            during = log_lines(server)[quiet_until:]
            assert [line.split("barker.health: ")[1] for line in during] == [
                "storage full (media files): storage is full (media files: No space left on device)",
                "storage writable again (media files)"], during
        finally:
            server.stop()
