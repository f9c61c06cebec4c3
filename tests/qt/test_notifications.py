"""The notification history a client shows at start-up: the reactions and followers among its stream's newest
events, counted as events. Seqs jump (one clock for every stream), so a new follower many seqs old can be
one event old, and must still be there after a restart."""

from __future__ import annotations

from client_qt.notifications import HISTORY
from tests.live.client import User
from tests.qt.ui import WAIT_MS, item, items, log_in, prop


def followers(app) -> list[str]:
    return [row["handle"] for row in app.notifications.model.rows if row["kind"] == "follower"]


def test_a_new_follower_stays_in_the_history_after_a_restart(qtbot, server, make_client, tmp_path) -> None:
    ann, bob, carl = User(server.base, "ann"), User(server.base, "bob"), User(server.base, "carl")
    config = tmp_path / "cfg"
    first = make_client(server.base, "first", config)
    log_in(qtbot, first, server.base, "ann")
    bob.follow(ann)
    qtbot.waitUntil(lambda: followers(first) == ["bob"], timeout=WAIT_MS)  # live
    first.close()

    # While ann is away: many seqs go to a stream that is not hers, then one event comes to hers.
    for i in range(HISTORY + 20):
        carl.bark(f"carl {i}")
    ann.bark("back again")
    follow, bark = ann.events(after=0)["events"]
    assert (follow["type"], bark["type"]) == ("follower", "bark")
    assert bark["seq"] - follow["seq"] > HISTORY  # "the newest seq minus HISTORY" would leave the follow out

    # A restart with the same config directory: the remembered session, the history read at start-up.
    again = make_client("", "again", config)
    assert again.session.loggedIn and again.session.handle == "ann"
    qtbot.waitUntil(lambda: again.stream.state == "live", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: followers(again) == ["bob"], timeout=WAIT_MS)
    again.nav.open("notifications")
    qtbot.waitUntil(lambda: bool(items(again, "notification_follower_bob")), timeout=WAIT_MS)
    assert "followed you" in prop(item(again, "notificationText", items(again, "notification_follower_bob")[0]),
                                  "text")
    assert again.notifications.unread == 0  # history is not news
    assert again.stream.last_url.endswith(f"?after={bark['seq']}")  # the stream carries on after the history
