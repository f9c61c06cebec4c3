"""Labels that must be read whole: "follows you" on a person's row, and the names on the radar."""

from __future__ import annotations

from PySide6.QtCore import QPointF

from tests.live.client import User
from tests.qt.ui import WAIT_MS, item, items, log_in, prop, set_width, type_text


def within(outer, inner) -> bool:
    corner = outer.mapFromItem(inner, QPointF(0, 0))
    far = outer.mapFromItem(inner, QPointF(inner.width(), inner.height()))
    return corner.x() >= -0.5 and corner.y() >= -0.5 and far.x() <= outer.width() + 0.5 \
        and far.y() <= outer.height() + 0.5


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

