"""New barks on a scrolled timeline (issue 20, item 8): what is being read stays where it is, a "N new barks"
pill at the top counts what arrived above, and a click on it (or ".") goes to the top; at the top new barks
simply appear; my own bark, posted from a scrolled list, scrolls it to the top so that I see it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Q_ARG, Q_RETURN_ARG, QMetaObject, QPointF, Qt
from PySide6.QtQuick import QQuickItem
from PySide6.QtTest import QTest

from client_qt.app import ClientApp
from tests.live.client import User
from tests.qt.ui import WAIT_MS, click, item, items, log_in, prop, scroll_into_view, type_text


def first_in_view(app: ClientApp) -> tuple[str, float]:
    """The topmost bark that shows in the home list (the one at its top edge), and where its top is in the view."""
    view = item(app, "homeList")
    view.ensurePolished()
    index = QMetaObject.invokeMethod(view, "indexAt", Q_RETURN_ARG(int), Q_ARG(float, view.width() / 2),
                                     Q_ARG(float, prop(view, "contentY") + 1))
    bark = QMetaObject.invokeMethod(view, "itemAtIndex", Q_RETURN_ARG(QQuickItem), Q_ARG(int, index))
    return app.home.model.rows[index]["text"], view.mapFromItem(bark, QPointF(0, 0)).y()


def at_top(app: ClientApp) -> bool:
    view = item(app, "homeList")
    view.ensurePolished()
    return abs(prop(view, "contentY") - prop(view, "originY")) < 1


def scrolled_home(qtbot, server, make_client, reader: str, writer: str,
                  slightly: bool = False) -> tuple[ClientApp, User]:
    """A reader whose home holds 30 of the writer's barks, scrolled down to the 6th (or `slightly`: by 30 px,
    the first bark still half in view)."""
    me, them = User(server.base, reader), User(server.base, writer)
    me.follow(them)
    for i in range(30):
        them.bark(f"older bark {i}")
    app = make_client(server.base)
    log_in(qtbot, app, server.base, reader)
    qtbot.waitUntil(lambda: bool(items(app, "bark_" + str(app.home.model.rows[5]["barkId"]))), timeout=WAIT_MS)
    scroll_into_view(qtbot, item(app, "bark_" + str(app.home.model.rows[5]["barkId"])))
    if slightly:
        view = item(app, "homeList")
        view.setProperty("contentY", prop(view, "originY") + 30)
    assert not at_top(app)
    return app, them


@pytest.mark.parametrize("slightly", [False, True], ids=["scrolled", "slightly-scrolled"])
def test_live_barks_keep_the_place_and_show_a_pill_that_goes_to_the_top(qtbot, server, make_client,
                                                                         slightly: bool) -> None:
    app, them = scrolled_home(qtbot, server, make_client, f"reader{int(slightly)}", f"writer{int(slightly)}",
                              slightly)
    before = first_in_view(app)
    assert not items(app, "newBarksPill")

    them.bark("live one")
    them.bark("live two")
    qtbot.waitUntil(lambda: [r["text"] for r in app.home.model.rows[:2]] == ["live two", "live one"], timeout=WAIT_MS)
    qtbot.waitUntil(lambda: bool(items(app, "newBarksPill")), timeout=WAIT_MS)
    assert prop(item(app, "newBarksText"), "text") == "↑ 2 new barks"
    assert first_in_view(app) == before  # the same bark, in the same place

    click(app, item(app, "newBarksPill"))
    qtbot.waitUntil(lambda: at_top(app), timeout=WAIT_MS)
    assert first_in_view(app)[0] == "live two"
    assert not items(app, "newBarksPill")

    # At the top a new bark simply shows, first, with no pill.
    them.bark("live three")
    qtbot.waitUntil(lambda: app.home.model.rows[0]["text"] == "live three", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: first_in_view(app)[0] == "live three", timeout=WAIT_MS)
    assert at_top(app) and not items(app, "newBarksPill")


def test_scrolling_up_by_hand_or_the_dot_key_goes_to_the_newest(qtbot, server, make_client) -> None:
    app, them = scrolled_home(qtbot, server, make_client, "dotter", "dotted")
    view = item(app, "homeList")
    them.bark("while scrolled")
    qtbot.waitUntil(lambda: bool(items(app, "newBarksPill")), timeout=WAIT_MS)
    assert prop(item(app, "newBarksText"), "text") == "↑ 1 new bark"
    view.setProperty("contentY", prop(view, "originY"))  # scrolled up by hand: seen, the pill goes
    qtbot.waitUntil(lambda: not items(app, "newBarksPill"), timeout=WAIT_MS)

    view.setProperty("contentY", prop(view, "originY") + 400)
    them.bark("while scrolled again")
    qtbot.waitUntil(lambda: bool(items(app, "newBarksPill")), timeout=WAIT_MS)
    app.window.requestActivate()
    qtbot.waitUntil(lambda: app.window.isActive(), timeout=WAIT_MS)
    item(app, "homeList").forceActiveFocus()  # not in a text field: "." is a shortcut
    QTest.keyClick(app.window, Qt.Key.Key_Period)
    qtbot.waitUntil(lambda: at_top(app), timeout=WAIT_MS)
    assert first_in_view(app)[0] == "while scrolled again" and not items(app, "newBarksPill")


def test_my_bark_posted_from_a_scrolled_list_scrolls_to_the_top(qtbot, server, make_client) -> None:
    app, _ = scrolled_home(qtbot, server, make_client, "poster", "postee", slightly=True)
    box: QQuickItem = item(app, "composeText")
    type_text(app, box, "my own, seen at once")
    click(app, item(app, "composeButton"))
    qtbot.waitUntil(lambda: app.home.model.rows[0]["text"] == "my own, seen at once", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: at_top(app), timeout=WAIT_MS)
    assert first_in_view(app)[0] == "my own, seen at once" and not items(app, "newBarksPill")
