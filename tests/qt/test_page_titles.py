"""Every page the side bar opens names itself in the top bar (the moderation page once kept the title of the
page before it, and QML warned of an undefined title)."""

from __future__ import annotations

from client_qt.app import PAGES
from tests.accounts import as_admin, make_admin
from tests.live.client import User
from tests.qt.ui import WAIT_MS, item, log_in, prop

NEEDS_A_SUBJECT = {"thread", "tag"}  # opened from a bark or a tag, with their own title


def test_each_page_has_its_own_title(qtbot, server, make_client) -> None:
    User(server.base, "mona")
    as_admin(server, make_admin(server, "boss"), "PUT", "/v1/admin/accounts/mona/role", {"role": "moderator"})
    app = make_client(server.base)
    log_in(qtbot, app, server.base, "mona")
    seen = {}
    for page in PAGES:
        if page in NEEDS_A_SUBJECT:
            continue
        app.nav.open(page)
        qtbot.waitUntil(lambda page=page: app.nav.page == page, timeout=WAIT_MS)
        seen[page] = prop(item(app, "pageTitle"), "text")
    assert all(seen.values()), seen
    assert len(set(seen.values())) == len(seen), seen
    assert seen["moderation"] == "Moderation"
