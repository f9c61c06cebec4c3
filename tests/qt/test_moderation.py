"""Reports and the moderators' view through QML against a real server: a user reports a bark from its card
(the server's refusal shown in the dialog, then accepted); a moderator made through the admin API sees it in
the queue, deletes the bark after a confirmation and resolves the report with a note; the reporter's "My
reports" then shows it resolved. A plain user has no moderation entry; a profile can be reported too."""

from __future__ import annotations

import httpx2 as httpx

from tests.accounts import as_admin, make_admin
from tests.live.client import User
from tests.qt.ui import WAIT_MS, click, confirm, item, items, log_in, prop, type_text


def open_page(qtbot, app, page: str) -> None:
    click(app, item(app, f"nav_{page}"))
    qtbot.waitUntil(lambda: app.nav.page == page, timeout=WAIT_MS)


def test_a_reported_bark_is_deleted_and_the_report_resolved(qtbot, server, make_client) -> None:
    ann, bob = User(server.base, "ann"), User(server.base, "bob")
    User(server.base, "mia")
    auth = make_admin(server, "root")
    as_admin(server, auth, "PUT", "/v1/admin/accounts/mia/role", {"role": "moderator"})
    ann.follow(bob)
    spam = bob.bark("buy cheap followers at example dot com")

    app = make_client(server.base, "ann")
    log_in(qtbot, app, server.base, "ann")
    assert not items(app, "nav_moderation")  # a plain user has no moderation entry
    qtbot.waitUntil(lambda: bool(items(app, f"bark_{spam['id']}")), timeout=WAIT_MS)
    click(app, item(app, "barkMenuButton", item(app, f"bark_{spam['id']}")))  # the bark's ⋯ menu
    qtbot.waitUntil(lambda: bool(items(app, "reportBarkButton")), timeout=WAIT_MS)
    click(app, item(app, "reportBarkButton"))
    qtbot.waitUntil(lambda: bool(items(app, "reportSend")), timeout=WAIT_MS)
    assert "buy cheap followers" in prop(item(app, "reportedBark"), "text")
    assert prop(item(app, "reportReason"), "currentText") == "spam"

    item(app, "reportText").setProperty("text", "x" * 1001)  # over the server's limit: refused, shown
    click(app, item(app, "reportSend"))
    qtbot.waitUntil(lambda: prop(item(app, "reportError"), "text") != "", timeout=WAIT_MS)
    refused = httpx.post(f"{server.base}/v1/reports", headers=ann.auth,
                         json={"handle": "bob", "reason": "spam", "text": "x" * 1001})
    assert refused.status_code == 422
    assert prop(item(app, "reportError"), "text") == refused.json()["error"]["message"]
    assert httpx.get(f"{server.base}/v1/me/reports", headers=ann.auth).json()["items"] == []

    item(app, "reportText").setProperty("text", "")
    type_text(app, item(app, "reportText"), "a link farm")
    click(app, item(app, "reportSend"))
    qtbot.waitUntil(lambda: "sent to the moderators" in app.notices.property("text"), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not items(app, "reportSend"), timeout=WAIT_MS)  # the dialog closed
    open_page(qtbot, app, "settings")
    qtbot.waitUntil(lambda: [r["state"] for r in app.reports.property("mine")] == ["open"], timeout=WAIT_MS)
    [mine] = app.reports.property("mine")
    assert prop(item(app, f"myReport_{mine['id']}"), "reportState") == "open"
    assert (mine["handle"], mine["reason"], mine["bark_ids"]) == ("bob", "spam", [spam["id"]])

    mod = make_client(server.base, "mia")
    log_in(qtbot, mod, server.base, "mia")
    open_page(qtbot, mod, "moderation")
    qtbot.waitUntil(lambda: bool(items(mod, f"report_{mine['id']}")), timeout=WAIT_MS)
    card = item(mod, f"report_{mine['id']}")
    assert prop(item(mod, "reportSummary", card), "text") == "@ann reported @bob for spam"
    assert prop(item(mod, "reportWords", card), "text") == "a link farm"
    assert "buy cheap followers" in prop(item(mod, "reportedBarkText", card), "text")

    click(mod, item(mod, "deleteReportedBark", card))
    qtbot.waitUntil(lambda: bool(items(mod, "confirmAccept")), timeout=WAIT_MS)
    assert httpx.get(f"{server.base}/v1/barks/{spam['id']}", headers=ann.auth).status_code == 200  # not yet
    confirm(qtbot, mod, "Delete this bark for everyone?")
    qtbot.waitUntil(lambda: httpx.get(f"{server.base}/v1/barks/{spam['id']}", headers=ann.auth).status_code == 404,
                    timeout=WAIT_MS)
    qtbot.waitUntil(lambda: prop(item(mod, "reportedBarkText", item(mod, f"report_{mine['id']}")), "text")
                    == "(deleted)", timeout=WAIT_MS)  # the queue was reloaded
    assert prop(item(mod, "moderationStatus"), "text") == "Bark deleted."

    card = item(mod, f"report_{mine['id']}")
    type_text(mod, item(mod, "reportNote", card), "removed, thanks")
    click(mod, item(mod, "resolveReport", card))
    qtbot.waitUntil(lambda: not items(mod, f"report_{mine['id']}"), timeout=WAIT_MS)
    assert items(mod, "moderationEmpty")
    assert prop(item(mod, "moderationStatus"), "text") == "Report resolved."

    open_page(qtbot, app, "home")
    open_page(qtbot, app, "settings")
    qtbot.waitUntil(lambda: [r["state"] for r in app.reports.property("mine")] == ["resolved"], timeout=WAIT_MS)
    label = item(app, f"myReport_{mine['id']}")
    assert prop(label, "reportState") == "resolved"
    assert "removed, thanks" in prop(label, "text")


