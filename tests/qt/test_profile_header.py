"""A profile's header: the handle is whole whenever it has the room (it elides only when it truly lacks it, see
test_narrow_window.py), and the avatar's letter is the name's first character as a reader sees it, never half
of an emoji."""

from __future__ import annotations

from tests.live.client import User
from tests.qt.ui import WAIT_MS, item, log_in, prop, set_width


def test_a_handle_with_room_is_not_elided(qtbot, server, make_client) -> None:
    ken = User(server.base, "ken_stroustrup")
    ken.call("PATCH", "/v1/me", json={"display_name": "Ken Stroustrup"})
    User(server.base, "reader")
    app = make_client(server.base)
    log_in(qtbot, app, server.base, "reader")
    for width in (1000, 600):
        set_width(qtbot, app, width)
        app.nav.openProfile(ken.handle)
        qtbot.waitUntil(lambda: app.profile.user.get("handle") == ken.handle, timeout=WAIT_MS)
        label = item(app, "profileHandle")
        qtbot.waitUntil(lambda lbl=label: prop(lbl, "text") == "@ken_stroustrup", timeout=WAIT_MS)
        label.ensurePolished()
        assert not prop(label, "truncated")
        assert label.width() >= prop(label, "implicitWidth")


# A name's first character with what joins onto it. (q + a combining dot: NFC, which the server applies, has no
# single character for it, so the mark stays apart.)
INITIALS = [("🐶 Rex", "🐶"), ("😀", "😀"), ("🇩🇪 Berlin", "🇩🇪"), ("👩\u200d👩\u200d👧 family", "👩\u200d👩\u200d👧"),
            ("👍🏽 thumbs", "👍🏽"), ("❤️ love", "❤️"), ("q\u0307uill", "Q\u0307"), ("ada", "A")]


def test_the_avatar_letter_is_a_whole_character(qtbot, server, make_client) -> None:
    for n, (name, _) in enumerate(INITIALS):
        User(server.base, f"face_{n}").call("PATCH", "/v1/me", json={"display_name": name})
    User(server.base, "looker")
    app = make_client(server.base)
    log_in(qtbot, app, server.base, "looker")
    for n, (name, initial) in enumerate(INITIALS):
        app.nav.openProfile(f"face_{n}")
        qtbot.waitUntil(lambda nm=name: app.profile.user.get("display_name") == nm, timeout=WAIT_MS)
        letter = item(app, "avatarInitial", item(app, "profileAvatar"))
        qtbot.waitUntil(lambda lt=letter, i=initial: prop(lt, "text") == i, timeout=WAIT_MS)
