"""Media over HTTP: uploads (every accepted kind, every bad kind), serving, attaching to barks, avatars,
rendering everywhere a bark or user appears, and expiry. Images are real files made by tests/images.py."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from backend.app import create_app
from barker.ids import now_ms
from barker.services import media as media_service
from tests import images
from tests.api.conftest import Http, User, eventually, expect_error
from tests.conftest import make_settings

MAX_BYTES = 256 * 1024
TTL_MS = 24 * 3600 * 1000
IMMUTABLE = "public, max-age=31536000, immutable"


@pytest.fixture
def settings(tmp_path: Path):
    return make_settings(tmp_path, media_max_bytes=MAX_BYTES)


def upload(http: Http, user: User | None, data: bytes, *, purpose: str | None = None, status: int = 201,
           code: str | None = None, name: str = "photo.jpg", content_type: str = "image/jpeg",
           description: str | None = None) -> Any:
    url = "/v1/media" + (f"?purpose={purpose}" if purpose else "")
    form = {} if description is None else {"data": {"description": description}}
    return http.post(url, user, files={"file": (name, data, content_type)}, status=status, code=code, **form)


def fetch(client: TestClient, url: str, **headers: str) -> Any:
    resp = client.get(url, headers=headers)
    assert resp.status_code in (200, 304), resp.text
    return resp


def written(client: TestClient) -> tuple[list[Path], int]:
    """Every file under the media directory (temporary ones included) and every media row."""
    root = client.app.state.media_storage.root
    files = [p for p in root.rglob("*") if p.is_file()] if root.exists() else []
    store = client.app.state.gateway.store
    rows = store._one("SELECT (SELECT count(*) FROM media) + (SELECT count(*) FROM media_files)")[0]
    return files, rows


def sweep(client: TestClient, now: int) -> int:
    gw = client.app.state.gateway
    return client.portal.call(media_service.sweep, gw, client.app.state.media_storage, now)


def served(client: TestClient, url: str) -> Image.Image:
    return Image.open(io.BytesIO(fetch(client, url).content))


# -- uploading --------------------------------------------------------------------------------------------
def test_a_phone_photo_is_served_without_gps_and_turned_upright(http: Http, client: TestClient, alice: User):
    source = images.jpeg_with_gps(orientation=6)
    assert Image.open(io.BytesIO(source)).getexif().get_ifd(0x8825)[2] == (52.0, 31.0, 12.0)
    up = upload(http, alice, source)
    assert (up["purpose"], up["width"], up["height"], up["animated"]) == ("post", 48, 64, False)
    assert up["expires_at"].endswith("Z") and up["url"].startswith("/media/") and up["url"].endswith(".jpg")
    for url in (up["url"], up["thumbnail_url"], up["original_url"]):
        resp = fetch(client, url)
        assert resp.headers["content-type"] == "image/jpeg"
        assert resp.headers["cache-control"] == IMMUTABLE
        assert resp.headers["etag"] == f'"{url.removeprefix("/media/").removesuffix(".jpg")}"'
        assert resp.headers["x-content-type-options"] == "nosniff"
        for marker in (b"Exif", b"GPS", b"PhoneMaker", b"shot at home", b"ICC_PROFILE"):
            assert marker not in resp.content
        im = Image.open(io.BytesIO(resp.content))
        assert not im.getexif() and not im.getexif().get_ifd(0x8825) and "icc_profile" not in im.info
        assert im.size == (48, 64)  # stored 64x48 with "turn 90° clockwise": shown upright
        top, bottom = im.convert("RGB").getpixel((24, 4)), im.convert("RGB").getpixel((24, 60))
        assert top[0] > 150 > top[2] and bottom[2] > 150 > bottom[0]  # red above blue, as the phone showed it


@pytest.mark.parametrize(("data", "ext", "animated"), [
    (images.png_with_alpha(), "png", False),
    (images.webp(), "jpg", False),
    (images.webp(alpha=True), "webp", False),
    (images.animated_gif(), "gif", True),
    (images.encode(images.halves((30, 20)), "GIF"), "jpg", False),  # a still GIF
], ids=["png-alpha", "webp", "webp-alpha", "animated-gif", "still-gif"])
def test_every_accepted_kind(http: Http, client: TestClient, alice: User, data: bytes, ext: str, animated: bool):
    up = upload(http, alice, data, name="whatever.bin", content_type="application/octet-stream")
    assert up["url"].endswith(f".{ext}") and up["animated"] is animated
    content_type = {"png": "image/png", "jpg": "image/jpeg", "webp": "image/webp", "gif": "image/gif"}[ext]
    assert fetch(client, up["url"]).headers["content-type"] == content_type
    thumbnail = served(client, up["thumbnail_url"])
    assert thumbnail.format in ("JPEG", "PNG", "WEBP") and getattr(thumbnail, "n_frames", 1) == 1
    if animated:
        assert served(client, up["url"]).n_frames == 3
        assert thumbnail.convert("RGB").getpixel((2, 2))[0] > 150  # the first frame is red


def over_the_limit(size: int) -> bytes:
    return b"\xff\xd8\xff\xe0" + bytes(size - 4)


@pytest.mark.parametrize(("data", "status", "code"), [
    (images.text_named_jpg(), 415, "unsupported_media_type"),
    (images.bmp(), 415, "unsupported_media_type"),
    (images.tiff(), 415, "unsupported_media_type"),
    (images.png_header_then_garbage(), 422, "invalid_image"),
    (images.truncated_jpeg(), 422, "invalid_image"),
    (images.png_bomb(), 422, "too_many_pixels"),
    (images.png_bomb(8000, 6000), 422, "too_many_pixels"),
    (over_the_limit(MAX_BYTES + 1), 413, "media_too_large"),  # the file part is cut off at the limit
    (over_the_limit(MAX_BYTES + 200 * 1024), 413, "body_too_large"),  # refused from its Content-Length
], ids=["text-named-jpg", "bmp", "tiff", "png-header-garbage", "truncated-jpeg", "bomb-900mp", "bomb-48mp",
        "over-limit", "far-over-limit"])
def test_bad_uploads_are_refused_and_write_nothing(http: Http, client: TestClient, alice: User, data: bytes,
                                                   status: int, code: str):
    assert len(images.png_bomb()) < MAX_BYTES  # the bomb is small: only its declared pixels give it away
    upload(http, alice, data, status=status, code=code)
    assert written(client) == ([], 0)


def test_malformed_requests_write_nothing(http: Http, client: TestClient, alice: User):
    photo = images.jpeg_with_gps()
    http.post("/v1/media", alice, content=photo, headers={"content-type": "image/jpeg"}, status=415,
              code="unsupported_media_type")  # not multipart
    http.post("/v1/media", alice, files={"picture": ("a.jpg", photo, "image/jpeg")}, status=422, code="missing_file")
    http.post("/v1/media", alice, files=[("file", ("a.jpg", photo, "image/jpeg")), ("file", ("b.jpg", photo))],
              status=422, code="too_many_files")
    cut_short = b'--xyz\r\nContent-Disposition: form-data; name="file"\r\n\r\n' + photo[:100]
    for body in (b"--xyz\r\nnonsense", cut_short, b"--other\r\n\r\n"):
        http.post("/v1/media", alice, content=body, status=422, code="malformed_multipart",
                  headers={"content-type": "multipart/form-data; boundary=xyz"})
    upload(http, alice, photo, purpose="banner", status=422, code="invalid")
    upload(http, None, photo, status=401)
    upload(http, User("x", 0, "not-a-token"), photo, status=401)
    assert written(client) == ([], 0)


def test_uploads_are_rate_limited(tmp_path: Path):
    with TestClient(create_app(make_settings(tmp_path, media_uploads_per_hour=2))) as client:
        http = Http(client)
        alice = http.sign_up("alice")
        for _ in range(2):
            upload(http, alice, images.webp())
        upload(http, alice, images.webp(), status=429, code="rate_limited")


# -- serving ------------------------------------------------------------------------------------------------
def test_files_are_served_by_content_address(http: Http, client: TestClient, alice: User):
    up = upload(http, alice, images.png_with_alpha())
    first = fetch(client, up["url"])
    again = fetch(client, up["url"], **{"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == first.headers["etag"]
    assert fetch(client, up["url"], **{"If-None-Match": f'"other", W/{first.headers["etag"]}'}).status_code == 304
    assert fetch(client, up["url"], **{"If-None-Match": '"other"'}).status_code == 200
    head = client.head(up["url"])
    assert head.status_code == 200 and head.content == b""
    assert int(head.headers["content-length"]) == len(first.content)
    large = upload(http, alice, images.noisy_jpeg((300, 300)))  # over 64 KiB: read on a thread
    body = fetch(client, large["original_url"]).content
    assert len(body) > 64 * 1024 and Image.open(io.BytesIO(body)).size == (300, 300)
    key = up["url"].removeprefix("/media/")
    for name in ("0" * 64 + ".png", key.replace(".png", ".jpg"), key.upper(), key[:-4], "x.png", key + ".png",
                 "..%2F..%2Fbarker.db", "%2e%2e%2fetc%2fpasswd", ".." + key[2:], key * 20):
        expect_error(client.get(f"/media/{name}"), 404)
    assert client.get("/media/ab/cd/" + key).status_code == 404


# -- barks --------------------------------------------------------------------------------------------------
def media_ids(bark: dict[str, Any]) -> list[int]:
    return [m["id"] for m in bark["media"]]


def test_media_appear_wherever_the_bark_does(http: Http, client: TestClient, alice: User, bob: User):
    http.put("/v1/me/following/alice", bob)
    first, second = upload(http, alice, images.jpeg_with_gps()), upload(http, alice, images.animated_gif())
    ids = [second["id"], first["id"]]
    bark = http.post("/v1/barks", alice, json={"text": "two pictures", "media_ids": ids})
    assert media_ids(bark) == ids
    assert bark["media"][0] == {k: v for k, v in second.items() if k not in ("purpose", "expires_at")}
    assert media_ids(http.get(f"/v1/barks/{bark['id']}", bob)) == ids
    for url in ("/v1/timelines/public", "/v1/users/alice/barks"):
        assert media_ids(http.get(url, bob)["items"][0]) == ids
    home = eventually(lambda: http.get("/v1/timelines/home", bob)["items"], lambda items: items)
    assert media_ids(home[0]) == ids
    events = eventually(lambda: http.get("/v1/stream/events?after=0", bob)["events"],
                        lambda evs: any(e["type"] == "bark" for e in evs))
    assert [media_ids(e["bark"]) for e in events if e["type"] == "bark"] == [ids]
    rebark = http.put(f"/v1/barks/{bark['id']}/rebark", bob, status=201)
    assert rebark["media"] == [] and media_ids(rebark["rebark_of"]) == ids


def test_a_bark_may_be_media_only(http: Http, alice: User):
    up = upload(http, alice, images.webp())
    assert http.post("/v1/barks", alice, json={"media_ids": [up["id"]]})["text"] == ""
    up = upload(http, alice, images.webp())
    assert http.post("/v1/barks", alice, json={"text": "  \n", "media_ids": [up["id"]]})["text"] == ""
    http.post("/v1/barks", alice, json={"media_ids": []}, status=422, code="invalid")
    http.post("/v1/barks", alice, json={}, status=422, code="invalid")


@pytest.mark.parametrize(("case", "status", "code"), [
    ("someone else's", 404, "media_not_found"),
    ("unknown", 404, "media_not_found"),
    ("five", 422, "invalid"),
    ("twice", 422, "invalid"),
    ("an avatar upload", 422, "wrong_media_purpose"),
    ("already on a bark", 409, "media_in_use"),
    ("not an id", 422, "invalid"),
])
def test_attaching_follows_the_rules_and_a_refusal_changes_nothing(http: Http, alice: User, bob: User,
                                                                   case: str, status: int, code: str):
    mine = upload(http, alice, images.webp())["id"]
    if case == "already on a bark":
        used = upload(http, alice, images.webp())["id"]
        http.post("/v1/barks", alice, json={"text": "first", "media_ids": [used]})
    wanted = {
        "someone else's": lambda: [mine, upload(http, bob, images.webp())["id"]],
        "unknown": lambda: [mine, 424242],
        "five": lambda: [mine] + [upload(http, alice, images.webp())["id"] for _ in range(4)],
        "twice": lambda: [mine, mine],
        "an avatar upload": lambda: [mine, upload(http, alice, images.webp(), purpose="avatar")["id"]],
        "already on a bark": lambda: [mine, used],
        "not an id": lambda: [mine, "x"],
    }[case]()
    before = http.snapshot(alice, "alice", "bob")
    http.post("/v1/barks", alice, json={"text": "hi", "media_ids": wanted}, status=status, code=code)
    assert http.snapshot(alice, "alice", "bob") == before
    assert media_ids(http.post("/v1/barks", alice, json={"text": "now", "media_ids": [mine]})) == [mine]


# -- descriptions (alt text) --------------------------------------------------------------------------------
def descriptions(bark: dict[str, Any]) -> list[str | None]:
    return [m["description"] for m in bark["media"]]


def test_a_description_goes_with_the_upload_and_changes_after_posting(http: Http, alice: User, bob: User):
    http.put("/v1/me/following/alice", bob)
    described = upload(http, alice, images.webp(), description="  A red square,\r\nthen a blue one \n")
    assert described["description"] == "A red square,\nthen a blue one"
    plain = upload(http, alice, images.png_with_alpha())
    assert plain["description"] is None
    # before attaching: set; an empty one is none
    changed = http.put(f"/v1/media/{plain['id']}", alice, json={"description": "A see-through circle"})
    assert changed == {k: v for k, v in plain.items() if k not in ("purpose", "expires_at")} | {
        "description": "A see-through circle"}
    assert http.put(f"/v1/media/{described['id']}", alice, json={"description": ""})["description"] is None
    assert upload(http, alice, images.webp(), description=" ")["description"] is None
    bark = http.post("/v1/barks", alice, json={"media_ids": [described["id"], plain["id"]]})
    assert descriptions(bark) == [None, "A see-through circle"]
    # after attaching: every rendering of the bark shows the new one
    http.put(f"/v1/media/{described['id']}", alice, json={"description": "Red, then blue"})
    http.put(f"/v1/media/{plain['id']}", alice, json={"description": None})
    assert descriptions(http.get(f"/v1/barks/{bark['id']}", bob)) == ["Red, then blue", None]
    for url in ("/v1/timelines/public", "/v1/users/alice/barks", f"/v1/barks/{bark['id']}/thread"):
        page = http.get(url, bob)
        shown = page["items"][0] if "items" in page else page["bark"]
        assert descriptions(shown) == ["Red, then blue", None], url
    home = eventually(lambda: http.get("/v1/timelines/home", bob)["items"], lambda items: items)
    assert descriptions(home[0]) == ["Red, then blue", None]
    rebark = http.put(f"/v1/barks/{bark['id']}/rebark", bob, status=201)
    assert descriptions(rebark["rebark_of"]) == ["Red, then blue", None]


def test_a_description_is_at_most_1500_characters_of_plain_text(http: Http, client: TestClient, alice: User):
    longest = "é" * 1500
    assert upload(http, alice, images.webp(), description=f" {longest}\n")["description"] == longest
    up = upload(http, alice, images.webp())
    for bad in ("x" * 1501, "a\x00b", "bell\x07", "\x1b[31mred", "trailing\x1f"):
        http.put(f"/v1/media/{up['id']}", alice, json={"description": bad}, status=422, code="invalid")
    http.put(f"/v1/media/{up['id']}", alice, content=b'{"description": "\\ud800"}', status=422, code="invalid",
             headers={"content-type": "application/json"})  # a lone surrogate
    for body in ({}, {"description": 5}, {"description": ["x"]}, {"description": "ok", "extra": 1}):
        http.put(f"/v1/media/{up['id']}", alice, json=body, status=422, code="invalid")
    http.put("/v1/media/nope", alice, json={"description": "x"}, status=422, code="invalid")
    bark = http.post("/v1/barks", alice, json={"media_ids": [up["id"]]})
    assert descriptions(http.get(f"/v1/barks/{bark['id']}", alice)) == [None]  # nothing changed
    before = written(client)
    for bad in ("x" * 1501, "a\x00b", "x" * 20_000):
        upload(http, alice, images.webp(), description=bad, status=422, code="invalid")
    http.post("/v1/media", alice, files=[("file", ("a.webp", images.webp(), "image/webp")),
                                         ("description", (None, "one")), ("description", (None, "two"))],
              status=422, code="invalid")
    not_utf8 = {"file": ("a.webp", images.webp(), "image/webp"), "description": ("d.txt", b"\xff\xfe", "text/plain")}
    http.post("/v1/media", alice, files=not_utf8, status=422, code="invalid")
    assert written(client) == before  # refused uploads write no record and no file


def test_only_the_owner_describes_an_upload(http: Http, alice: User, bob: User):
    mine = upload(http, alice, images.webp(), description="Mine")
    bark = http.post("/v1/barks", alice, json={"media_ids": [mine["id"]]})
    unattached = upload(http, alice, images.webp())
    http.put(f"/v1/media/{mine['id']}", None, json={"description": "x"}, status=401)
    for media_id in (mine["id"], unattached["id"], 424242):  # someone else's answers as an unknown one does
        http.put(f"/v1/media/{media_id}", bob, json={"description": "Bob's now"}, status=404, code="media_not_found")
    http.delete(f"/v1/barks/{bark['id']}", alice)  # released with its bark: gone
    http.put(f"/v1/media/{mine['id']}", alice, json={"description": "x"}, status=404, code="media_not_found")
    other = http.post("/v1/barks", alice, json={"media_ids": [unattached["id"]]})
    assert descriptions(http.get(f"/v1/barks/{other['id']}", bob)) == [None]


def test_describing_counts_against_the_bark_budget(tmp_path: Path):
    with TestClient(create_app(make_settings(tmp_path, barks_per_hour=3))) as client:
        http = Http(client)
        alice = http.sign_up("alice")
        up = upload(http, alice, images.webp())
        http.bark(alice, "one")
        resp = client.put(f"/v1/media/{up['id']}", headers=alice.headers, json={"description": "two"})
        assert resp.status_code == 200 and resp.headers["x-ratelimit-remaining"] == "1"
        http.put(f"/v1/media/{up['id']}", alice, json={"description": "three"})
        http.put(f"/v1/media/{up['id']}", alice, json={"description": "four"}, status=429, code="rate_limited")
        http.post("/v1/barks", alice, json={"media_ids": [up["id"]]}, status=429, code="rate_limited")
        assert http.get("/v1/users/alice/barks", alice)["items"][0]["text"] == "one"


# -- avatars ------------------------------------------------------------------------------------------------
def test_avatars(http: Http, client: TestClient, alice: User, bob: User):
    up = upload(http, alice, images.encode(images.halves((600, 300)), "JPEG"), purpose="avatar")
    assert (up["purpose"], up["width"], up["height"]) == ("avatar", 300, 300)
    assert served(client, up["thumbnail_url"]).size == (128, 128)
    me = http.put("/v1/me/avatar", alice, json={"media_id": up["id"]})
    assert (me["avatar_url"], me["avatar_thumbnail_url"]) == (up["url"], up["thumbnail_url"])
    http.put("/v1/me/avatar", alice, json={"media_id": up["id"]})  # idempotent
    http.put("/v1/me/following/alice", bob)
    bark = http.bark(alice, "new picture")
    assert bark["author"]["avatar_url"] == up["url"]
    assert http.profile("alice", bob)["avatar_thumbnail_url"] == up["thumbnail_url"]
    assert http.get("/v1/users/bob/following", bob)["items"][0]["avatar_url"] == up["url"]
    assert http.get("/v1/users/search?q=alice", bob)["items"][0]["avatar_url"] == up["url"]
    # refusals
    post_media = upload(http, alice, images.webp())["id"]
    http.put("/v1/me/avatar", alice, json={"media_id": post_media}, status=422, code="wrong_media_purpose")
    theirs = upload(http, bob, images.webp(), purpose="avatar")["id"]
    http.put("/v1/me/avatar", alice, json={"media_id": theirs}, status=404, code="media_not_found")
    http.put("/v1/me/avatar", alice, json={"media_id": "nope"}, status=422, code="invalid")
    # replaced, then removed: the files of the old ones go with the next sweep
    second = upload(http, alice, images.png_with_alpha(), purpose="avatar")
    assert http.put("/v1/me/avatar", alice, json={"media_id": second["id"]})["avatar_url"] == second["url"]
    http.delete("/v1/me/avatar", alice)
    http.delete("/v1/me/avatar", alice)
    assert http.get("/v1/me", alice)["avatar_url"] is None and http.bark(alice, "x")["author"]["avatar_url"] is None
    sweep(client, now_ms())
    for url in (up["url"], second["url"]):
        expect_error(client.get(url), 404, "not_found")


# -- expiry -------------------------------------------------------------------------------------------------
def test_unattached_uploads_expire(http: Http, client: TestClient, alice: User):
    up = upload(http, alice, images.jpeg_with_gps())
    kept = upload(http, alice, images.webp())
    http.post("/v1/barks", alice, json={"media_ids": [kept["id"]]})
    assert sweep(client, now_ms() + TTL_MS - 60_000) == 0  # not yet
    assert fetch(client, up["url"]).status_code == 200
    assert sweep(client, now_ms() + TTL_MS + 1) == 1
    for url in (up["url"], up["thumbnail_url"], up["original_url"]):
        expect_error(client.get(url), 404, "not_found")
    http.post("/v1/barks", alice, json={"media_ids": [up["id"]]}, status=404, code="media_not_found")
    assert fetch(client, kept["url"]).status_code == 200  # attached: never expires
    files, _ = written(client)
    assert sorted(p.name for p in files) == sorted({kept["url"][7:], kept["thumbnail_url"][7:]})


def test_a_deleted_bark_takes_its_files_unless_someone_else_has_the_same(http: Http, client: TestClient,
                                                                       alice: User, bob: User):
    photo = images.jpeg_with_gps()
    mine, theirs = upload(http, alice, photo), upload(http, bob, photo)
    assert mine["id"] != theirs["id"] and mine["url"] == theirs["url"]  # content-addressed: one file
    mine_bark = http.post("/v1/barks", alice, json={"media_ids": [mine["id"]]})
    their_bark = http.post("/v1/barks", bob, json={"media_ids": [theirs["id"]]})
    http.delete(f"/v1/barks/{mine_bark['id']}", alice)
    assert sweep(client, now_ms()) == 1
    assert fetch(client, mine["url"]).status_code == 200  # bob's bark still shows it
    http.delete(f"/v1/barks/{their_bark['id']}", bob)
    assert sweep(client, now_ms()) == 1
    expect_error(client.get(mine["url"]), 404)
    assert written(client) == ([], 0)
