"""Labels that must be read whole: "follows you" and a handle with room on a person's row, and the names on
the radar."""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF

from client_qt.formatting import radar_angle
from tests.live.client import User
from tests.qt.ui import WAIT_MS, item, items, log_in, prop, set_width, type_text


def within(outer, inner) -> bool:
    corner = outer.mapFromItem(inner, QPointF(0, 0))
    far = outer.mapFromItem(inner, QPointF(inner.width(), inner.height()))
    return corner.x() >= -0.5 and corner.y() >= -0.5 and far.x() <= outer.width() + 0.5 \
        and far.y() <= outer.height() + 0.5


def overlap(outer, a, b) -> bool:
    a0, a1 = outer.mapFromItem(a, QPointF(0, 0)), outer.mapFromItem(a, QPointF(a.width(), a.height()))
    b0, b1 = outer.mapFromItem(b, QPointF(0, 0)), outer.mapFromItem(b, QPointF(b.width(), b.height()))
    return a0.x() < b1.x() and b0.x() < a1.x() and a0.y() < b1.y() and b0.y() < a1.y()


def test_follows_you_is_never_cut_off(qtbot, server, make_client) -> None:
    fan = User(server.base, "a_rather_long_handle_of_a_fan")
    User(server.base, "idol")
    fan.call("PATCH", "/v1/me", json={"display_name": "A display name that takes room"})
    fan.call("PUT", "/v1/me/following/idol")
    app = make_client(server.base)
    log_in(qtbot, app, server.base, "idol")
    for width in (1100, 820):
        set_width(qtbot, app, width)
        app.nav.open("search")
        item(app, "searchField").setProperty("text", "")
        type_text(app, item(app, "searchField"), "a_rather")
        qtbot.waitUntil(lambda: bool(items(app, "user_a_rather_long_handle_of_a_fan")), timeout=WAIT_MS)
        row = item(app, "user_a_rather_long_handle_of_a_fan")
        row.ensurePolished()
        label = item(app, "followsYou", row)
        assert prop(label, "text") == "follows you"
        qtbot.waitUntil(lambda r=row, lbl=label: not prop(lbl, "truncated") and within(r, lbl), timeout=WAIT_MS)


def test_follows_you_on_a_profile_is_never_cut_off(qtbot, server, make_client) -> None:
    fan = User(server.base, "another_long_handle_of_a_fan")
    User(server.base, "star")
    fan.call("PUT", "/v1/me/following/star")
    app = make_client(server.base)
    log_in(qtbot, app, server.base, "star")
    for width in (1100, 600):
        set_width(qtbot, app, width)
        app.nav.openProfile(fan.handle)
        qtbot.waitUntil(lambda: app.profile.user.get("followed_by") is True, timeout=WAIT_MS)
        card, relation = item(app, "profileCard"), item(app, "profileRelation")
        assert prop(relation, "text") == "  · follows you"
        qtbot.waitUntil(lambda c=card, r=relation: not prop(r, "truncated") and within(c, r), timeout=WAIT_MS)


def test_a_short_handle_with_room_is_shown_whole(qtbot, server, make_client) -> None:
    """Its label was laid out a fraction of a pixel narrower than its text (layouts round down): "@eve ·"
    showed as "@ev…" with the whole row free."""
    fans = [User(server.base, h) for h in ("cy", "eve", "dee", "moe")]
    User(server.base, "celeb")
    for fan in fans:
        fan.call("PUT", "/v1/me/following/celeb")
    app = make_client(server.base)
    log_in(qtbot, app, server.base, "celeb")
    app.nav.openPeople("celeb", "followers")
    qtbot.waitUntil(lambda: all(items(app, f"user_{fan.handle}") for fan in fans), timeout=WAIT_MS)
    for fan in fans:
        label = item(app, "userHandle", item(app, f"user_{fan.handle}"))
        label.ensurePolished()
        qtbot.waitUntil(lambda lbl=label: lbl.width() > 0, timeout=WAIT_MS)
        assert prop(label, "text") == f"@{fan.handle} ·" and not prop(label, "truncated"), fan.handle


def handle_at(angle: float, prefix: str) -> str:
    """A long handle that the radar places near `angle` degrees (0: to the right of me, 180: to the left)."""
    def off(h: str) -> float:
        return abs(math.remainder(radar_angle(h) - angle, 360))
    return min((f"{prefix}{i:03d}" for i in range(400)), key=off)


def test_radar_names_stay_on_the_radar(qtbot, server, make_client) -> None:
    east, west = handle_at(0, "far_east_neighbour_"), handle_at(180, "far_west_neighbour_")
    for handle, lon in ((east, 14.5), (west, 12.3)):  # about 75 km either side
        User(server.base, handle).call("PUT", "/v1/me/location", json={"lat": 52.52, "lon": lon})
    User(server.base, "centre").call("PUT", "/v1/me/location", json={"lat": 52.52, "lon": 13.40})
    app = make_client(server.base)
    log_in(qtbot, app, server.base, "centre")
    for width in (1100, 820):
        set_width(qtbot, app, width)
        app.nav.open("nearby")
        qtbot.waitUntil(lambda: app.nearby.sharing and len(app.nearby.model.rows) == 2, timeout=WAIT_MS)
        radar = item(app, "radar")
        assert within(app.window.contentItem(), radar)  # the radar itself is not cut off by the window
        for handle in (east, west):
            qtbot.waitUntil(lambda h=handle: bool(items(app, "blipLabel", item(app, f"blip_{h}"))), timeout=WAIT_MS)
            label = item(app, "blipLabel", item(app, f"blip_{handle}"))
            assert prop(label, "text").startswith(f"@{handle} · ")
            qtbot.waitUntil(lambda r=radar, lbl=label: within(r, lbl), timeout=WAIT_MS)
        if width == 1100:  # with room, neither is pushed over the other (a 260 px radar has not the room)
            east_label, west_label = (item(app, "blipLabel", item(app, f"blip_{h}")) for h in (east, west))
            assert not overlap(radar, east_label, west_label)
