"""The client by keyboard, against a real server: every key goes to the window as a keyboard would send it (so
shortcuts, the focus chain and the focused field all take part). Log in by typing and Enter (the other tests log
in with the usual helper, then use only keys, so each fails on its own point without its feature), post with
Ctrl+Enter, Tab out of the compose box, / for search, J / K through the barks, R to reply, L to react, the
side bar's pages by Alt+digit, G then H / N, and by Tab and Space, the ? overlay that lists the shortcuts, people in
lists (J / K or Tab, then Enter or Space opens a profile), and the forced password change."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtQuick import QQuickItem
from PySide6.QtTest import QTest

from client_qt.app import ClientApp
from tests.accounts import as_admin, make_admin
from tests.live.client import User
from tests.qt.ui import WAIT_MS, click, item, items, log_in, prop

Key = Qt.Key
Mod = Qt.KeyboardModifier


def press(app: ClientApp, key: Key, modifier: Mod = Mod.NoModifier) -> None:
    QTest.keyClick(app.window, key, modifier)


def typed(app: ClientApp, text: str) -> None:
    """Characters as the keyboard sends them, to whatever has the keyboard."""
    for char in text:
        QTest.keyClick(app.window, char)


def focus(app: ClientApp) -> QQuickItem | None:
    return app.window.activeFocusItem()


def has_focus(app: ClientApp, name: str, within: str | None = None) -> bool:
    """The keyboard is on the item named `name` (inside an item named `within`, if given)."""
    node = focus(app)
    if node is None or node.objectName() != name:
        return False
    while within is not None and node is not None and node.objectName() != within:
        node = node.parentItem()
    return node is not None


def start(qtbot, make_client, server) -> ClientApp:
    """A client window that has the keyboard (offscreen, only the window asked to be active gets keys)."""
    app = make_client(server.base)
    app.window.requestActivate()
    qtbot.waitUntil(lambda: QGuiApplication.focusWindow() is app.window, timeout=WAIT_MS)
    return app


def log_in_by_keyboard(qtbot, app: ClientApp, server, handle: str) -> None:
    """The handle field has the keyboard at launch: type the handle, Tab, the password, Enter."""
    item(app, "loginServer").setProperty("text", server.base)
    qtbot.waitUntil(lambda: has_focus(app, "loginHandle"), timeout=WAIT_MS)
    typed(app, handle)
    press(app, Key.Key_Tab)
    assert has_focus(app, "loginPassword")
    typed(app, "correct horse")
    press(app, Key.Key_Return)
    qtbot.waitUntil(lambda: app.session.loggedIn, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: app.stream.state == "live" and app.home.loaded, timeout=WAIT_MS)


def leave_field(qtbot, app: ClientApp) -> None:
    """Esc: out of the text field, so the letter keys are shortcuts again."""
    press(app, Key.Key_Escape)
    qtbot.waitUntil(lambda: focus(app) is None or not focus(app).inherits("QQuickTextEdit"), timeout=WAIT_MS)


def current_bark(app: ClientApp, list_name: str) -> QQuickItem:
    return item(app, list_name).property("currentItem")


def test_log_in_by_typing_then_write_and_post_with_ctrl_enter(qtbot, server, make_client) -> None:
    kay = User(server.base, "kay")
    app = start(qtbot, make_client, server)
    log_in_by_keyboard(qtbot, app, server, "kay")

    # Home opens with the compose box ready: type, Ctrl+Enter posts.
    qtbot.waitUntil(lambda: has_focus(app, "composeText"), timeout=WAIT_MS)
    typed(app, "posted without a mouse")
    assert app.compose.text == "posted without a mouse"
    press(app, Key.Key_Return, Mod.ControlModifier)
    qtbot.waitUntil(lambda: app.compose.text == "", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: any(r["text"] == "posted without a mouse" for r in app.home.model.rows), timeout=WAIT_MS)
    assert [b["text"] for b in kay.call("GET", "/v1/users/kay/barks")["items"]] == ["posted without a mouse"]


def test_tab_leaves_the_compose_box_without_inserting_a_tab(qtbot, server, make_client) -> None:
    User(server.base, "lee")
    app = start(qtbot, make_client, server)
    log_in(qtbot, app, server.base, "lee")
    click(app, item(app, "composeText"))
    typed(app, "half a thought")
    press(app, Key.Key_Tab)
    assert not has_focus(app, "composeText")
    assert app.compose.text == "half a thought"  # no tab in it
    press(app, Key.Key_Backtab, Mod.ShiftModifier)
    assert has_focus(app, "composeText")
    assert app.compose.text == "half a thought"
    # Ctrl+Return posts as Ctrl+Enter does.
    press(app, Key.Key_Return, Mod.ControlModifier)
    qtbot.waitUntil(lambda: any(r["text"] == "half a thought" for r in app.home.model.rows), timeout=WAIT_MS)


def test_slash_focuses_search_and_letters_then_are_text(qtbot, server, make_client) -> None:
    User(server.base, "mae")
    app = start(qtbot, make_client, server)
    log_in(qtbot, app, server.base, "mae")
    leave_field(qtbot, app)
    press(app, Key.Key_Slash)
    qtbot.waitUntil(lambda: app.nav.page == "search", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: has_focus(app, "searchField"), timeout=WAIT_MS)
    typed(app, "gnjk")  # shortcut letters, typed into the field: no page changes, no bark moves
    assert prop(item(app, "searchField"), "text") == "gnjk"
    assert app.nav.page == "search"
    # N leaves for Home's compose box once the field lets go of the keyboard.
    leave_field(qtbot, app)
    press(app, Key.Key_N)
    qtbot.waitUntil(lambda: app.nav.page == "home" and has_focus(app, "composeText"), timeout=WAIT_MS)


def test_j_and_k_move_the_current_bark_and_r_replies_to_it(qtbot, server, make_client) -> None:
    ned = User(server.base, "ned")
    barks = [ned.bark(f"number {n}") for n in range(3)]  # newest first on screen: 2, 1, 0
    app = start(qtbot, make_client, server)
    log_in(qtbot, app, server.base, "ned")
    qtbot.waitUntil(lambda: app.home.model.rowCount() == 3, timeout=WAIT_MS)
    leave_field(qtbot, app)
    homeList = item(app, "homeList")

    press(app, Key.Key_J)  # the first J picks the top bark
    qtbot.waitUntil(lambda: current_bark(app, "homeList") is not None and homeList.hasActiveFocus(), timeout=WAIT_MS)
    assert homeList.property("currentIndex") == 0
    top = current_bark(app, "homeList")
    assert prop(top, "current") and items(app, "currentRing", top)  # the ring shows which bark is current
    press(app, Key.Key_J)
    press(app, Key.Key_J)
    assert homeList.property("currentIndex") == 2
    press(app, Key.Key_J)  # the last stays the last
    assert homeList.property("currentIndex") == 2
    press(app, Key.Key_K)
    assert homeList.property("currentIndex") == 1
    assert not prop(top, "current") and not items(app, "currentRing", top)
    middle = current_bark(app, "homeList")
    assert prop(middle, "barkId") == barks[1]["id"]

    # R: the reply to that bark, in its thread, with the keyboard in the reply box.
    press(app, Key.Key_R)
    qtbot.waitUntil(lambda: app.nav.page == "thread" and app.compose.replying, timeout=WAIT_MS)
    assert app.compose.property("replyId") == barks[1]["id"]
    qtbot.waitUntil(lambda: has_focus(app, "composeText", within="threadCompose"), timeout=WAIT_MS)
    typed(app, "answered by keys")
    press(app, Key.Key_Enter, Mod.ControlModifier)
    qtbot.waitUntil(lambda: not app.compose.replying, timeout=WAIT_MS)
    assert ned.call("GET", f"/v1/barks/{barks[1]['id']}")["reply_count"] == 1
    assert ned.call("GET", f"/v1/barks/{barks[0]['id']}")["reply_count"] == 0


def test_l_reacts_to_the_current_bark(qtbot, server, make_client) -> None:
    oz = User(server.base, "oz")
    older, newer = oz.bark("older"), oz.bark("newer")
    app = start(qtbot, make_client, server)
    log_in(qtbot, app, server.base, "oz")
    qtbot.waitUntil(lambda: app.home.model.rowCount() == 2, timeout=WAIT_MS)
    leave_field(qtbot, app)
    press(app, Key.Key_J)
    press(app, Key.Key_J)
    press(app, Key.Key_L)

    def dogs(bark_id: int) -> int:
        return oz.call("GET", f"/v1/barks/{bark_id}")["reactions"].get("🐶", 0)
    qtbot.waitUntil(lambda: dogs(older["id"]) == 1, timeout=WAIT_MS)
    assert dogs(newer["id"]) == 0
    qtbot.waitUntil(lambda: bool(items(app, "reaction_🐶", current_bark(app, "homeList"))), timeout=WAIT_MS)
    press(app, Key.Key_L)  # again: taken back
    qtbot.waitUntil(lambda: not dogs(older["id"]), timeout=WAIT_MS)


def test_p_opens_the_current_barks_author(qtbot, server, make_client) -> None:
    pax, pell = User(server.base, "pax"), User(server.base, "pell")
    pax.follow(pell)
    pax.bark("mine, older")
    pell.bark("theirs, newer")
    app = start(qtbot, make_client, server)
    log_in(qtbot, app, server.base, "pax")
    qtbot.waitUntil(lambda: app.home.model.rowCount() == 2, timeout=WAIT_MS)
    leave_field(qtbot, app)
    press(app, Key.Key_J)
    press(app, Key.Key_J)  # the second: my own bark
    press(app, Key.Key_P)
    qtbot.waitUntil(lambda: app.nav.page == "profile" and app.profile.handle == "pax", timeout=WAIT_MS)
    press(app, Key.Key_G)
    press(app, Key.Key_H)
    qtbot.waitUntil(lambda: app.nav.page == "home", timeout=WAIT_MS)
    leave_field(qtbot, app)
    press(app, Key.Key_K)  # back up to the top bark: pell's
    press(app, Key.Key_K)
    press(app, Key.Key_P)
    qtbot.waitUntil(lambda: app.nav.page == "profile" and app.profile.handle == "pell", timeout=WAIT_MS)


def test_the_side_bar_pages_by_alt_digits_g_chords_and_tab(qtbot, server, make_client) -> None:
    User(server.base, "pia")
    app = start(qtbot, make_client, server)
    log_in(qtbot, app, server.base, "pia")
    order = ["home", "profile", "nearby", "suggestions", "search", "notifications", "bookmarks", "settings"]
    for n, page in reversed(list(enumerate(order, start=1))):
        press(app, getattr(Key, f"Key_{n}"), Mod.AltModifier)
        qtbot.waitUntil(lambda page=page: app.nav.page == page, timeout=WAIT_MS)
    assert app.profile.property("handle") == "pia"  # Alt+2: my own profile

    press(app, Key.Key_Escape)  # Alt+1 put the keyboard in the compose box
    press(app, Key.Key_G)
    press(app, Key.Key_N)
    qtbot.waitUntil(lambda: app.nav.page == "notifications", timeout=WAIT_MS)
    press(app, Key.Key_G)
    press(app, Key.Key_H)
    qtbot.waitUntil(lambda: app.nav.page == "home", timeout=WAIT_MS)

    # Tab reaches the side bar (backwards from the compose box: Log out, then the last page), with a ring; Space
    # opens the page.
    qtbot.waitUntil(lambda: has_focus(app, "composeText"), timeout=WAIT_MS)
    press(app, Key.Key_Backtab, Mod.ShiftModifier)
    press(app, Key.Key_Backtab, Mod.ShiftModifier)
    assert has_focus(app, "nav_settings")
    assert items(app, "focusRing", item(app, "nav_settings"))
    press(app, Key.Key_Space)
    qtbot.waitUntil(lambda: app.nav.page == "settings", timeout=WAIT_MS)


def test_question_mark_opens_the_shortcut_list_and_esc_closes_it(qtbot, server, make_client) -> None:
    User(server.base, "quin")
    app = start(qtbot, make_client, server)
    log_in(qtbot, app, server.base, "quin")
    click(app, item(app, "composeText"))
    press(app, Key.Key_Question)  # in the compose box: a question mark, not the list
    assert not items(app, "shortcutHelp") and app.compose.text == "?"
    leave_field(qtbot, app)
    press(app, Key.Key_Question)
    qtbot.waitUntil(lambda: bool(items(app, "shortcutHelp")), timeout=WAIT_MS)
    listed = [prop(i, "text") for n in range(20) for i in items(app, f"shortcutKeys_{n}")]
    for keys in ("N", "/", ".", "J  /  K", "R", "L", "G then H", "G then N", "Ctrl+Enter", "Esc"):
        assert keys in listed, listed
    press(app, Key.Key_N)  # the list is open: no shortcut under it
    assert app.nav.page == "home" and items(app, "shortcutHelp")
    press(app, Key.Key_Escape)
    qtbot.waitUntil(lambda: not items(app, "shortcutHelp"), timeout=WAIT_MS)


def test_notifications_by_j_and_enter(qtbot, server, make_client) -> None:
    rae, sam = User(server.base, "rae"), User(server.base, "sam")
    sam.follow(rae)
    app = start(qtbot, make_client, server)
    log_in(qtbot, app, server.base, "rae")
    leave_field(qtbot, app)
    press(app, Key.Key_G)
    press(app, Key.Key_N)
    qtbot.waitUntil(lambda: bool(items(app, "notification_follow_sam")), timeout=WAIT_MS)
    press(app, Key.Key_J)
    qtbot.waitUntil(lambda: bool(items(app, "currentRing", item(app, "notification_follow_sam"))), timeout=WAIT_MS)
    press(app, Key.Key_R)  # no bark to reply to: nothing happens
    assert app.nav.page == "notifications" and not app.compose.replying
    press(app, Key.Key_Return)
    qtbot.waitUntil(lambda: app.nav.page == "profile" and app.profile.property("handle") == "sam", timeout=WAIT_MS)


def tab_until(app: ClientApp, name: str, tries: int = 40) -> None:
    """Tab on until the keyboard is on the item named `name` (it must be a Tab stop)."""
    for _ in range(tries):
        if has_focus(app, name):
            return
        press(app, Key.Key_Tab)
    assert has_focus(app, name), f"Tab never reaches {name!r}"


def test_people_in_a_list_by_j_and_enter_and_by_tab_and_space(qtbot, server, make_client) -> None:
    User(server.base, "quill")
    for handle in ("quaid_a", "quaid_b"):
        User(server.base, handle)
    app = start(qtbot, make_client, server)
    log_in(qtbot, app, server.base, "quill")
    leave_field(qtbot, app)
    press(app, Key.Key_Slash)  # Search opens with its field focused
    qtbot.waitUntil(lambda: has_focus(app, "searchField"), timeout=WAIT_MS)
    typed(app, "quaid")
    qtbot.waitUntil(lambda: app.search.model.count == 2, timeout=WAIT_MS)
    leave_field(qtbot, app)

    press(app, Key.Key_J)  # the first person in view, with a ring; J again: the next one
    qtbot.waitUntil(lambda: bool(items(app, "currentRing", item(app, "user_quaid_a"))), timeout=WAIT_MS)
    press(app, Key.Key_J)
    qtbot.waitUntil(lambda: bool(items(app, "currentRing", item(app, "user_quaid_b"))), timeout=WAIT_MS)
    assert not items(app, "currentRing", item(app, "user_quaid_a"))
    press(app, Key.Key_Return)
    qtbot.waitUntil(lambda: app.nav.page == "profile" and app.profile.property("handle") == "quaid_b",
                    timeout=WAIT_MS)

    # By Tab: the list is one stop, its current person (ringed), then that person's Follow button; Space on the
    # person opens the profile.
    press(app, Key.Key_Slash)
    qtbot.waitUntil(lambda: has_focus(app, "searchField"), timeout=WAIT_MS)
    tab_until(app, "user_quaid_b")
    qtbot.waitUntil(lambda: bool(items(app, "currentRing", item(app, "user_quaid_b"))), timeout=WAIT_MS)
    press(app, Key.Key_Tab)
    assert has_focus(app, "followButton", "user_quaid_b")
    press(app, Key.Key_Tab)  # out of the list: the other person's Follow button is no Tab stop
    assert not has_focus(app, "followButton", "user_quaid_a")
    tab_until(app, "user_quaid_b")  # once round, back to the person (not to the button that last had it)
    press(app, Key.Key_K)
    qtbot.waitUntil(lambda: bool(items(app, "currentRing", item(app, "user_quaid_a"))), timeout=WAIT_MS)
    press(app, Key.Key_Space)
    qtbot.waitUntil(lambda: app.nav.page == "profile" and app.profile.property("handle") == "quaid_a",
                    timeout=WAIT_MS)


def test_suggested_people_by_j_and_space(qtbot, server, make_client) -> None:
    rho, sig, tau = User(server.base, "rho"), User(server.base, "sig"), User(server.base, "tau")
    rho.follow(sig)
    sig.follow(tau)  # followed by someone rho follows: suggested to rho
    app = start(qtbot, make_client, server)
    log_in(qtbot, app, server.base, "rho")
    press(app, Key.Key_Escape)
    press(app, Key.Key_4, Mod.AltModifier)
    qtbot.waitUntil(lambda: app.nav.page == "suggestions" and bool(items(app, "user_tau")), timeout=WAIT_MS)
    press(app, Key.Key_J)
    qtbot.waitUntil(lambda: bool(items(app, "currentRing", item(app, "user_tau"))), timeout=WAIT_MS)
    press(app, Key.Key_Tab)  # the current suggestion's buttons, with a ring
    assert has_focus(app, "followButton", "user_tau")
    press(app, Key.Key_Tab)
    assert has_focus(app, "dismiss", "user_tau") and items(app, "focusRing", item(app, "dismiss"))
    press(app, Key.Key_Backtab, Mod.ShiftModifier)
    press(app, Key.Key_Backtab, Mod.ShiftModifier)
    assert has_focus(app, "user_tau")
    press(app, Key.Key_Space)
    qtbot.waitUntil(lambda: app.nav.page == "profile" and app.profile.property("handle") == "tau", timeout=WAIT_MS)


def test_search_opened_from_the_side_bar_has_the_keyboard_in_its_field(qtbot, server, make_client) -> None:
    User(server.base, "uma")
    app = start(qtbot, make_client, server)
    log_in(qtbot, app, server.base, "uma")
    click(app, item(app, "nav_search"))
    qtbot.waitUntil(lambda: has_focus(app, "searchField"), timeout=WAIT_MS)


def test_the_forced_password_change_by_keyboard_alone(qtbot, server, make_client) -> None:
    User(server.base, "val")
    auth = make_admin(server, "keyadmin")
    one_time = as_admin(server, auth, "POST", "/v1/admin/accounts/val/password")["password"]
    app = start(qtbot, make_client, server)
    item(app, "loginServer").setProperty("text", server.base)
    qtbot.waitUntil(lambda: has_focus(app, "loginHandle"), timeout=WAIT_MS)
    typed(app, "val")
    press(app, Key.Key_Tab)
    typed(app, one_time)
    press(app, Key.Key_Return)
    qtbot.waitUntil(lambda: app.session.mustChangePassword, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: has_focus(app, "forcedOld"), timeout=WAIT_MS)  # the first field has the keyboard
    typed(app, one_time)
    press(app, Key.Key_Return)  # on to the next field
    assert has_focus(app, "forcedNew")
    typed(app, "a brand new secret")
    press(app, Key.Key_Tab)
    assert has_focus(app, "forcedRepeat")
    typed(app, "a brand new secret")
    press(app, Key.Key_Return)
    qtbot.waitUntil(lambda: not app.session.mustChangePassword and app.stream.state == "live", timeout=WAIT_MS)
