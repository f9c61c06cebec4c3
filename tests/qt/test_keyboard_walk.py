"""A keyboard-only walk through every view (issue 20, item 7): logged in by typing, each view is reached by keys
alone (Alt+digits, G chords, /, J and Enter on a row, Tab and Space on a button) with content in it, then Tab is
pressed until the focus comes back to where it started. In every view, every visible, enabled control must be a
stop of that cycle (a list of barks or people is one stop: only its current row's buttons are Tab stops, so only
those are counted), every stop must show a focus ring, focus never lands on a hidden item nor stays put, and
Shift+Tab walks the same cycle backwards."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from PySide6.QtQml import QQmlExpression
from PySide6.QtQuick import QQuickItem

from client_qt.app import ClientApp
from tests.accounts import as_admin, make_admin
from tests.live.client import User
from tests.qt.test_keyboard import Key, Mod, focus, has_focus, leave_field, log_in_by_keyboard, press, start, typed
from tests.qt.test_media import picture
from tests.qt.ui import WAIT_MS, items, prop

MAX_STOPS = 200  # a cycle longer than this is a trap (or a list that is not one stop)
TEXT_FIELDS = ("QQuickTextInput", "QQuickTextEdit")
CONTROLS = ("QQuickAbstractButton", "QQuickComboBox", "QQuickSpinBox", *TEXT_FIELDS)


def walk(root: QQuickItem) -> Iterator[QQuickItem]:
    yield root
    for child in root.childItems():
        yield from walk(child)


def describe(node: QQuickItem | None) -> str:
    """The item's objectName path (its class when it has none), for the messages."""
    names = []
    while node is not None:
        if node.objectName():
            names.append(node.objectName())
        elif not names:
            names.append(node.metaObject().className())
        node = node.parentItem()
    return "/".join(reversed(names[:3]))


def list_row(node: QQuickItem) -> tuple[QQuickItem, QQuickItem] | None:
    """(the ListView, the delegate) when the item is in a row of a list (not its header or footer)."""
    while node is not None:
        parent = node.parentItem()
        view = parent.parentItem() if parent is not None else None
        if view is not None and view.inherits("QQuickListView") and view.property("contentItem") is parent \
                and node not in (view.property("headerItem"), view.property("footerItem")):
            return view, node
        node = parent
    return None


def interactive(node: QQuickItem) -> bool:
    return any(node.inherits(kind) for kind in CONTROLS) or node.activeFocusOnTab()


def expected_stops(root: QQuickItem) -> set[QQuickItem]:
    """The visible, enabled controls of the window (side bar, top bar, the page shown), in lists only the current
    row's; and the lists that have rows."""
    found = set()
    for node in walk(root):
        if node.isVisible() and node.inherits("QQuickListView") and node.property("count") > 0:
            found.add(node)  # a list with rows: its current row (or the list) is a stop
        if not (node.isVisible() and node.isEnabled() and interactive(node)):
            continue
        if any(node.inherits(kind) for kind in TEXT_FIELDS) and node.property("readOnly"):
            continue  # text to read and select, not to type into
        row = list_row(node)
        if row is not None and row[0].property("currentItem") is not row[1]:
            continue
        found.add(node)
    return found


def stop_of(node: QQuickItem | None) -> QQuickItem | None:
    """The control that has the keyboard: the focus item or its nearest interactive ancestor (a combo box's
    inner field, say)."""
    while node is not None and not interactive(node):
        node = node.parentItem()
    return node


def ring_shown(node: QQuickItem) -> bool:
    """A FocusRing.qml shows on it (a list's: on its current row)."""
    if node.inherits("QQuickListView"):
        node = node.property("currentItem")
        if node is None:
            return False
    return any(n.objectName() in ("focusRing", "currentRing") and n.isVisible() for n in walk(node))


def outline(app: ClientApp, field: QQuickItem) -> str:
    """The text field's frame colour (its style draws it in the highlight colour while it has the keyboard)."""
    colour, _ = QQmlExpression(app.engine.rootContext(), field,
                               "background && background.border ? String(background.border.color) : ''").evaluate()
    return str(colour)


def tab_cycle(app: ClientApp, root: QQuickItem, view: str, key: Key, modifier: Mod) -> tuple[list[QQuickItem], set]:
    """Press the key until the focus is back on the first stop; the stops in order, and the controls that were
    there all the way (the compose box shows its buttons only while it is in use). Each stop must be visible,
    show a focus ring (a text field: its highlighted frame) and differ from the one before."""
    press(app, key, modifier)
    first = stop_of(focus(app))
    assert first is not None, f"{view}: the key put the focus nowhere"
    stops, always_there = [first], expected_stops(root)
    for _ in range(MAX_STOPS):
        node = stop_of(focus(app))
        assert node is not None and node.isVisible(), f"{view}: focus on a hidden item {describe(node)}"
        field = any(node.inherits(kind) for kind in TEXT_FIELDS)
        focused_frame = outline(app, node) if field else ""
        assert field or ring_shown(node), f"{view}: no focus ring on {describe(node)}"
        press(app, key, modifier)
        after = stop_of(focus(app))
        always_there &= expected_stops(root)
        if field and after is not node:  # its frame changes colour as the keyboard leaves it
            assert focused_frame and focused_frame != outline(app, node), f"{view}: no focus frame on {describe(node)}"
        if after is first:  # round (a dialog with one button: at once)
            break
        assert after is not node, f"{view}: focus stuck on {describe(node)}"
        stops.append(after)
    else:
        raise AssertionError(f"{view}: Tab never came back to {describe(first)}; the path: "
                             + " → ".join(describe(n) for n in stops))
    return stops, always_there


