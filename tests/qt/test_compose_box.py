"""The compose box is one line while not in use (issue 20, a responsive layout): empty, unfocused, it is a
"What's happening?" field; it expands (counter, images, the button) when it has the keyboard (a click, Tab or
N) or something in it, and Tab still leaves it."""

from __future__ import annotations

from tests.live.client import User
from tests.qt.test_keyboard import Key, Mod, has_focus, leave_field, press, start, typed
from tests.qt.ui import WAIT_MS, click, item, items, log_in, prop

CONTROLS = ("composeCounter", "composeButton", "attachButton")


def expanded(app) -> bool:
    shown = [bool(items(app, name)) for name in CONTROLS]
    assert len(set(shown)) == 1, shown  # all or none
    return shown[0]


def test_the_compose_box_collapses_when_not_in_use(qtbot, server, make_client) -> None:
    User(server.base, "compact")
    app = start(qtbot, make_client, server)
    log_in(qtbot, app, server.base, "compact")
    qtbot.waitUntil(lambda: has_focus(app, "composeText"), timeout=WAIT_MS)  # Home opens ready to write
    assert expanded(app)
    tall = prop(item(app, "composeBox"), "height")

    leave_field(qtbot, app)  # empty and unfocused: one line
    qtbot.waitUntil(lambda: not expanded(app), timeout=WAIT_MS)
    assert prop(item(app, "composeText"), "placeholderText") == "What's happening?"
    qtbot.waitUntil(lambda: prop(item(app, "composeBox"), "height") < tall - 40, timeout=WAIT_MS)

    press(app, Key.Key_N)  # N: expanded, with the keyboard
    qtbot.waitUntil(lambda: has_focus(app, "composeText") and expanded(app), timeout=WAIT_MS)
    typed(app, "a draft")
    leave_field(qtbot, app)  # text in it: it stays open
    assert expanded(app) and app.compose.text == "a draft"

    # Tab moves on through the box's own controls (it stays open), then out of it.
    click(app, item(app, "composeText"))
    item(app, "composeText").setProperty("text", "")
    press(app, Key.Key_Tab)
    assert has_focus(app, "attachButton") and expanded(app)
    press(app, Key.Key_Tab)  # the button is disabled (nothing to post): the next stop is outside the box
    qtbot.waitUntil(lambda: not expanded(app), timeout=WAIT_MS)

    # A click opens it; Ctrl+Enter posts, and it stays open while it has the keyboard.
    click(app, item(app, "composeText"))
    qtbot.waitUntil(lambda: expanded(app), timeout=WAIT_MS)
    typed(app, "posted from the box")
    press(app, Key.Key_Return, Mod.ControlModifier)
    qtbot.waitUntil(lambda: app.home.model.count and app.home.model.rows[0]["text"] == "posted from the box",
                    timeout=WAIT_MS)
    assert app.compose.text == "" and expanded(app)
