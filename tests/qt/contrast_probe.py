"""Run by tests/qt/test_theme_contrast.py in a process of its own (the system palette the Controls see is read
once per process, from the platform or QT_QUICK_CONTROLS_CONF): logs in to a server as a seeded user, opens
every main view, measures the WCAG contrast of every text drawn (the method: the test's docstring) and prints
the readings as JSON.

    python -m tests.qt.contrast_probe SERVER HANDLE FRIEND BARK_ID
"""

from __future__ import annotations

import json
import os
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PIL import Image, ImageChops
from PySide6.QtCore import QMetaObject, QRectF
from PySide6.QtGui import QColor, QGuiApplication, QImage
from PySide6.QtQuick import QQuickItem

from client_qt.app import ClientApp
from client_qt.screenshots import settle, wait_for

AA_NORMAL, AA_LARGE = 4.5, 3.0
TEXT_TYPES = ("QQuickText", "QQuickTextInput", "QQuickTextEdit")


def luminance(color: QColor) -> float:
    def channel(v: float) -> float:
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4
    return 0.2126 * channel(color.redF()) + 0.7152 * channel(color.greenF()) + 0.0722 * channel(color.blueF())


def contrast(a: QColor, b: QColor) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def over(color: QColor, alpha: float, background: QColor) -> QColor:
    """`color` at `alpha` drawn over an opaque background."""
    def mix(c: float, b: float) -> float:
        return c * alpha + b * (1 - alpha)
    return QColor.fromRgbF(mix(color.redF(), background.redF()), mix(color.greenF(), background.greenF()),
                           mix(color.blueF(), background.blueF()))


@dataclass
class Reading:
    view: str
    what: str
    ratio: float
    needed: float
    text: str
    background: str


def text_items(root: QQuickItem, opacity: float = 1.0) -> Iterator[tuple[QQuickItem, float]]:
    """Visible, enabled, non-empty text items under `root`, each with its effective opacity."""
    opacity *= root.opacity()
    if not root.isVisible() or opacity <= 0:
        return
    if any(root.inherits(t) for t in TEXT_TYPES) and root.isEnabled() and str(root.property("text") or "").strip():
        yield root, opacity
    for child in root.childItems():
        yield from text_items(child, opacity)


def to_pil(image: QImage) -> Image.Image:
    rgba = image.convertToFormat(QImage.Format.Format_RGBA8888)
    return Image.frombuffer("RGBA", (rgba.width(), rgba.height()), bytes(rgba.constBits()), "raw", "RGBA",
                            rgba.bytesPerLine(), 1).convert("RGB")


def large(target: QQuickItem) -> bool:
    font = target.property("font")
    px = font.pixelSize() if font.pixelSize() > 0 else font.pointSizeF() * 96 / 72
    return px >= 24 or (font.bold() and px >= 18.66)


def measure(app: ClientApp, view: str, within: QQuickItem | None = None) -> list[Reading]:
    """Every text of the window (or of one part of it: a modal popup, over a scrim that hides the rest) as
    drawn now: its contrast with what is behind it."""
    settle(0.3)  # pending layouts and paints (Canvas, images) done
    found = list(text_items(within or app.window.contentItem()))
    assert found, f"{view}: no text on screen"
    shown = to_pil(app.window.grabWindow())
    saved = [(t, t.opacity()) for t, _ in found]
    for t, _ in found:
        t.setOpacity(0)
    bare = to_pil(app.window.grabWindow())
    for t, value in saved:
        t.setOpacity(value)
    scale = app.window.devicePixelRatio()
    readings = []
    for target, opacity in found:
        box = target.mapRectToScene(QRectF(0, 0, target.width(), target.height()))
        left, top = max(0, int(box.left() * scale)), max(0, int(box.top() * scale))
        right, bottom = min(shown.width, int(box.right() * scale) + 1), min(shown.height, int(box.bottom() * scale) + 1)
        if right <= left or bottom <= top:
            continue
        area = (left, top, right, bottom)
        changed = ImageChops.difference(shown.crop(area), bare.crop(area)).convert("L")
        glyphs = changed.point(lambda v: 255 if v > 24 else 0)
        under = bare.crop(area).tobytes()
        behind = [under[3 * i:3 * i + 3] for i, mark in enumerate(glyphs.tobytes()) if mark]
        if not behind:
            continue  # clipped away or scrolled out: not drawn
        background = QColor(*Counter(behind).most_common(1)[0][0])  # bytes: r, g, b
        colors = [("color", target.property("color"))]
        if "<a " in str(target.property("text")) and target.property("linkColor") is not None:
            colors.append(("linkColor", target.property("linkColor")))
        for name, color in colors:
            drawn = over(color, color.alphaF() * opacity, background)
            ratio = contrast(drawn, background)
            label = target.objectName() or f"{target.metaObject().className()}"
            readings.append(Reading(view, f"{label}.{name}", ratio, AA_LARGE if large(target) else AA_NORMAL,
                                    str(target.property("text"))[:50], background.name()))
    return readings


