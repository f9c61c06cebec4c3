"""A dismissed suggestion, through QML against a real server: its row keeps its place (shown as dismissed, with
Undo) while the pointer is over the list, so the row below does not move up under it; once the pointer leaves,
the gap closes. Undo, in the notice or on the row, takes the dismissal back on the server and puts the row
back where it was; by keyboard, Undo takes the place of Dismiss."""

from __future__ import annotations

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest

from tests.live.client import User
from tests.qt.ui import WAIT_MS, click, item, items, log_in

Key = Qt.Key


def suggested(user: User) -> list[str]:
    return [i["user"]["handle"] for i in user.call("GET", "/v1/suggestions")["items"]]


def shown(app) -> list[str]:
    return [r["handle"] for r in app.suggestions.model.rows if not r.get("dismissed")]


def top(app, handle: str) -> float:
    """Where a row is, in the list."""
    row = item(app, f"user_{handle}")
    row.ensurePolished()
    return row.mapToItem(item(app, "suggestionsList"), QPointF(0, 0)).y()


def point_at(app, name: str) -> None:
    target = item(app, name)
    QTest.mouseMove(app.window, target.mapToScene(QPointF(target.width() / 2, target.height() / 2)).toPoint())


def undo_in_notice(qtbot, app) -> None:
    qtbot.waitUntil(lambda: bool(items(app, "noticeAction")), timeout=WAIT_MS)
    assert app.notices.property("actionText") == "Undo"
    click(app, item(app, "noticeAction"))


def test_a_dismissed_suggestion_keeps_its_place_until_the_pointer_leaves_and_undo_restores_it(
        qtbot, server, make_client) -> None:
    ann, bob = User(server.base, "ann"), User(server.base, "bob")
    others = [User(server.base, h) for h in ("cy", "dee", "eve")]
    ann.follow(bob)
    for other in others:
        bob.follow(other)
    assert suggested(ann) == ["cy", "dee", "eve"]
    app = make_client(server.base)
    log_in(qtbot, app, server.base, "ann")
    app.nav.open("suggestions")
    qtbot.waitUntil(lambda: shown(app) == ["cy", "dee", "eve"] and bool(items(app, "user_eve")), timeout=WAIT_MS)

    point_at(app, "user_cy")
    before = top(app, "dee")
    click(app, item(app, "dismiss", item(app, "user_cy")))
    qtbot.waitUntil(lambda: bool(items(app, "dismissedRow", item(app, "user_cy"))), timeout=WAIT_MS)
    assert top(app, "dee") == before  # nothing moved up under the pointer
    assert not items(app, "followButton", item(app, "user_cy"))  # covered: only Undo is left
    assert app.notices.property("text") == "You won't see @cy suggested again."
    qtbot.waitUntil(lambda: suggested(ann) == ["dee", "eve"], timeout=WAIT_MS)

    undo_in_notice(qtbot, app)
    qtbot.waitUntil(lambda: bool(items(app, "followButton", item(app, "user_cy"))), timeout=WAIT_MS)
    assert shown(app) == ["cy", "dee", "eve"] and not items(app, "dismissedRow")
    qtbot.waitUntil(lambda: suggested(ann) == ["cy", "dee", "eve"], timeout=WAIT_MS)

    # Dismissed again, and the pointer leaves the list: the gap closes; Undo still puts it back first.
    click(app, item(app, "dismiss", item(app, "user_cy")))
    qtbot.waitUntil(lambda: bool(items(app, "dismissedRow")), timeout=WAIT_MS)
    point_at(app, "nav_home")
    qtbot.waitUntil(lambda: not items(app, "user_cy"), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: top(app, "dee") < before, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: suggested(ann) == ["dee", "eve"], timeout=WAIT_MS)
    undo_in_notice(qtbot, app)
    qtbot.waitUntil(lambda: shown(app) == ["cy", "dee", "eve"], timeout=WAIT_MS)
    qtbot.waitUntil(lambda: suggested(ann) == ["cy", "dee", "eve"], timeout=WAIT_MS)

    # Undo on the row itself.
    click(app, item(app, "dismiss", item(app, "user_dee")))
    qtbot.waitUntil(lambda: bool(items(app, "undoDismiss", item(app, "user_dee"))), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: suggested(ann) == ["cy", "eve"], timeout=WAIT_MS)
    click(app, item(app, "undoDismiss", item(app, "user_dee")))
    qtbot.waitUntil(lambda: shown(app) == ["cy", "dee", "eve"] and not items(app, "dismissedRow"), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: suggested(ann) == ["cy", "dee", "eve"], timeout=WAIT_MS)


def test_by_keyboard_undo_takes_the_place_of_dismiss(qtbot, server, make_client) -> None:
    fay, gus, hal = User(server.base, "fay"), User(server.base, "gus"), User(server.base, "hal")
    fay.follow(gus)
    gus.follow(hal)
    app = make_client(server.base)
    app.window.requestActivate()  # keys reach only the active window
    qtbot.waitUntil(lambda: QGuiApplication.focusWindow() is app.window, timeout=WAIT_MS)
    log_in(qtbot, app, server.base, "fay")
    app.nav.open("suggestions")
    qtbot.waitUntil(lambda: bool(items(app, "user_hal")), timeout=WAIT_MS)
    dismiss = item(app, "dismiss", item(app, "user_hal"))
    dismiss.forceActiveFocus(Qt.FocusReason.TabFocusReason)
    assert items(app, "focusRing", dismiss)
    QTest.keyClick(app.window, Key.Key_Space)
    qtbot.waitUntil(lambda: app.window.activeFocusItem() is not None
                    and app.window.activeFocusItem().objectName() == "undoDismiss", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: suggested(fay) == [], timeout=WAIT_MS)
    QTest.keyClick(app.window, Key.Key_Space)
    qtbot.waitUntil(lambda: not items(app, "dismissedRow"), timeout=WAIT_MS)
    assert app.window.activeFocusItem().objectName() == "user_hal"  # back on the row, not lost
    qtbot.waitUntil(lambda: suggested(fay) == ["hal"], timeout=WAIT_MS)
