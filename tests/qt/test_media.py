"""Images in the desktop client, against a real backend: attaching in the compose box (uploaded at once,
posted in order), thumbnails in timelines (mine and, live, a follower's) with a full-size viewer, refused
files shown inline, and avatars."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw
from PySide6.QtCore import QMetaObject, QObject, QUrl
from PySide6.QtQuick import QQuickItem

from client_qt.app import ClientApp
from tests.live.client import User
from tests.qt.ui import WAIT_MS, click, item, items, log_in, prop, type_text

READY = 1  # QQuickImage.Status.Ready


def picture(path: Path, size: tuple[int, int] = (640, 480), colour: tuple[int, int, int] = (30, 120, 200)) -> Path:
    im = Image.new("RGB", size, colour)
    ImageDraw.Draw(im).ellipse((size[0] // 4, size[1] // 4, size[0] * 3 // 4, size[1] * 3 // 4), fill=(250, 200, 0))
    im.save(path)
    return path


def dialog(app: ClientApp, name: str) -> QObject:
    found = app.engine.rootObjects()[0].findChild(QObject, name)
    assert found is not None, f"no dialog named {name!r}"
    return found


def choose(qtbot, app: ClientApp, name: str, path: Path) -> None:
    """What picking a file in the dialog does: it opens, the selection is set, and it is accepted."""
    picker = dialog(app, name)
    picker.setProperty("selectedFile", QUrl.fromLocalFile(str(path)))
    QMetaObject.invokeMethod(picker, "open")
    qtbot.waitUntil(lambda: picker.property("visible"), timeout=WAIT_MS)
    QMetaObject.invokeMethod(picker, "accept")
    qtbot.waitUntil(lambda: not picker.property("visible"), timeout=WAIT_MS)


def loaded(images: list[QQuickItem]) -> bool:
    return bool(images) and all(prop(i, "loadStatus") == READY for i in images)


def test_an_attached_image_is_posted_and_shown_live_with_a_full_size_viewer(qtbot, server, make_client,
                                                                           tmp_path) -> None:
    mia, ned = User(server.base, "mia"), User(server.base, "ned")
    ned.follow(mia)
    a, b = make_client(server.base, "a"), make_client(server.base, "b")
    log_in(qtbot, a, server.base, "mia")
    log_in(qtbot, b, server.base, "ned")

    a.compose.attach(str(picture(tmp_path / "sky.png")))
    button = item(a, "composeButton")
    assert a.compose.uploading and not prop(button, "enabled")  # in flight: no posting yet
    qtbot.waitUntil(lambda: loaded(items(a, "attachmentThumb")), timeout=WAIT_MS)
    assert [x["state"] for x in a.compose.attachments] == ["ready"]
    assert prop(button, "enabled")  # an image alone is a bark
    type_text(a, item(a, "composeText"), "Look at this")
    click(a, button)
    qtbot.waitUntil(lambda: a.compose.text == "" and not a.compose.attachments, timeout=WAIT_MS)

    posted = mia.call("GET", "/v1/users/mia/barks")["items"][0]
    assert posted["text"] == "Look at this" and len(posted["media"]) == 1
    media = posted["media"][0]
    for app in (a, b):  # mine at once; the follower's over the stream
        qtbot.waitUntil(lambda app=app: app.home.model.count and app.home.model.rows[0]["barkId"] == posted["id"],
                        timeout=WAIT_MS)
        assert [m["id"] for m in app.home.model.rows[0]["media"]] == [media["id"]]
        qtbot.waitUntil(lambda app=app: loaded(items(app, "mediaThumb")), timeout=WAIT_MS)
        thumb = item(app, "mediaThumb")
        assert prop(thumb, "source") == QUrl(server.base + media["thumbnail_url"])

    click(b, item(b, "mediaThumb"))
    qtbot.waitUntil(lambda: bool(items(b, "viewerImage")), timeout=WAIT_MS)
    full = item(b, "viewerImage")
    assert b.viewer.url == server.base + media["url"] and prop(full, "source") == QUrl(b.viewer.url)
    qtbot.waitUntil(lambda: prop(full, "loadStatus") == READY, timeout=WAIT_MS)
    assert prop(full, "sourceSize").width() == media["width"]  # the display image, not the thumbnail
    click(b, item(b, "viewerClose"))
    qtbot.waitUntil(lambda: not items(b, "viewerImage") and b.viewer.url == "", timeout=WAIT_MS)

    # Through the file dialog, two at once, in order; no text: the bark is its images.
    first, second = picture(tmp_path / "one.png", colour=(200, 0, 0)), picture(tmp_path / "two.jpg")
    choose(qtbot, a, "imagePicker", first)
    choose(qtbot, a, "imagePicker", second)
    qtbot.waitUntil(lambda: [x["state"] for x in a.compose.attachments] == ["ready", "ready"], timeout=WAIT_MS)
    assert [x["name"] for x in a.compose.attachments] == ["one.png", "two.jpg"]
    ids = [x["mediaId"] for x in a.compose.attachments]
    click(a, item(a, "composeButton"))
    qtbot.waitUntil(lambda: b.home.model.count == 2, timeout=WAIT_MS)
    assert [m["id"] for m in b.home.model.rows[0]["media"]] == ids and b.home.model.rows[0]["text"] == ""


def test_a_refused_file_shows_inline_and_posts_nothing(qtbot, server, make_client, tmp_path) -> None:
    oli = User(server.base, "oli")
    app = make_client(server.base)
    log_in(qtbot, app, server.base, "oli")
    fake = tmp_path / "notes.png"
    fake.write_text("this is not a picture\n")
    type_text(app, item(app, "composeText"), "my notes")
    app.compose.attach(str(fake))
    qtbot.waitUntil(lambda: prop(item(app, "composeError"), "text") != "", timeout=WAIT_MS)
    assert "notes.png" in prop(item(app, "composeError"), "text")
    assert "not an image" in prop(item(app, "composeError"), "text")
    assert items(app, "attachmentError") and not prop(item(app, "composeButton"), "enabled")
    app.compose.post()  # refused while the failed image is there: nothing goes
    qtbot.wait(300)
    assert oli.call("GET", "/v1/users/oli/barks")["items"] == []
    assert app.compose.text == "my notes"  # nothing typed is lost

    click(app, item(app, "removeAttachment"))  # without it, the text can go
    qtbot.waitUntil(lambda: not app.compose.attachments and prop(item(app, "composeError"), "text") == "",
                    timeout=WAIT_MS)
    assert prop(item(app, "composeButton"), "enabled")

    for i in range(5):  # four at most
        app.compose.attach(str(picture(tmp_path / f"p{i}.png")))
    assert len(app.compose.attachments) == 4 and "up to 4" in app.compose.error
    assert not prop(item(app, "attachButton"), "enabled")


def test_setting_and_removing_my_avatar(qtbot, server, make_client, tmp_path) -> None:
    pia = User(server.base, "pia")
    pia.bark("before the picture")
    app = make_client(server.base)
    log_in(qtbot, app, server.base, "pia")
    assert not items(app, "avatarImage")  # initials everywhere
    click(app, item(app, "nav_profile"))
    qtbot.waitUntil(lambda: app.profile.user.get("handle") == "pia" and app.profile.barks.loaded, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: bool(items(app, "changeAvatar")), timeout=WAIT_MS)
    assert not items(app, "removeAvatar")

    choose(qtbot, app, "avatarPicker", picture(tmp_path / "me.png", (300, 200)))
    qtbot.waitUntil(lambda: app.profile.message == "Picture changed.", timeout=WAIT_MS)
    user = pia.call("GET", "/v1/users/pia")
    assert user["avatar_url"] and user["avatar_thumbnail_url"]
    header = item(app, "avatarImage", item(app, "profileAvatar"))
    assert prop(header, "source") == QUrl(server.base + user["avatar_thumbnail_url"])
    qtbot.waitUntil(lambda: prop(header, "loadStatus") == READY, timeout=WAIT_MS)
    assert app.session.me["avatar_thumbnail_url"] == user["avatar_thumbnail_url"]
    assert [r["avatarUrl"] for r in app.profile.barks.model.rows] == [user["avatar_thumbnail_url"]]
    assert items(app, "removeAvatar")

    click(app, item(app, "removeAvatar"))
    qtbot.waitUntil(lambda: app.profile.message == "Picture removed.", timeout=WAIT_MS)
    assert pia.call("GET", "/v1/users/pia")["avatar_url"] is None
    assert not items(app, "avatarImage") and app.profile.barks.model.rows[0]["avatarUrl"] == ""