def walk_views(app: ClientApp, friend: str, bark: int) -> list[Reading]:
    """Every main view, as a person would see it, measured."""
    readings: list[Reading] = []

    def at(page: str, ready, view: str | None = None) -> None:
        wait_for(lambda: app.nav.page == page and bool(ready()), view or page)
        readings.extend(measure(app, view or page))

    app.nav.open("home")
    at("home", lambda: app.home.model.count >= 2)
    # The image viewer over it: a described image (its description under it, on the scrim).
    app.viewer.open(next(row for row in app.home.model.rows if row["media"])["media"], 0)
    wait_for(lambda: any(i.property("loadStatus") == 1 for i in app.items("viewerImage")), "the viewer")
    readings.extend(measure(app, "viewer", app.items("viewerKeys")[0]))
    app.viewer.close()
    app.nav.openProfile("theo")
    at("profile", lambda: app.profile.barks.loaded and app.profile.user.get("handle") == "theo")
    app.nav.openProfile(friend)
    at("profile", lambda: app.profile.barks.loaded and app.profile.user.get("handle") == friend,
       "profile-other")
    app.nav.openThread(bark)
    at("thread", lambda: app.thread.loaded and app.thread.model.count >= 2)
    app.nav.openTag("sunset")
    at("tag", lambda: app.tag.barks.loaded and app.tag.barks.model.count)
    app.nav.open("notifications")
    at("notifications", lambda: app.notifications.model.count >= 6)
    app.nav.open("suggestions")
    at("suggestions", lambda: not app.suggestions.loading and app.suggestions.model.count)
    app.suggestions.dismiss(app.suggestions.model.rows[0]["handle"])  # shown in its place, with Undo
    wait_for(lambda: app.items("dismissedRow"), "a dismissed suggestion")
    readings.extend(measure(app, "suggestions-dismissed"))
    app.suggestions.undismiss(app.suggestions.model.rows[0]["handle"])
    app.notices.show("")  # its Undo notice would cover the next views' texts
    app.nav.openPeople("theo", "followers")
    at("people", lambda: not app.follows.loading and app.follows.model.count, "followers")
    app.nav.open("search")
    app.search.query = "yara"
    app.search.run()
    at("search", lambda: not app.search.loading and app.search.model.count)
    app.nav.open("moderation")
    at("moderation", lambda: app.moderation.queue)
    app.nav.open("settings")
    at("settings", lambda: app.blocked.model.count and app.muted.model.count)
    flick = app.items("blockedAccounts")[0].parentItem()
    while flick is not None and not flick.inherits("QQuickFlickable"):
        flick = flick.parentItem()
    assert flick is not None
    flick.setProperty("contentY", max(0.0, flick.property("contentHeight") - flick.height()))
    readings.extend(measure(app, "settings-bottom"))
    app.notices.show("Can't reach the server at http://example.invalid. Retrying as you go.")
    readings.extend(measure(app, "notice"))
    QMetaObject.invokeMethod(app.items("logoutButton")[0], "click")
    wait_for(lambda: app.items("confirmAccept"), "the log-out confirmation")
    readings.extend(measure(app, "confirm", app.items("confirmText")[0].parentItem()))
    QMetaObject.invokeMethod(app.items("confirmAccept")[0], "click")
    wait_for(lambda: not app.session.loggedIn, "the log-in screen")
    readings.extend(measure(app, "login"))
    return readings



def main(argv: list[str]) -> int:
    server, handle, friend, bark = argv
    qt = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 - must outlive the app
    app = ClientApp(server_url=server)  # the config directory: BARKER_CLIENT_CONFIG_DIR, set by the test
    try:
        wait_for(app.window.isExposed, "the window")
        app.session.logIn(server, handle, "correct horse")
        wait_for(lambda: app.stream.state == "live" and app.home.loaded, "home")
        readings = walk_views(app, friend, int(bark))
        print(json.dumps({"dark": bool(app.appearance.dark) if hasattr(app, "appearance") else None,
                          "readings": [asdict(r) for r in readings]}))
    finally:
        app.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
