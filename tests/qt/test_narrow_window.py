"""The window may be as narrow as 600 px, and every page still fits in it."""

from __future__ import annotations

from PySide6.QtCore import QPointF

from client_qt.app import PAGES
from tests.accounts import as_admin, make_admin
from tests.live.client import User
from tests.qt.ui import WAIT_MS, item, log_in, prop, set_width

NARROWEST = 600


def past_the_edge(node, right: float) -> list[str]:
    """The visible items under `node` that reach past x = `right` (window coordinates). An item with nothing
    of its own to draw (a plain Item with no children: a list's bookkeeping) is left out."""
    out = []
    for child in node.childItems():
        if not child.isVisible() or child.width() == 0 or child.opacity() == 0:
            continue
        if child.metaObject().className() == "QQuickItem" and not child.childItems():
            continue
        far = child.mapToScene(QPointF(child.width(), 0)).x()
        if far > right + 0.5:
            out.append(f"{child.objectName() or child.metaObject().className()} ends at {far:.0f}")
        out += past_the_edge(child, right)
    return out


def test_every_page_fits_a_600_px_window(qtbot, server, make_client) -> None:
    slim, wide = User(server.base, "slim"), User(server.base, "a_rather_long_handle_of_thirty")
    wide.call("PATCH", "/v1/me", json={"display_name": "W" * 50, "bio": "Mmmmmmmmmm" * 30})
    wide.follow(slim)
    slim.follow(wide)
    wide.bark("a bark with a long unbroken word: " + "x" * 200)
    for user, lon in ((slim, 13.40), (wide, 13.55)):
        user.call("PUT", "/v1/me/location", json={"lat": 52.52, "lon": lon})
    as_admin(server, make_admin(server, "boss"), "PUT", "/v1/admin/accounts/slim/role", {"role": "moderator"})
    app = make_client(server.base)
    log_in(qtbot, app, server.base, "slim")
    assert app.window.minimumWidth() <= NARROWEST
    set_width(qtbot, app, NARROWEST)
    app.search.setProperty("query", "a_rather")
    # What each page shows before it is measured (the others show what they show at once).
    ready = {"home": lambda: app.home.model.count > 0,
             "profile": lambda: app.profile.user.get("handle") == wide.handle and app.profile.barks.model.count > 0,
             "nearby": lambda: app.nearby.model.count > 0,
             "search": lambda: app.search.model.count > 0,
             "thread": lambda: app.thread.model.count > 0}
    for page in PAGES:
        if page == "profile":
            app.nav.openProfile(wide.handle)
        elif page == "thread":
            app.nav.openThread(app.home.model.rows[0]["barkId"])
        elif page == "tag":
            app.nav.openTag("corgi")
        else:
            app.nav.open(page)
        qtbot.waitUntil(lambda p=page: prop(item(app, "pageTitle"), "visible") and app.nav.page == p, timeout=WAIT_MS)
        qtbot.waitUntil(ready.get(page, lambda: True), timeout=WAIT_MS)
        qtbot.waitUntil(lambda: not past_the_edge(app.window.contentItem(), NARROWEST), timeout=WAIT_MS)