def check_view(app: ClientApp, view: str, root: QQuickItem | None = None) -> None:
    """The Tab cycle of the window (or of the dialog `root`, which holds the keyboard while it is open)."""
    root = root or app.window.contentItem()
    forward, always_there = tab_cycle(app, root, view, Key.Key_Tab, Mod.NoModifier)
    reached = set(forward) | {row[0] for row in map(list_row, forward) if row is not None}
    missed = always_there - reached
    assert not missed, f"{view}: not reachable by Tab: " + ", ".join(sorted(describe(n) for n in missed)) \
        + "\nthe Tab path: " + " → ".join(describe(n) for n in forward)
    # Backwards from the first stop: the same stops, the other way round. (Except the compose box's buttons: not
    # in use, the box is its one line of text, so Shift+Tab comes to the text first; its buttons show as it takes
    # the keyboard, after it, and Tab reaches them.)
    backward, _ = tab_cycle(app, root, view, Key.Key_Backtab, Mod.ShiftModifier)
    forward = [n for n in forward if n in backward or n.objectName() not in ("attachButton", "composeButton")]
    start_at = backward.index(forward[0]) if forward[0] in backward else 0
    backward = backward[start_at:] + backward[:start_at]
    assert backward == [forward[0], *forward[:0:-1]], f"{view}: Shift+Tab goes another way:\n" \
        + " → ".join(describe(n) for n in backward) + "\nTab: " + " → ".join(describe(n) for n in forward)


def seed(server, tmp_path: Path) -> dict:
    me, wanda, fern = User(server.base, "walker"), User(server.base, "wanda"), User(server.base, "fern")
    sid, bram, muir = User(server.base, "sid"), User(server.base, "bram"), User(server.base, "muir")
    as_admin(server, make_admin(server, "walkboss"), "PUT", "/v1/admin/accounts/walker/role", {"role": "moderator"})
    with open(picture(tmp_path / "sky.png"), "rb") as f:
        image = me.call("POST", "/v1/media", files={"file": ("sky.png", f, "image/png")},
                        data={"description": "A yellow sun"})
    mine = me.call("POST", "/v1/barks", json={"text": "the sky today #walktag", "media_ids": [image["id"]]})
    me.follow(fern)
    fern.follow(sid)  # sid is suggested to me
    wanda.follow(me)  # a follower, and a notification
    fern.follow(me)
    fern_bark = fern.bark("a walk in the park #walktag")
    wanda.call("POST", "/v1/barks", json={"text": "lovely @walker", "reply_to": mine["id"]})
    me.call("PUT", f"/v1/barks/{fern_bark['id']}/bookmark")
    for user, lon in ((me, 13.40), (wanda, 13.41)):
        user.call("PUT", "/v1/me/location", json={"lat": 52.52, "lon": lon})
    me.call("PUT", f"/v1/me/blocks/{bram.handle}")
    me.call("PUT", f"/v1/me/mutes/{muir.handle}")
    spam = wanda.bark("buy followers")
    fern.call("POST", "/v1/reports", json={"handle": "wanda", "reason": "spam", "bark_ids": [spam["id"]]})
    return {"mine": mine}


def dialog(app: ClientApp, button: str) -> QQuickItem:
    """The open dialog that holds the button named `button`."""
    node = items(app, button)[0] if items(app, button) else None
    while node is not None and not node.inherits("QQuickPopupItem"):
        node = node.parentItem()
    assert node is not None, f"no dialog open with {button!r}"
    return node


def check_dialog(qtbot, app: ClientApp, opener: str, button: str) -> None:
    """Tab to the button named `opener`, Space: a dialog with `button`; its own cycle; Esc closes it."""
    tab_to(app, opener)
    press(app, Key.Key_Space)
    qtbot.waitUntil(lambda: bool(items(app, button)), timeout=WAIT_MS)
    check_view(app, f"the dialog of {opener}", dialog(app, button))
    press(app, Key.Key_Escape)
    qtbot.waitUntil(lambda: not items(app, button), timeout=WAIT_MS)


def alt(qtbot, app: ClientApp, digit: int, page: str) -> None:
    press(app, getattr(Key, f"Key_{digit}"), Mod.AltModifier)
    qtbot.waitUntil(lambda: app.nav.page == page, timeout=WAIT_MS)