def test_a_profile_can_be_reported_and_the_admin_sees_moderation(qtbot, server, make_client) -> None:
    User(server.base, "cal")
    User(server.base, "dee")
    auth = make_admin(server, "chief")
    app = make_client(server.base, "cal")
    log_in(qtbot, app, server.base, "cal")
    app.nav.openProfile("dee")
    qtbot.waitUntil(lambda: bool(items(app, "profileReport")), timeout=WAIT_MS)
    click(app, item(app, "profileReport"))
    qtbot.waitUntil(lambda: bool(items(app, "reportSend")), timeout=WAIT_MS)
    assert not items(app, "reportedBark")
    reason = item(app, "reportReason")
    reason.setProperty("currentIndex", app.reports.property("reasons").index("impersonation"))
    click(app, item(app, "reportSend"))
    qtbot.waitUntil(lambda: "@dee was sent" in app.notices.property("text"), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not items(app, "reportSend"), timeout=WAIT_MS)
    [filed] = as_admin(server, auth, "GET", "/v1/admin/reports?state=open")["items"]
    assert (filed["reporter"], filed["handle"], filed["reason"], filed["barks"]) == ("cal", "dee", "impersonation", [])

    app.nav.openProfile("cal")  # my own profile: nothing to report
    qtbot.waitUntil(lambda: app.profile.property("isMe"), timeout=WAIT_MS)
    assert not items(app, "profileReport")

    boss = make_client(server.base, "chief")
    log_in(qtbot, boss, server.base, "chief")
    open_page(qtbot, boss, "moderation")
    qtbot.waitUntil(lambda: bool(items(boss, f"report_{filed['id']}")), timeout=WAIT_MS)
    click(boss, item(boss, "dismissReport", item(boss, f"report_{filed['id']}")))
    qtbot.waitUntil(lambda: not items(boss, f"report_{filed['id']}"), timeout=WAIT_MS)
    assert as_admin(server, auth, "GET", "/v1/admin/reports?state=dismissed")["items"][0]["id"] == filed["id"]
