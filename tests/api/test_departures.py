"""Leaving over HTTP: DELETE /v1/me (password, limits, what others see afterwards, files, the handle) and
GET /v1/me/export (the zip: every file, JSON that parses, media bytes as served, the limit)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import orjson
import pytest
from fastapi.testclient import TestClient

from barker.ids import now_ms
from tests import images
from tests.api.conftest import PASSWORD, Http, User, eventually, expect_error
from tests.api.test_media import fetch, sweep, upload, written
from tests.conftest import make_settings

HOME = "/v1/timelines/home"
EXPORT_FILES = {"README.txt", "profile.json", "barks.json", "follows.json", "followers.json", "bookmarks.json",
                "reactions.json", "notifications.json", "blocks.json", "mutes.json", "reports.json"}


@pytest.fixture
def settings(tmp_path: Path):
    return make_settings(tmp_path, exports_per_hour=2)


def leave(http: Http, user: User, password: str = PASSWORD, status: int = 204, code: str | None = None):
    return http.delete("/v1/me", user, json={"password": password}, status=status, code=code)


def test_deletion_needs_the_password_and_a_refusal_changes_nothing(http: Http, client: TestClient, alice: User,
                                                                     bob: User):
    bark = http.bark(alice, "still here")
    http.put("/v1/me/following/alice", bob)
    leave(http, alice, "wrong horse", status=403, code="wrong_password")
    expect_error(client.request("DELETE", "/v1/me", headers=alice.headers), 422)
    expect_error(client.request("DELETE", "/v1/me", json={"password": PASSWORD}), 401)
    assert http.get("/v1/me", alice)["barks_count"] == 1
    assert http.get(f"/v1/barks/{bark['id']}", bob)["text"] == "still here"
    assert http.profile("alice", bob)["followers_count"] == 1


def test_password_attempts_count_with_log_ins(tmp_path: Path):
    from backend.app import create_app

    app = create_app(make_settings(tmp_path, login_attempts_per_15_minutes=2))
    with TestClient(app) as client:
        http = Http(client)
        alice = http.sign_up("alice")
        leave(http, alice, "wrong horse", status=403)
        leave(http, alice, "wrong horse", status=403)
        assert "Retry-After" in leave_raw(client, alice, PASSWORD).headers  # 429, even with the right one
        assert http.get("/v1/me", alice)["handle"] == "alice"


def leave_raw(client: TestClient, user: User, password: str):
    resp = client.request("DELETE", "/v1/me", headers=user.headers, json={"password": password})
    expect_error(resp, 429)
    return resp


def test_after_deletion_nothing_of_the_account_is_left_to_see(http: Http, client: TestClient, alice: User,
                                                              bob: User, carol: User):
    photo = upload(http, alice, images.jpeg_with_gps())
    avatar = upload(http, alice, images.png_with_alpha(), purpose="avatar")
    http.put("/v1/me/avatar", alice, json={"media_id": avatar["id"]})
    hers = http.post("/v1/barks", alice, json={"text": "hello", "media_ids": [photo["id"]]})
    his = http.bark(bob, "mine")
    http.put("/v1/me/following/alice", bob)
    http.put("/v1/me/following/bob", alice)
    http.post(f"/v1/barks/{his['id']}/reactions", alice, json={"emoji": "🐶"}, status=200)
    http.put(f"/v1/barks/{his['id']}/rebark", alice, status=201)
    reply = http.post("/v1/barks", carol, json={"text": "nice", "reply_to": hers["id"]})
    eventually(lambda: http.ids(HOME, bob), lambda ids: hers["id"] in ids)
    leave(http, alice)
    # Answered after the first transaction: signed out and the handle taken at once; the worker's batches
    # remove the rest (its follows last among what others count here).
    http.get("/v1/me", alice, status=401)
    http.post("/v1/accounts", json={"handle": "ALICE", "password": PASSWORD}, status=409, code="handle_taken")
    eventually(lambda: client.get("/v1/users/alice", headers=bob.headers).status_code, lambda s: s == 404)
    http.get("/v1/users/alice", bob, status=404)
    profile = http.profile("bob", bob)
    assert (profile["followers_count"], profile["following_count"]) == (0, 0)
    bark = http.get(f"/v1/barks/{his['id']}", bob)
    assert (bark["reactions"], bark["rebark_count"]) == ({}, 0)
    assert hers["id"] not in http.ids(HOME, bob)
    http.get(f"/v1/barks/{hers['id']}", bob, status=404)
    assert http.get(f"/v1/barks/{reply['id']}", carol)["text"] == "nice"  # others' replies stay
    assert http.get("/v1/notifications", bob)["items"] == []
    http.post("/v1/accounts", json={"handle": "ALICE", "password": PASSWORD}, status=409, code="handle_taken")
    http.post("/v1/sessions", json={"handle": "alice", "password": PASSWORD}, status=401)
    # The uploads were released: the sweep takes the records and the files, and nothing of them is left.
    assert sweep(client, now_ms()) == 2
    assert written(client) == ([], 0)


def test_the_export_holds_everything_in_documented_json(http: Http, client: TestClient, alice: User, bob: User):
    photo = upload(http, alice, images.jpeg_with_gps())
    hers = http.post("/v1/barks", alice, json={"text": "look #dogs @bob", "media_ids": [photo["id"]]})
    http.put(f"/v1/media/{photo['id']}", alice, json={"description": "A dog on a beach"})
    his = http.bark(bob, "mine")
    http.put("/v1/me/following/bob", alice)
    http.put("/v1/me/following/alice", bob)
    http.post(f"/v1/barks/{his['id']}/reactions", alice, json={"emoji": "🐶"}, status=200)
    http.put(f"/v1/barks/{his['id']}/bookmark", alice)
    http.post("/v1/barks", bob, json={"text": "to you", "reply_to": hers["id"]})
    for handle in ("carol", "dave"):
        client.post("/v1/accounts", json={"handle": handle, "password": "correct horse"})
    http.put("/v1/me/blocks/carol", alice)
    http.put("/v1/me/mutes/dave", alice, json={"duration": 3600})
    http.post("/v1/reports", alice, json={"handle": "dave", "reason": "spam", "text": "ads"}, status=201)
    resp = client.get("/v1/me/export", headers=alice.headers)
    assert resp.status_code == 200, resp.text
    assert resp.headers["content-type"] == "application/zip"
    assert resp.headers["content-disposition"].startswith("attachment")
    archive = zipfile.ZipFile(io.BytesIO(resp.content))
    names = set(archive.namelist())
    original = photo["original_url"].rsplit("/", 1)[-1]
    assert names == EXPORT_FILES | {f"media/{original}"}
    data = {n: orjson.loads(archive.read(n)) for n in names if n.endswith(".json")}
    assert data["profile.json"]["handle"] == "alice"
    [bark] = data["barks.json"]
    assert (bark["id"], bark["text"], bark["tags"], bark["reply_to"]) == (hers["id"], "look #dogs @bob", ["dogs"], None)
    assert [(m["id"], m["description"]) for m in bark["media"]] == [(photo["id"], "A dog on a beach")]
    assert bark["entities"]
    assert [f["handle"] for f in data["follows.json"]] == ["bob"] == [f["handle"] for f in data["followers.json"]]
    assert [b["bark"] for b in data["bookmarks.json"]] == [his["id"]]
    assert [(r["bark"], r["emoji"]) for r in data["reactions.json"]] == [(his["id"], "🐶")]
    assert {n["type"] for n in data["notifications.json"]} == {"follow", "reply"}
    assert [(b["handle"], "blocked_at" in b) for b in data["blocks.json"]] == [("carol", True)]
    [mute] = data["mutes.json"]
    assert mute["handle"] == "dave" and mute["until"] > mute["muted_at"]
    assert [(r["handle"], r["reason"], r["state"]) for r in data["reports.json"]] == [("dave", "spam", "open")]
    assert archive.read(f"media/{original}") == fetch(client, photo["original_url"]).content
    assert "docs/export.md" in archive.read("README.txt").decode()


def test_exports_need_a_session_and_are_limited(http: Http, client: TestClient, alice: User):
    expect_error(client.get("/v1/me/export"), 401)
    for _ in range(2):
        assert client.get("/v1/me/export", headers=alice.headers).status_code == 200
    resp = client.get("/v1/me/export", headers=alice.headers)
    expect_error(resp, 429)
    assert int(resp.headers["Retry-After"]) > 0
