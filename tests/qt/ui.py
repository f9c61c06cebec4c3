"""Driving the QML user interface as a person would: find items by objectName, click them, type."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Q_ARG, Q_RETURN_ARG, QEvent, QEventLoop, QMetaObject, QObject, QPointF, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QKeyEvent
from PySide6.QtQuick import QQuickItem
from PySide6.QtTest import QTest

from client_qt.app import ClientApp

WAIT_MS = 10_000


def items(app: ClientApp, name: str, within: QQuickItem | None = None) -> list[QQuickItem]:
    """The visible items with this objectName."""
    return app.items(name, within)


def item(app: ClientApp, name: str, within: QQuickItem | None = None) -> QQuickItem:
    found = items(app, name, within)
    assert found, f"no visible item named {name!r}"
    return found[0]


def drawn(app: ClientApp) -> None:
    """Wait for the window's next frame. Before drawing one, Qt lays out all that changed, layouts polishing
    one another until none is left (an inner layout's new size resizes the outer one's cell). Until then an
    item shown a moment ago may sit outside its parent's bounds, where Qt (6.8 on) never looks for a press:
    a person only clicks what was drawn, so clicks wait for the frame that draws it."""
    swapped = QEventLoop()
    app.window.frameSwapped.connect(swapped.quit)
    timer = QTimer(singleShot=True, interval=WAIT_MS)
    timer.timeout.connect(swapped.quit)
    timer.start()
    app.window.update()
    swapped.exec()
    app.window.frameSwapped.disconnect(swapped.quit)
    assert timer.isActive(), "the window drew no frame"


def click(app: ClientApp, target: QQuickItem) -> None:
    """A real mouse click in the middle of the item (it must be visible and enabled), as drawn."""
    assert target.isVisible() and target.isEnabled(), f"{target.objectName()} cannot be clicked"
    drawn(app)
    centre = target.mapToScene(QPointF(target.width() / 2, target.height() / 2)).toPoint()
    QTest.mouseClick(app.window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, centre)


def type_text(app: ClientApp, target: QQuickItem, text: str) -> None:
    """Focus the field and send it one key event per character (emoji included), as a keyboard would. (The
    events go to the field itself: offscreen, two windows cannot both be the active one.)"""
    target.forceActiveFocus()
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QGuiApplication.sendEvent(target, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))


def prop(target: QObject, name: str) -> Any:
    return target.property(name)


def log_in(qtbot, app: ClientApp, server_url: str, handle: str, password: str = "correct horse") -> None:
    """Through the log-in screen; then wait until the stream is live."""
    server = item(app, "loginServer")
    server.setProperty("text", server_url)
    type_text(app, item(app, "loginHandle"), handle)
    type_text(app, item(app, "loginPassword"), password)
    click(app, item(app, "loginButton"))
    qtbot.waitUntil(lambda: app.session.loggedIn, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: app.stream.state == "live" and app.home.loaded, timeout=WAIT_MS)


def rows(model) -> list[dict[str, Any]]:
    return list(model.rows)


def click_link(app: ClientApp, label: QQuickItem, href: str) -> None:
    """A real click on the link `href` of a rich-text label: its place is found with the label's own
    `linkAt(x, y)`, scanning the label in small steps."""
    drawn(app)
    for y in range(2, int(label.height()), 4):
        for x in range(2, int(label.width()), 4):
            found = QMetaObject.invokeMethod(label, "linkAt", Q_RETURN_ARG(str), Q_ARG(float, x), Q_ARG(float, y))
            if found == href:
                point = label.mapToScene(QPointF(x, y)).toPoint()
                QTest.mouseClick(app.window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point)
                return
    raise AssertionError(f"no link {href!r} in {label.objectName()}")


def click_corner(app: ClientApp, target: QQuickItem) -> None:
    """A click near the top right corner of an item (a bark card's empty space, not one of its buttons; clear
    of the list's scroll bar)."""
    drawn(app)
    point = target.mapToScene(QPointF(target.width() - 40, 6)).toPoint()
    QTest.mouseClick(app.window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point)


def _flickable(target: QQuickItem) -> QQuickItem:
    node = target.parentItem()
    while node is not None and not node.inherits("QQuickFlickable"):
        node = node.parentItem()
    assert node is not None, f"{target.objectName()} is not in a scrolling view"
    return node


def scroll_into_view(qtbot, target: QQuickItem) -> None:
    """Scroll the Flickable (a ScrollView's, a list's) that holds the item until the whole item shows, near
    the top of the view, as a person scrolls to what they want to click. Tried again until the item stays in
    one place: rows that were just created may not be laid out yet (their width, and so where their buttons
    are), and a list that was just reloaded may still change its height (and the view clamp its position)."""
    view = _flickable(target)
    chain = []
    node: QQuickItem | None = target
    while node is not None:
        chain.append(node)
        node = node.parentItem()
    last: list[tuple[float, float, float]] = []

    def settled() -> bool:
        for ancestor in reversed(chain):
            ancestor.ensurePolished()
        top = view.property("contentItem").mapFromItem(target, QPointF(0, 0)).y()
        most = max(0.0, view.property("contentHeight") - view.height())
        view.setProperty("contentY", min(max(0.0, top - 20), most))
        corner = view.mapFromItem(target, QPointF(0, 0))
        place = (corner.x(), corner.y(), target.width())
        still = last[-1:] == [place]
        last.append(place)
        return still and corner.y() >= 0 and corner.y() + target.height() <= view.height()
    qtbot.waitUntil(settled, timeout=WAIT_MS)


def set_width(qtbot, app: ClientApp, width: int) -> None:
    """Resize the window, and wait until its content has taken the new width (the resize arrives as an
    event: until then the items keep the old geometry)."""
    app.window.setWidth(width)
    qtbot.waitUntil(lambda: app.window.contentItem().width() == app.window.width() == width, timeout=WAIT_MS)


def confirm(qtbot, app: ClientApp, title: str) -> None:
    """Answer the confirmation dialog (ConfirmDialog.qml), which must ask `title`, with its action button."""
    qtbot.waitUntil(lambda: bool(items(app, "confirmAccept")), timeout=WAIT_MS)
    assert app.confirm.property("title") == title
    click(app, item(app, "confirmAccept"))
    qtbot.waitUntil(lambda: not items(app, "confirmAccept"), timeout=WAIT_MS)
