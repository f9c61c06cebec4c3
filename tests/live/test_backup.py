"""`barker backup` of a real running `barker serve` while a client keeps posting barks and uploading images;
`barker restore` into a fresh data dir; a second real server on the restored store answers the same."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import httpx2 as httpx

from tests import images
from tests.live.client import User
from tests.servers import REPO, wait_until


def barker(*args: str) -> subprocess.CompletedProcess[str]:
    """The real command, in its own process (as an operator runs it)."""
    return subprocess.run([sys.executable, "-m", "backend.cli", *args], cwd=REPO, capture_output=True, text=True,
                          timeout=120)


def upload(user: User, data: bytes, purpose: str = "post") -> dict[str, Any]:
    r = user.http.post(f"{user.base}/v1/media?purpose={purpose}", headers=user.auth,
                       files={"file": ("p.png", data, "image/png")})
    assert r.status_code == 201, r.text
    return r.json()


class Writer(threading.Thread):
    """Keeps posting barks, every third with a fresh image, and records each bark answered 201 (and when)."""

    def __init__(self, user: User) -> None:
        super().__init__(daemon=True)
        self.user = user
        self.stop = threading.Event()
        self.answered: list[int] = []  # bark ids, in the order their 201 arrived
        self.lock = threading.Lock()
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            n = 0
            while not self.stop.is_set():
                body: dict[str, Any] = {"text": f"bark {n}"}
                if n % 3 == 0:  # a new picture each time: new files keep arriving during the backup
                    body["media_ids"] = [upload(self.user, images.encode(
                        images.halves((32 + n % 64, 24), left=(n % 256, 20, 20)), "PNG"))["id"]]
                bark = self.user.call("POST", "/v1/barks", json=body)
                with self.lock:
                    self.answered.append(bark["id"])
                n += 1
        except BaseException as e:  # reported by the test
            self.error = e

    def answered_so_far(self) -> list[int]:
        with self.lock:
            return list(self.answered)


def all_barks(base: str, user: User) -> dict[int, dict[str, Any]]:
    barks, before = {}, None
    while True:
        query = "?limit=100" + (f"&before={before}" if before else "")
        page = user.call("GET", f"/v1/timelines/public{query}", base=base)
        barks.update({b["id"]: b for b in page["items"]})
        before = page["next_before"]
        if before is None:
            return barks


def profile(user: dict[str, Any]) -> dict[str, Any]:
    """A user as listed, without the bark count (the source server keeps taking barks after the backup)."""
    return {k: v for k, v in user.items() if k != "barks_count"}


def media_urls(bark: dict[str, Any]) -> list[str]:
    return [m[k] for m in bark["media"] for k in ("url", "thumbnail_url", "original_url")]


def test_backup_of_a_running_server_restores_into_a_server_that_answers_the_same(tmp_path: Path, start_server):
    # The writer posts as fast as the server answers, for as long as the backup takes: no hourly limit may stop it.
    unlimited = {"BARKER_MEDIA_UPLOADS_PER_HOUR": "1000000", "BARKER_BARKS_PER_HOUR": "1000000",
                 "BARKER_BARKS_PER_DAY": "10000000"}
    live = start_server(tmp_path / "live", **unlimited)
    alice, bob, carol = (User(live.base, h) for h in ("alice", "bob", "carol"))
    bob.follow(alice)
    carol.follow(alice)
    alice.follow(carol)
    avatar = upload(bob, images.encode(images.halves((80, 80)), "PNG"), "avatar")
    bob.call("PUT", "/v1/me/avatar", json={"media_id": avatar["id"]})
    writer = Writer(alice)
    writer.start()
    wait_until(lambda: len(writer.answered_so_far()) >= 15, 30, what="barks before the backup")

    before_backup = writer.answered_so_far()  # every one of these was answered 201 before the backup started
    made = barker("backup", str(tmp_path / "bk"), "--data-dir", str(live.data_dir))
    during = len(writer.answered_so_far()) - len(before_backup)
    wait_until(lambda: len(writer.answered_so_far()) >= len(before_backup) + during + 3, 30,
               what="barks after the backup")  # the server kept taking writes
    writer.stop.set()
    writer.join(30)
    assert writer.error is None, writer.error
    assert made.returncode == 0, made.stderr
    lines = made.stdout.splitlines()
    assert [line.split(":")[0] for line in lines] == ["backup"] * len(lines) and len(lines) >= 3, made.stdout

    # While the server runs on it, its store cannot be restored over (nor is it touched).
    refused = barker("restore", str(tmp_path / "bk"), "--data-dir", str(live.data_dir), "--force")
    assert refused.returncode == 1 and "open in another process" in refused.stderr, refused
    assert len(refused.stderr.strip().splitlines()) == 1

    restored_dir = tmp_path / "restored"
    done = barker("restore", str(tmp_path / "bk"), "--data-dir", str(restored_dir))
    assert done.returncode == 0, done.stderr
    copy = start_server(restored_dir, **unlimited)

    source, restored = all_barks(live.base, alice), all_barks(copy.base, alice)
    assert set(before_backup) <= set(restored), "a bark answered 201 before the backup started is missing"
    assert set(restored) <= set(source)
    for bark_id, bark in restored.items():
        assert bark == source[bark_id]  # same text, author, media (and their URLs), counts
    for user in (alice, bob, carol):  # the same accounts (the tokens were restored too)
        assert user.call("GET", "/v1/me", base=copy.base)["handle"] == user.handle
        for listing in ("followers", "following"):
            path = f"/v1/users/{user.handle}/{listing}"
            assert ([profile(u) for u in user.call("GET", path, base=copy.base)["items"]]
                    == [profile(u) for u in user.call("GET", path, base=live.base)["items"]])
    assert alice.call("GET", "/v1/users/bob", base=copy.base) == alice.call("GET", "/v1/users/bob", base=live.base)
    assert alice.call("GET", "/v1/users/alice", base=copy.base)["barks_count"] == len(restored)

    urls = {u for b in restored.values() for u in media_urls(b)}
    urls |= {avatar["url"], avatar["thumbnail_url"]}
    assert len(urls) > 10
    for url in urls:  # every file the restored store refers to is served, with the same bytes
        got = httpx.get(copy.base + url, timeout=10)
        assert got.status_code == 200, url
        assert got.content == httpx.get(live.base + url, timeout=10).content