def tab_to(app: ClientApp, name: str) -> None:
    for _ in range(MAX_STOPS):
        if has_focus(app, name):
            return
        press(app, Key.Key_Tab)
    raise AssertionError(f"Tab never reaches {name!r}")


def test_every_view_by_tab_and_shift_tab(qtbot, server, make_client, tmp_path) -> None:
    seeded = seed(server, tmp_path)
    app = start(qtbot, make_client, server)
    log_in_by_keyboard(qtbot, app, server, "walker")

    qtbot.waitUntil(lambda: app.home.model.count >= 2 and bool(items(app, "mediaThumb")), timeout=WAIT_MS)
    check_view(app, "home")

    leave_field(qtbot, app)  # the walk ended in the compose box
    for _ in range(app.home.model.count):  # J to my bark (the one with the image), Enter opens its thread
        press(app, Key.Key_J)
        if prop(focus(app), "barkId") == seeded["mine"]["id"]:
            break
    press(app, Key.Key_Return)
    qtbot.waitUntil(lambda: app.nav.page == "thread" and len(app.thread.model.rows) == 2, timeout=WAIT_MS)
    check_view(app, "thread")
    press(app, Key.Key_J)  # R: the reply box, with the bark replied to and its ×
    press(app, Key.Key_R)
    qtbot.waitUntil(lambda: app.compose.replying and has_focus(app, "composeText", within="threadCompose"),
                    timeout=WAIT_MS)
    check_view(app, "thread, replying")

    press(app, Key.Key_Escape)
    press(app, Key.Key_G)
    press(app, Key.Key_N)
    qtbot.waitUntil(lambda: app.nav.page == "notifications" and app.notifications.model.count >= 2, timeout=WAIT_MS)
    check_view(app, "notifications")

    alt(qtbot, app, 2, "profile")
    qtbot.waitUntil(lambda: app.profile.barks.model.count > 0, timeout=WAIT_MS)
    check_view(app, "my profile")
    check_dialog(qtbot, app, "deleteButton", "confirmAccept")
    check_dialog(qtbot, app, "mediaThumbFrame_0", "viewerClose")  # the image viewer
    tab_to(app, "profileFollowers")
    press(app, Key.Key_Space)
    qtbot.waitUntil(lambda: app.nav.page == "people" and bool(items(app, "user_wanda")), timeout=WAIT_MS)
    check_view(app, "my followers")

    press(app, Key.Key_Slash)
    qtbot.waitUntil(lambda: has_focus(app, "searchField"), timeout=WAIT_MS)
    typed(app, "wanda")
    qtbot.waitUntil(lambda: app.search.model.count == 1 and bool(items(app, "trend_walktag")), timeout=WAIT_MS)
    leave_field(qtbot, app)
    check_view(app, "search")

    press(app, Key.Key_J)
    press(app, Key.Key_Return)
    qtbot.waitUntil(lambda: app.nav.page == "profile" and app.profile.property("handle") == "wanda", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: app.profile.barks.model.count > 0, timeout=WAIT_MS)
    check_view(app, "their profile")
    check_dialog(qtbot, app, "profileReport", "reportSend")
    check_dialog(qtbot, app, "profileMute", "safetyConfirm")

    press(app, Key.Key_Slash)
    leave_field(qtbot, app)
    tab_to(app, "trend_walktag")
    press(app, Key.Key_Space)
    qtbot.waitUntil(lambda: app.nav.page == "tag" and app.tag.barks.model.count == 2, timeout=WAIT_MS)
    check_view(app, "tag")

    alt(qtbot, app, 3, "nearby")
    qtbot.waitUntil(lambda: any(r["handle"] == "wanda" for r in app.nearby.model.rows), timeout=WAIT_MS)
    check_view(app, "nearby")

    alt(qtbot, app, 4, "suggestions")
    qtbot.waitUntil(lambda: any(r["handle"] == "sid" for r in app.suggestions.model.rows), timeout=WAIT_MS)
    check_view(app, "suggestions")

    alt(qtbot, app, 7, "bookmarks")
    qtbot.waitUntil(lambda: app.bookmarks.model.count == 1, timeout=WAIT_MS)
    check_view(app, "bookmarks")

    alt(qtbot, app, 8, "settings")
    qtbot.waitUntil(lambda: app.blocked.property("model").count == 1 and app.muted.property("model").count == 1,
                    timeout=WAIT_MS)
    check_view(app, "settings")
    check_dialog(qtbot, app, "deleteAccountButton", "deleteCancel")  # Esc: nothing deleted

    alt(qtbot, app, 9, "moderation")
    qtbot.waitUntil(lambda: len(app.moderation.property("queue")) == 1, timeout=WAIT_MS)
    check_view(app, "moderation")
    check_dialog(qtbot, app, "suspendReportedUser", "suspendCancel")
