"""Notifications in the client: the history from GET /v1/notifications (paged as the list scrolls), the
unread badge from the server kept exact by live stream events, marked read when the view opens, and all
of it the same after a restart."""

from __future__ import annotations

import client_qt.notifications
from tests.live.client import User
from tests.qt.ui import WAIT_MS, click, item, items, log_in, prop


def kinds(app) -> list[tuple[str, str]]:
    return [(row["kind"], row["handle"]) for row in app.notifications.model.rows]


def server_unread(user: User) -> int:
    return user.call("GET", "/v1/notifications/unread_count")["unread_count"]


def test_history_badge_and_read_marker_survive_a_restart(qtbot, server, make_client, tmp_path,
                                                         monkeypatch) -> None:
    monkeypatch.setattr(client_qt.notifications, "PAGE", 2)  # the history in small pages
    ann, bob, cy = User(server.base, "nann"), User(server.base, "nbob"), User(server.base, "ncy")
    mine, other = ann.bark("a bark of ann's"), ann.bark("another of ann's")
    config = tmp_path / "cfg"
    first = make_client(server.base, "first", config)
    log_in(qtbot, first, server.base, "nann")
    assert first.notifications.unread == 0 and not items(first, "unreadBadge")

    # Live, one of each kind: the badge counts each once, as the server does.
    bob.follow(ann)
    bob.call("POST", f"/v1/barks/{mine['id']}/reactions", json={"emoji": "🐶"})
    bob.call("POST", "/v1/barks", json={"text": "nice one", "reply_to": mine["id"]})
    cy.bark("hello @nann")
    cy.call("PUT", f"/v1/barks/{mine['id']}/rebark")
    expected = {("rebark", "ncy"), ("mention", "ncy"), ("reply", "nbob"), ("reaction", "nbob"), ("follow", "nbob")}
    qtbot.waitUntil(lambda: set(kinds(first)) == expected, timeout=WAIT_MS)
    on_server = [(n["id"], n["type"], n["actor"]["handle"]) for n in ann.call("GET", "/v1/notifications")["items"]]
    history = [(r["id"], r["kind"], r["handle"]) for r in first.notifications.model.rows]
    assert history == on_server  # the same items, in the same order (newest first)
    qtbot.waitUntil(lambda: first.notifications.unread == 5, timeout=WAIT_MS)
    assert server_unread(ann) == 5 and prop(item(first, "unreadCount"), "text") == "5"
    reaction = next(r for r in first.notifications.model.rows if r["kind"] == "reaction")
    qtbot.waitUntil(lambda: reaction["barkId"] == mine["id"] and any(
        r["barkText"] == "a bark of ann's" for r in first.notifications.model.rows if r["kind"] == "reaction"),
        timeout=WAIT_MS)  # a reaction event names the bark: its text is fetched
    first.close()

    # A restart: the same history (paged in as the list scrolls) and the same unread count.
    again = make_client("", "again", config)
    qtbot.waitUntil(lambda: again.stream.state == "live" and again.notifications.unread == 5, timeout=WAIT_MS)
    assert again.notifications.model.count == 2 and again.notifications.hasMore  # the first page
    click(again, item(again, "nav_notifications"))  # shown, the list pages in until it is full or complete
    qtbot.waitUntil(lambda: not again.notifications.hasMore and not again.notifications.loading, timeout=WAIT_MS)
    assert [(r["id"], r["kind"], r["handle"]) for r in again.notifications.model.rows] == history
    note = items(again, "notification_reply_nbob")[0]
    assert "replied to your bark" in prop(item(again, "notificationText", note), "text")
    assert prop(item(again, "notificationBark", note), "text") == "“nice one”"

    # Opening the view marked them read, on the server too; a new one while it is open stays read.
    qtbot.waitUntil(lambda: again.notifications.unread == 0 and server_unread(ann) == 0, timeout=WAIT_MS)
    assert not items(again, "unreadBadge")
    User(server.base, "ndee").follow(ann)
    qtbot.waitUntil(lambda: kinds(again)[0] == ("follow", "ndee"), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: server_unread(ann) == 0 and again.notifications.unread == 0, timeout=WAIT_MS)

    # Away from the view, a new one counts; after another restart the count is the server's.
    click(again, item(again, "nav_home"))
    cy.call("POST", f"/v1/barks/{other['id']}/reactions", json={"emoji": "🎉"})
    qtbot.waitUntil(lambda: again.notifications.unread == 1, timeout=WAIT_MS)
    again.close()
    third = make_client("", "third", config)
    qtbot.waitUntil(lambda: third.stream.state == "live" and third.notifications.model.count == 2, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: third.notifications.unread == 1, timeout=WAIT_MS)
    assert server_unread(ann) == 1 and kinds(third)[0] == ("reaction", "ncy")
