"""Images in the desktop client, against a real backend: attaching in the compose box (uploaded at once,
posted in order), descriptions (alt text) written there and shown as ALT badges, thumbnails in timelines
(mine and, live, a follower's) with a full-size viewer (next / previous, descriptions, zoom), refused files
shown inline, and avatars."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw
from PySide6.QtCore import QEvent, QMetaObject, QObject, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QAccessible, QGuiApplication, QKeyEvent, QWheelEvent
from PySide6.QtQuick import QQuickItem
from PySide6.QtTest import QTest

from client_qt.app import ClientApp
from tests.live.client import User
from tests.qt.ui import WAIT_MS, click, item, items, log_in, prop, type_text

READY = 1  # QQuickImage.Status.Ready
PLAIN_TEXT = 0  # Text.PlainText: user text is never read as markup


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


# -- descriptions (alt text) and the viewer -----------------------------------------------------------------
def accessible_name(target: QQuickItem) -> str:
    return QAccessible.queryAccessibleInterface(target).text(QAccessible.Text.Name)


def viewer_popup(app: ClientApp) -> QObject:
    return dialog(app, "mediaViewer")


def key(app: ClientApp, which: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    QTest.keyClick(app.window, which, modifier)


def active(qtbot, app: ClientApp) -> None:
    """The window has the keyboard (offscreen, only the window asked to be active gets keys)."""
    app.window.requestActivate()
    qtbot.waitUntil(lambda: QGuiApplication.focusWindow() is app.window, timeout=WAIT_MS)


def test_a_description_written_in_the_compose_box_reaches_the_server_and_shows_as_an_alt_badge(
        qtbot, server, make_client, tmp_path) -> None:
    rae = User(server.base, "rae")
    app = make_client(server.base)
    log_in(qtbot, app, server.base, "rae")
    # One described in the editor once uploaded (PUT), one sent with the upload itself.
    app.compose.attach(str(picture(tmp_path / "sun.png")))
    qtbot.waitUntil(lambda: loaded(items(app, "attachmentThumb")), timeout=WAIT_MS)
    button = item(app, "altButton")
    assert prop(button, "text") == "+ ALT" and not prop(button, "described")
    click(app, button)
    qtbot.waitUntil(lambda: bool(items(app, "altEditorText")), timeout=WAIT_MS)
    written = "A <b>yellow</b> sun\nover a blue sea"  # user text: plain, line breaks kept
    editor = item(app, "altEditorText")
    first_line, second_line = written.split("\n")
    type_text(app, editor, first_line)
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):  # a line break, as the Return key makes it
        QGuiApplication.sendEvent(editor, QKeyEvent(kind, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier, "\r"))
    type_text(app, editor, second_line)
    assert prop(item(app, "altEditorCounter"), "text") == f"{1500 - len(written)} left"
    click(app, item(app, "altEditorSave"))
    qtbot.waitUntil(lambda: not items(app, "altEditorText"), timeout=WAIT_MS)
    first = app.compose.attachments[0]
    qtbot.waitUntil(lambda: app.compose.attachments[0]["savedDescription"] == written, timeout=WAIT_MS)
    assert prop(item(app, "altButton"), "text") == "ALT" and prop(item(app, "altButton"), "described")
    app.compose.attach(str(picture(tmp_path / "moon.png", colour=(20, 20, 60))), "  A pale moon ")
    qtbot.waitUntil(lambda: [a["state"] for a in app.compose.attachments] == ["ready", "ready"], timeout=WAIT_MS)
    assert app.compose.attachments[1]["savedDescription"] == "A pale moon"  # the server's answer to the upload
    click(app, item(app, "composeButton"))
    qtbot.waitUntil(lambda: not app.compose.attachments, timeout=WAIT_MS)

    posted = rae.call("GET", "/v1/users/rae/barks")["items"][0]
    assert [(m["id"], m["description"]) for m in posted["media"]] == [(first["mediaId"], written),
                                                                      (posted["media"][1]["id"], "A pale moon")]
    qtbot.waitUntil(lambda: len(items(app, "altBadge")) == 2, timeout=WAIT_MS)
    frames = [item(app, f"mediaThumbFrame_{i}") for i in (0, 1)]
    badge = item(app, "altBadge", frames[0])
    assert not items(app, "altText")
    click(app, badge)  # shows the description (plain text), until clicked again
    qtbot.waitUntil(lambda: bool(items(app, "altTextLabel")), timeout=WAIT_MS)
    label = item(app, "altTextLabel")
    assert prop(label, "text") == written and prop(label, "format") == PLAIN_TEXT
    away = item(app, "composeText").mapToScene(QPointF(5, 5)).toPoint()
    QTest.mouseMove(app.window, away)
    qtbot.wait(100)
    assert items(app, "altTextLabel")  # clicked: it stays while the pointer is elsewhere
    click(app, badge)
    QTest.mouseMove(app.window, away)
    qtbot.waitUntil(lambda: not items(app, "altTextLabel"), timeout=WAIT_MS)

    # Changed after posting (another client, or the API): the reloaded bark shows the new one.
    rae.call("PUT", f"/v1/media/{first['mediaId']}", json={"description": ""})
    app.home.reload()
    qtbot.waitUntil(lambda: len(items(app, "altBadge")) == 1, timeout=WAIT_MS)
    assert [m["description"] for m in app.home.model.rows[0]["media"]] == ["", "A pale moon"]


def test_the_viewer_goes_through_a_barks_images_shows_their_descriptions_and_zooms(
        qtbot, server, make_client, tmp_path) -> None:
    sam = User(server.base, "sam")
    uploads = []
    for i, text in enumerate(["A red field", "", "A green field"]):
        with open(picture(tmp_path / f"f{i}.png", colour=(60 * i, 120, 30)), "rb") as f:
            form = {"description": text} if text else {}
            uploads.append(sam.call("POST", "/v1/media", files={"file": (f"f{i}.png", f, "image/png")}, data=form))
    sam.call("POST", "/v1/barks", json={"text": "fields", "media_ids": [u["id"] for u in uploads]})
    app = make_client(server.base)
    log_in(qtbot, app, server.base, "sam")
    active(qtbot, app)
    qtbot.waitUntil(lambda: loaded(items(app, "mediaThumb")) and len(items(app, "mediaThumb")) == 3,
                    timeout=WAIT_MS)
    assert [accessible_name(item(app, f"mediaThumbFrame_{i}")) for i in (0, 2)] == [
        "A red field", "A green field"]  # the description is the image's name (what a screen reader says)

    click(app, item(app, "mediaThumb", item(app, "mediaThumbFrame_1")))
    qtbot.waitUntil(lambda: bool(items(app, "viewerImage")), timeout=WAIT_MS)
    assert (app.viewer.index, app.viewer.count, app.viewer.description) == (1, 3, "")
    assert app.viewer.url == server.base + uploads[1]["url"] and not items(app, "viewerDescription")
    assert prop(item(app, "viewerPosition"), "text") == "2 / 3"
    click(app, item(app, "viewerNext"))
    qtbot.waitUntil(lambda: app.viewer.index == 2, timeout=WAIT_MS)
    description = item(app, "viewerDescription")
    assert prop(description, "text") == "A green field" and prop(description, "format") == PLAIN_TEXT
    assert not prop(item(app, "viewerNext"), "enabled")  # the last: no wrapping
    key(app, Qt.Key.Key_Right)
    assert app.viewer.index == 2
    key(app, Qt.Key.Key_Left)
    key(app, Qt.Key.Key_Left)
    assert app.viewer.index == 0 and app.viewer.description == "A red field"
    assert not prop(item(app, "viewerPrevious"), "enabled")

    popup, area = viewer_popup(app), item(app, "viewerArea")
    qtbot.waitUntil(lambda: prop(item(app, "viewerImage"), "loadStatus") == READY, timeout=WAIT_MS)
    key(app, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)  # Ctrl+=
    assert prop(popup, "zoom") > 1 and prop(area, "interactive")
    zoomed = prop(popup, "zoom")
    key(app, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert prop(popup, "zoom") < zoomed
    key(app, Qt.Key.Key_0)
    assert prop(popup, "zoom") == 1 and not prop(area, "interactive")
    centre = area.mapToScene(QPointF(area.width() / 2, area.height() / 2))
    for _ in range(3):  # the wheel zooms in, around the pointer
        QGuiApplication.sendEvent(app.window, QWheelEvent(centre, centre, QPoint(0, 0), QPoint(0, 120),
                                                          Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                                                          Qt.ScrollPhase.NoScrollPhase, False))
    qtbot.waitUntil(lambda: prop(popup, "zoom") > 1.5, timeout=WAIT_MS)
    # A drag pans the zoomed image.
    before = (prop(area, "contentX"), prop(area, "contentY"))
    start = centre.toPoint()
    QTest.mousePress(app.window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    for step in range(1, 11):
        QTest.mouseMove(app.window, start + QPoint(-12 * step, -8 * step))
        qtbot.wait(16)
    QTest.mouseRelease(app.window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                       start + QPoint(-120, -80))
    qtbot.waitUntil(lambda: (prop(area, "contentX"), prop(area, "contentY")) != before, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not prop(area, "moving"), timeout=WAIT_MS)
    shown: list[str] = []  # the viewer stays open through a double click (even beside the image)
    app.viewer.changed.connect(lambda: shown.append(app.viewer.url))
    QTest.mouseDClick(app.window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)  # fits again
    qtbot.waitUntil(lambda: prop(popup, "zoom") == 1, timeout=WAIT_MS)
    assert "" not in shown
    key(app, Qt.Key.Key_Right)  # the next image starts fitted too
    assert app.viewer.index == 1 and prop(popup, "zoom") == 1
    key(app, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not items(app, "viewerImage") and app.viewer.url == "", timeout=WAIT_MS)


def focused(app: ClientApp) -> str:
    node = app.window.activeFocusItem()
    return node.objectName() if node is not None else ""


def test_descriptions_and_the_viewer_by_keyboard(qtbot, server, make_client, tmp_path) -> None:
    tia = User(server.base, "tia")
    app = make_client(server.base)
    log_in(qtbot, app, server.base, "tia")
    active(qtbot, app)
    app.compose.attach(str(picture(tmp_path / "hill.png")))
    qtbot.waitUntil(lambda: loaded(items(app, "attachmentThumb")), timeout=WAIT_MS)
    item(app, "composeText").forceActiveFocus()
    key(app, Qt.Key.Key_Tab)  # out of the text: the image's "+ ALT" is next
    assert focused(app) == "altButton" and prop(item(app, "altButton"), "visualFocus")
    key(app, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: focused(app) == "altEditorText", timeout=WAIT_MS)  # the editor, ready to type
    for char in "A green hill":
        QTest.keyClick(app.window, char)
    key(app, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # Ctrl+Enter saves
    qtbot.waitUntil(lambda: app.compose.attachments[0]["savedDescription"] == "A green hill", timeout=WAIT_MS)
    assert not items(app, "altEditorText")
    item(app, "composeText").forceActiveFocus()
    key(app, Qt.Key.Key_Tab)
    key(app, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: focused(app) == "altEditorText", timeout=WAIT_MS)
    assert prop(item(app, "altEditorText"), "text") == "A green hill"
    QTest.keyClick(app.window, "!")
    key(app, Qt.Key.Key_Tab)  # Tab leaves the text (no tab in it) for Save
    assert focused(app) == "altEditorSave"
    key(app, Qt.Key.Key_Escape)  # cancels: nothing changes
    qtbot.waitUntil(lambda: not items(app, "altEditorText"), timeout=WAIT_MS)
    assert app.compose.attachments[0]["description"] == "A green hill"

    app.compose.post()
    qtbot.waitUntil(lambda: not app.compose.attachments and app.home.model.count == 1, timeout=WAIT_MS)
    assert tia.call("GET", "/v1/users/tia/barks")["items"][0]["media"][0]["description"] == "A green hill"
    qtbot.waitUntil(lambda: bool(items(app, "altBadge")), timeout=WAIT_MS)
    item(app, "composeText").forceActiveFocus()
    key(app, Qt.Key.Key_Escape)  # out of the text field: letters are shortcuts
    key(app, Qt.Key.Key_J)  # the bark is current: its image and badge are Tab stops
    key(app, Qt.Key.Key_Tab)
    assert focused(app) == "mediaThumbFrame_0"
    key(app, Qt.Key.Key_Tab)
    assert focused(app) == "altBadge"
    key(app, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: bool(items(app, "altTextLabel")), timeout=WAIT_MS)
    assert prop(item(app, "altTextLabel"), "text") == "A green hill"
    key(app, Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)  # leaving the badge hides it
    qtbot.waitUntil(lambda: not items(app, "altTextLabel"), timeout=WAIT_MS)
    assert focused(app) == "mediaThumbFrame_0"
    key(app, Qt.Key.Key_Return)  # opens the viewer
    qtbot.waitUntil(lambda: bool(items(app, "viewerImage")), timeout=WAIT_MS)
    assert app.viewer.description == "A green hill" and focused(app) == "viewerKeys"
    key(app, Qt.Key.Key_Plus)
    assert prop(viewer_popup(app), "zoom") > 1
    key(app, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: app.viewer.url == "" and not items(app, "viewerImage"), timeout=WAIT_MS)


def test_a_description_the_server_refuses_holds_the_bark_until_it_is_fixed(qtbot, server, make_client,
                                                                           tmp_path) -> None:
    uma = User(server.base, "uma")
    app = make_client(server.base)
    log_in(qtbot, app, server.base, "uma")
    app.compose.attach(str(picture(tmp_path / "lake.png")))
    qtbot.waitUntil(lambda: app.compose.canPost, timeout=WAIT_MS)
    key_ = app.compose.attachments[0]["key"]
    app.compose.describe(key_, "a lake\x07")  # a control character: 422
    qtbot.waitUntil(lambda: app.compose.attachments[0]["descriptionError"] != "", timeout=WAIT_MS)
    assert "lake.png: the description was not saved" in app.compose.error
    assert not app.compose.canPost and not prop(item(app, "composeButton"), "enabled")
    assert prop(item(app, "altButton"), "text") == "ALT ⚠"
    app.compose.post()  # refused: it would go without its description
    qtbot.wait(200)
    assert uma.call("GET", "/v1/users/uma/barks")["items"] == []
    app.compose.describe(key_, "A still lake")
    qtbot.waitUntil(lambda: app.compose.canPost and app.compose.error == "", timeout=WAIT_MS)
    app.compose.post()
    qtbot.waitUntil(lambda: not app.compose.attachments, timeout=WAIT_MS)
    assert uma.call("GET", "/v1/users/uma/barks")["items"][0]["media"][0]["description"] == "A still lake"
