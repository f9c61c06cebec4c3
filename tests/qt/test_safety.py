"""Blocks and mutes through QML against a real server: a block from a profile asks first (cancel changes
nothing), then ends the follows and shows "You block" with Unblock, whose notice offers Undo; a block from a
bark's ⋯ menu takes that author's barks (and rebarks of them) off the list at once; a mute for a day from a
bark's menu ends when the server says, leaves their profile readable, and Undo of an unmute restores the same
end; Settings lists the blocked (paged) and muted accounts, each let go with Undo; the profile of someone who
blocks me is unavailable, and what they refuse is said plainly ("@max has blocked you")."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from client_qt.formatting import parse_time
from tests.live.client import User
from tests.qt.ui import WAIT_MS, click, item, items, log_in, prop, scroll_into_view


def blocks_of(user: User) -> list[str]:
    return [u["handle"] for u in user.call("GET", "/v1/me/blocks?limit=100")["items"]]


def mutes_of(user: User) -> dict[str, str | None]:
    return {u["handle"]: u["muting_until"] for u in user.call("GET", "/v1/me/mutes?limit=100")["items"]}


def seconds_from_now(iso: str) -> float:
    return (parse_time(iso) - datetime.now(UTC)).total_seconds()


def confirm_dialog(qtbot, app, title: str) -> None:
    qtbot.waitUntil(lambda: bool(items(app, "safetyConfirm")), timeout=WAIT_MS)
    assert app.safety.property("askHandle") in title
    click(app, item(app, "safetyConfirm"))
    qtbot.waitUntil(lambda: not items(app, "safetyConfirm"), timeout=WAIT_MS)  # closed once accepted


def bark_menu(qtbot, app, bark_id: int, entry: str) -> None:
    """Open the ⋯ menu of a bark card and choose an entry."""
    click(app, item(app, "barkMenuButton", item(app, f"bark_{bark_id}")))
    qtbot.waitUntil(lambda: bool(items(app, entry)), timeout=WAIT_MS)
    click(app, item(app, entry))


def undo(qtbot, app) -> None:
    qtbot.waitUntil(lambda: bool(items(app, "noticeAction")), timeout=WAIT_MS)
    assert app.notices.property("actionText") == "Undo"
    click(app, item(app, "noticeAction"))


def open_settings(qtbot, app) -> None:
    click(app, item(app, "nav_settings"))
    qtbot.waitUntil(lambda: app.nav.page == "settings", timeout=WAIT_MS)


def test_a_block_from_a_profile_asks_first_ends_follows_and_can_be_undone(qtbot, server, make_client) -> None:
    ann, bob = User(server.base, "ann"), User(server.base, "bob")
    ann.follow(bob)
    bob.follow(ann)
    said = bob.bark("bob was here")
    app = make_client(server.base, "ann")
    log_in(qtbot, app, server.base, "ann")
    app.nav.openProfile("bob")
    qtbot.waitUntil(lambda: bool(items(app, f"bark_{said['id']}")) and bool(items(app, "profileBlock")),
                    timeout=WAIT_MS)

    click(app, item(app, "profileBlock"))
    qtbot.waitUntil(lambda: bool(items(app, "safetyCancel")), timeout=WAIT_MS)
    what = prop(item(app, "safetyWhat"), "text")
    assert "Follows between you end both ways" in what and "@bob can't see your barks" in what
    assert not items(app, "muteFor_3600")  # durations are for mutes
    click(app, item(app, "safetyCancel"))
    qtbot.waitUntil(lambda: not items(app, "safetyCancel"), timeout=WAIT_MS)
    assert blocks_of(ann) == []  # cancelled: nothing happened

    click(app, item(app, "profileBlock"))
    confirm_dialog(qtbot, app, "Block @bob?")
    assert blocks_of(ann) == ["bob"]
    qtbot.waitUntil(lambda: bool(items(app, "profileBlockedTitle")), timeout=WAIT_MS)
    assert prop(item(app, "profileBlockedTitle"), "text") == "You block @bob"
    assert not items(app, "profileList") and not items(app, "profileFollow") and not items(app, "profileMute")
    assert app.notices.property("text") == "You block @bob."
    seen = bob.call("GET", "/v1/users/ann")
    assert (seen["following"], seen["followed_by"], seen["blocked_by"]) == (False, False, True)

    click(app, item(app, "profileUnblock"))
    qtbot.waitUntil(lambda: blocks_of(ann) == [], timeout=WAIT_MS)
    qtbot.waitUntil(lambda: bool(items(app, f"bark_{said['id']}")), timeout=WAIT_MS)  # their barks are back
    assert prop(item(app, "profileFollow"), "text") == "Follow"  # the block ended the follow for good
    assert app.notices.property("text") == "You no longer block @bob."
    undo(qtbot, app)
    qtbot.waitUntil(lambda: blocks_of(ann) == ["bob"], timeout=WAIT_MS)
    qtbot.waitUntil(lambda: bool(items(app, "profileUnblock")), timeout=WAIT_MS)


def test_a_block_from_a_bark_menu_takes_the_authors_barks_off_the_list(qtbot, server, make_client) -> None:
    cat, dan, eli = User(server.base, "cat"), User(server.base, "dan"), User(server.base, "eli")
    cat.follow(dan)
    cat.follow(eli)
    first, second = dan.bark("dan one"), dan.bark("dan two")
    kept = eli.bark("eli stays")
    eli.call("PUT", f"/v1/barks/{first['id']}/rebark")  # a rebark of dan's bark goes too
    app = make_client(server.base, "cat")
    log_in(qtbot, app, server.base, "cat")
    model = app.home.property("model")
    qtbot.waitUntil(lambda: len(model.rows) == 4, timeout=WAIT_MS)
    assert sum(r["rebarkedByHandle"] == "eli" for r in model.rows) == 1

    bark_menu(qtbot, app, second["id"], "barkBlock")
    qtbot.waitUntil(lambda: bool(items(app, "safetyConfirm")), timeout=WAIT_MS)
    assert "@dan" in prop(item(app, "safetyWhat"), "text")
    loads = []
    app.home.changed.connect(lambda: loads.append(app.home.property("loading")))
    confirm_dialog(qtbot, app, "Block @dan?")
    qtbot.waitUntil(lambda: [r["barkId"] for r in model.rows] == [kept["id"]], timeout=WAIT_MS)
    assert True not in loads  # taken off the list on screen, not by a reload
    qtbot.waitUntil(lambda: not items(app, f"bark_{first['id']}") and not items(app, f"bark_{second['id']}"),
                    timeout=WAIT_MS)  # the list drops their cards on its next frame
    assert items(app, f"bark_{kept['id']}")
    assert blocks_of(cat) == ["dan"]


def test_a_mute_for_a_day_and_undo_of_an_unmute_keeps_its_end(qtbot, server, make_client) -> None:
    fay, gil, hal = User(server.base, "fay"), User(server.base, "gil"), User(server.base, "hal")
    fay.follow(gil)
    fay.follow(hal)
    loud, other = gil.bark("gil talks a lot"), hal.bark("hal, briefly")
    app = make_client(server.base, "fay")
    log_in(qtbot, app, server.base, "fay")
    qtbot.waitUntil(lambda: bool(items(app, f"bark_{loud['id']}")), timeout=WAIT_MS)

    bark_menu(qtbot, app, loud["id"], "barkMute")
    qtbot.waitUntil(lambda: bool(items(app, "muteFor_86400")), timeout=WAIT_MS)
    assert {i.objectName() for i in items(app, "muteFor_3600") + items(app, "muteFor_604800")
            + items(app, "muteFor_0")} == {"muteFor_3600", "muteFor_604800", "muteFor_0"}
    click(app, item(app, "muteFor_86400"))
    confirm_dialog(qtbot, app, "Mute @gil?")
    until = mutes_of(fay)["gil"]
    assert until is not None and abs(seconds_from_now(until) - 86400) < 120
    qtbot.waitUntil(lambda: not items(app, f"bark_{loud['id']}"), timeout=WAIT_MS)
    assert items(app, f"bark_{other['id']}")
    assert app.notices.property("text").startswith("You mute @gil until ")

    app.nav.openProfile("gil")  # a mute leaves their own profile readable
    qtbot.waitUntil(lambda: bool(items(app, f"bark_{loud['id']}")) and bool(items(app, "profileMute")),
                    timeout=WAIT_MS)
    assert "muted" in prop(item(app, "profileRelation"), "text")
    assert prop(item(app, "profileMute"), "text") == "Unmute"
    click(app, item(app, "profileMute"))
    qtbot.waitUntil(lambda: mutes_of(fay) == {}, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: prop(item(app, "profileMute"), "text") == "Mute…", timeout=WAIT_MS)
    undo(qtbot, app)
    qtbot.waitUntil(lambda: "gil" in mutes_of(fay), timeout=WAIT_MS)
    again = mutes_of(fay)["gil"]
    assert again is not None and abs((parse_time(again) - parse_time(until)).total_seconds()) < 3  # the same end

    app.nav.openProfile("hal")  # until I unmute: no end
    qtbot.waitUntil(lambda: bool(items(app, "profileMute")), timeout=WAIT_MS)
    click(app, item(app, "profileMute"))
    click(app, item(app, "muteFor_0"))
    confirm_dialog(qtbot, app, "Mute @hal?")
    assert mutes_of(fay)["hal"] is None
    assert app.notices.property("text") == "You mute @hal until you unmute."


def test_an_unmute_brings_their_barks_back_to_home_without_a_reload(qtbot, server, make_client) -> None:
    nia, oto = User(server.base, "nia"), User(server.base, "oto")
    nia.follow(oto)
    said = oto.bark("oto, once more")
    app = make_client(server.base, "nia")
    log_in(qtbot, app, server.base, "nia")
    qtbot.waitUntil(lambda: bool(items(app, f"bark_{said['id']}")), timeout=WAIT_MS)

    def in_home() -> bool:
        return any(r["barkId"] == said["id"] for r in app.home.model.rows)
    bark_menu(qtbot, app, said["id"], "barkMute")
    click(app, item(app, "muteFor_0"))
    confirm_dialog(qtbot, app, "Mute @oto?")
    qtbot.waitUntil(lambda: not in_home(), timeout=WAIT_MS)

    open_settings(qtbot, app)  # unmuted from Settings: back in Home
    qtbot.waitUntil(lambda: bool(items(app, "muted_oto")), timeout=WAIT_MS)
    row = item(app, "muted_oto")
    scroll_into_view(qtbot, row)
    click(app, item(app, "unmuteButton", row))
    qtbot.waitUntil(in_home, timeout=WAIT_MS)
    undo(qtbot, app)  # muted again: gone again
    qtbot.waitUntil(lambda: not in_home(), timeout=WAIT_MS)

    app.nav.openProfile("oto")  # unmuted from their profile: back in Home
    qtbot.waitUntil(lambda: bool(items(app, "profileMute")) and prop(item(app, "profileMute"), "text") == "Unmute",
                    timeout=WAIT_MS)
    click(app, item(app, "profileMute"))
    qtbot.waitUntil(in_home, timeout=WAIT_MS)
    click(app, item(app, "nav_home"))
    qtbot.waitUntil(lambda: bool(items(app, f"bark_{said['id']}")), timeout=WAIT_MS)


def test_an_unblock_brings_their_replies_back_to_the_open_thread(qtbot, server, make_client) -> None:
    pam, quin = User(server.base, "pam"), User(server.base, "quin")
    root = pam.bark("pam asks")
    reply = quin.call("POST", "/v1/barks", json={"text": "quin answers", "reply_to": root["id"]})
    app = make_client(server.base, "pam")
    log_in(qtbot, app, server.base, "pam")
    app.nav.openThread(root["id"])
    qtbot.waitUntil(lambda: bool(items(app, f"bark_{reply['id']}")), timeout=WAIT_MS)

    def reply_shown() -> bool:
        return any(r["barkId"] == reply["id"] and not r["deleted"] for r in app.thread.model.rows)
    bark_menu(qtbot, app, reply["id"], "barkBlock")
    confirm_dialog(qtbot, app, "Block @quin?")
    qtbot.waitUntil(lambda: not reply_shown(), timeout=WAIT_MS)  # a tombstone in its place

    open_settings(qtbot, app)
    qtbot.waitUntil(lambda: bool(items(app, "blocked_quin")), timeout=WAIT_MS)
    row = item(app, "blocked_quin")
    scroll_into_view(qtbot, row)
    click(app, item(app, "unblockButton", row))
    qtbot.waitUntil(reply_shown, timeout=WAIT_MS)  # the thread I left open has it again


def test_settings_lists_blocked_and_muted_accounts_with_undo(qtbot, server, make_client) -> None:
    ivy = User(server.base, "ivy")
    blocked = [User(server.base, f"b{n:02}") for n in range(22)]
    for user in blocked:
        ivy.call("PUT", f"/v1/me/blocks/{user.handle}")
    for handle in ("jay", "kit", "lou"):
        User(server.base, handle)
    ivy.call("PUT", "/v1/me/mutes/jay", json={"duration": 3600})
    ivy.call("PUT", "/v1/me/mutes/kit", json={"duration": None})
    app = make_client(server.base, "ivy")
    log_in(qtbot, app, server.base, "ivy")
    ivy.call("PUT", "/v1/me/mutes/lou", json={"duration": 4})  # over before it is undone
    ended_by = datetime.now(UTC) + timedelta(seconds=4)
    open_settings(qtbot, app)

    blocked_rows = app.blocked.property("model")
    qtbot.waitUntil(lambda: blocked_rows.count == 20, timeout=WAIT_MS)
    assert [r["handle"] for r in blocked_rows.rows] == [f"b{n:02}" for n in range(21, 1, -1)]  # newest first
    more = item(app, "blocked_more")
    scroll_into_view(qtbot, more)
    click(app, more)
    qtbot.waitUntil(lambda: blocked_rows.count == 22, timeout=WAIT_MS)
    assert not items(app, "blocked_more")

    row = item(app, "blocked_b05")
    scroll_into_view(qtbot, row)
    click(app, item(app, "unblockButton", row))
    qtbot.waitUntil(lambda: not items(app, "blocked_b05"), timeout=WAIT_MS)
    assert "b05" not in blocks_of(ivy)
    undo(qtbot, app)
    qtbot.waitUntil(lambda: blocks_of(ivy)[0] == "b05", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: bool(items(app, "blocked_b05")), timeout=WAIT_MS)  # back, now the newest
    assert blocked_rows.rows[0]["handle"] == "b05"

    muted_rows = app.muted.property("model")
    qtbot.waitUntil(lambda: {r["handle"] for r in muted_rows.rows} == {"jay", "kit", "lou"}, timeout=WAIT_MS)
    assert prop(item(app, "accountNote", item(app, "muted_kit")), "text") == "@kit · Muted until you unmute"
    assert prop(item(app, "accountNote", item(app, "muted_jay")), "text").startswith("@jay · Muted until ")
    before = mutes_of(ivy)["jay"]
    for handle in ("jay", "kit"):
        row = item(app, f"muted_{handle}")
        scroll_into_view(qtbot, row)
        click(app, item(app, "unmuteButton", row))
        qtbot.waitUntil(lambda h=handle: not items(app, f"muted_{h}"), timeout=WAIT_MS)
        assert handle not in mutes_of(ivy)
        undo(qtbot, app)
        qtbot.waitUntil(lambda h=handle: h in mutes_of(ivy), timeout=WAIT_MS)
        qtbot.waitUntil(lambda h=handle: bool(items(app, f"muted_{h}")), timeout=WAIT_MS)
    after = mutes_of(ivy)
    assert before is not None and after["jay"] is not None
    assert abs((parse_time(after["jay"]) - parse_time(before)).total_seconds()) < 3  # the same end
    assert after["kit"] is None  # still until unmuted

    # A mute whose end has passed by the time Undo is clicked comes back as a mute until unmuted.
    row = item(app, "muted_lou")
    qtbot.waitUntil(lambda: datetime.now(UTC) > ended_by, timeout=WAIT_MS)
    scroll_into_view(qtbot, row)
    click(app, item(app, "unmuteButton", row))
    qtbot.waitUntil(lambda: not items(app, "muted_lou"), timeout=WAIT_MS)
    undo(qtbot, app)
    qtbot.waitUntil(lambda: "lou" in mutes_of(ivy), timeout=WAIT_MS)
    assert mutes_of(ivy)["lou"] is None


def test_the_profile_of_someone_who_blocks_me_is_unavailable(qtbot, server, make_client) -> None:
    User(server.base, "lee")
    max_ = User(server.base, "max")
    said = max_.bark("max speaks")
    app = make_client(server.base, "lee")
    log_in(qtbot, app, server.base, "lee")
    app.nav.openProfile("max")
    qtbot.waitUntil(lambda: bool(items(app, f"bark_{said['id']}")) and bool(items(app, "profileFollow")),
                    timeout=WAIT_MS)
    assert prop(item(app, "profileFollow"), "text") == "Follow"

    max_.call("PUT", "/v1/me/blocks/lee")  # while lee looks at max's profile
    click(app, item(app, "reactButton", item(app, f"bark_{said['id']}")))
    qtbot.waitUntil(lambda: bool(items(app, "pick_👍")), timeout=WAIT_MS)
    click(app, item(app, "pick_👍"))
    qtbot.waitUntil(lambda: app.notices.property("text") == "@max has blocked you.", timeout=WAIT_MS)

    click(app, item(app, "profileFollow"))  # refused: said plainly, and the profile shows how things stand
    qtbot.waitUntil(lambda: bool(items(app, "profileBlockedTitle")), timeout=WAIT_MS)
    assert app.notices.property("text") == "@max has blocked you."
    assert prop(item(app, "profileBlockedTitle"), "text") == "This account is unavailable"
    assert not items(app, "profileList") and not items(app, "profileFollow") and not items(app, "profileUnblock")

    app.nav.openProfile("lee")
    qtbot.waitUntil(lambda: app.profile.property("isMe"), timeout=WAIT_MS)
    app.nav.openProfile("max")  # opened afresh: unavailable from the start, no barks, no counts
    qtbot.waitUntil(lambda: bool(items(app, "profileBlockedTitle")), timeout=WAIT_MS)
    assert prop(item(app, "profileBlockedTitle"), "text") == "This account is unavailable"
    assert not items(app, "profileCounts") and not items(app, f"bark_{said['id']}")
    assert items(app, "profileBlock") and items(app, "profileReport")  # they can still be blocked or reported
