"""Compose (the counter, errors inline with the text kept), profiles (mine and others'), search paging."""

from __future__ import annotations

from tests.live.client import User
from tests.qt.ui import WAIT_MS, click, confirm, item, items, log_in, prop, type_text
from tests.servers import free_port


def test_compose_counts_like_the_server_and_keeps_the_text_on_errors(qtbot, server, make_client) -> None:
    User(server.base, "gus")
    app = make_client(server.base)
    log_in(qtbot, app, server.base, "gus")
    box, counter, button = item(app, "composeText"), item(app, "composeCounter"), item(app, "composeButton")
    assert prop(counter, "text") == "280" and not prop(button, "enabled")

    type_text(app, box, "cafe\u0301 🐶")  # NFC makes é one character; the emoji is one code point
    assert prop(counter, "text") == "274"
    box.setProperty("text", "x" * 281)
    assert prop(counter, "text") == "-1" and not prop(button, "enabled")

    # The server refuses it (a control character): the message shows under the box, the text stays.
    bad = "a bell \x07 in a bark"
    box.setProperty("text", bad)
    click(app, button)
    qtbot.waitUntil(lambda: prop(item(app, "composeError"), "text") != "", timeout=WAIT_MS)
    assert "control characters" in prop(item(app, "composeError"), "text")
    assert prop(box, "text") == bad

    # Offline: the same, with the reason.
    app.api.base_url = f"http://127.0.0.1:{free_port()}"
    box.setProperty("text", "hello")
    click(app, button)
    qtbot.waitUntil(lambda: "Can't reach the server" in prop(item(app, "composeError"), "text"), timeout=WAIT_MS)
    assert prop(box, "text") == "hello"

    app.api.base_url = server.base  # back online: it goes, and the box empties (and folds: no error shows)
    click(app, button)
    qtbot.waitUntil(lambda: prop(box, "text") == "" and all(prop(e, "text") == "" for e in items(app, "composeError")),
                    timeout=WAIT_MS)
    assert app.home.model.rows[0]["text"] == "hello"


def test_my_profile_edits_and_another_profile_follows(qtbot, server, make_client) -> None:
    User(server.base, "hal")
    ivy = User(server.base, "ivy")
    ivy.bark("ivy's first bark")
    app = make_client(server.base)
    log_in(qtbot, app, server.base, "hal")

    click(app, item(app, "nav_profile"))
    qtbot.waitUntil(lambda: app.profile.user.get("handle") == "hal", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: bool(items(app, "editName")), timeout=WAIT_MS)
    item(app, "editName").setProperty("text", "Hal Jordan")
    item(app, "editBio").setProperty("text", "Test pilot.")
    click(app, item(app, "saveProfile"))
    qtbot.waitUntil(lambda: prop(item(app, "profileMessage"), "text") == "Profile saved.", timeout=WAIT_MS)
    assert app.session.me["display_name"] == "Hal Jordan" and app.session.me["bio"] == "Test pilot."
    assert prop(item(app, "profileName"), "text") == "Hal Jordan"

    app.profile.changePassword("wrong password", "a new password", "a new password")
    qtbot.waitUntil(lambda: app.profile.error != "", timeout=WAIT_MS)
    assert prop(item(app, "profileError"), "text") == "The current password is wrong."

    app.nav.openProfile("ivy")
    qtbot.waitUntil(lambda: app.profile.user.get("handle") == "ivy" and app.profile.barks.loaded, timeout=WAIT_MS)
    assert not items(app, "editName")
    assert [r["text"] for r in app.profile.barks.model.rows] == ["ivy's first bark"]
    assert prop(item(app, "profileFollowers"), "text") == "<b>0</b> followers"
    click(app, item(app, "profileFollow"))
    qtbot.waitUntil(lambda: prop(item(app, "profileFollow"), "text") == "Unfollow", timeout=WAIT_MS)
    assert prop(item(app, "profileFollowers"), "text") == "<b>1</b> followers"
    click(app, item(app, "profileFollow"))
    confirm(qtbot, app, "Unfollow @ivy?")
    qtbot.waitUntil(lambda: prop(item(app, "profileFollow"), "text") == "Follow", timeout=WAIT_MS)


def test_search_pages_through_results_as_the_list_scrolls(qtbot, server, make_client) -> None:
    User(server.base, "jo")
    for i in range(25):
        User(server.base, f"pup{i:02}")
    app = make_client(server.base)
    log_in(qtbot, app, server.base, "jo")
    app.nav.open("search")
    type_text(app, item(app, "searchField"), "pup")
    qtbot.waitUntil(lambda: app.search.model.count == 20 and not app.search.loading, timeout=WAIT_MS)
    assert app.search.hasMore
    item(app, "searchList").setProperty("contentY", 100_000)  # scrolled to the end
    qtbot.waitUntil(lambda: app.search.model.count == 25, timeout=WAIT_MS)
    assert sorted(r["handle"] for r in app.search.model.rows) == [f"pup{i:02}" for i in range(25)]


def test_home_loads_older_pages_as_it_is_scrolled(qtbot, server, make_client) -> None:
    kim, lou = User(server.base, "kim"), User(server.base, "lou")
    kim.follow(lou)
    for i in range(27):
        lou.bark(f"lou {i}")
    app = make_client(server.base)
    log_in(qtbot, app, server.base, "kim")
    assert app.home.model.count == 20 and app.home.hasMore
    listing = item(app, "homeList")
    listing.setProperty("contentY", 1_000_000)
    qtbot.waitUntil(lambda: app.home.model.count == 27 and not app.home.hasMore, timeout=WAIT_MS)
    assert [r["text"] for r in app.home.model.rows] == [f"lou {i}" for i in reversed(range(27))]


def test_nearby_typed_errors_and_stop_sharing(qtbot, server, make_client) -> None:
    User(server.base, "max")
    app = make_client(server.base)
    log_in(qtbot, app, server.base, "max")
    app.nav.open("nearby")
    qtbot.waitUntil(lambda: not app.nearby.loading, timeout=WAIT_MS)
    assert "Not sharing" in prop(item(app, "sharingStatus"), "text") and not items(app, "radar")
    item(app, "nearbyLat").setProperty("text", "95")
    item(app, "nearbyLon").setProperty("text", "10")
    click(app, item(app, "nearbyShare"))
    assert prop(item(app, "nearbyError"), "text") == "Latitude must be between -90 and 90."
    item(app, "nearbyLat").setProperty("text", "48.85")
    click(app, item(app, "nearbyShare"))
    qtbot.waitUntil(lambda: app.nearby.sharing and not app.nearby.loading, timeout=WAIT_MS)
    assert items(app, "radar") and not items(app, "nearbyError")
    click(app, item(app, "nearbyClear"))
    confirm(qtbot, app, "Stop sharing your location?")
    qtbot.waitUntil(lambda: not app.nearby.sharing and not app.nearby.loading, timeout=WAIT_MS)
    assert "Not sharing" in prop(item(app, "sharingStatus"), "text")

    click(app, item(app, "logoutButton"))  # nothing of max's stays behind for the next user
    confirm(qtbot, app, "Log out of @max?")
    qtbot.waitUntil(lambda: not app.session.loggedIn, timeout=WAIT_MS)
    assert app.nearby.locationText == "" and app.profile.handle == "" and app.search.query == ""


def test_a_click_on_a_button_that_just_appeared_lands_on_it(qtbot, server, make_client) -> None:
    """The test harness: "Stop sharing…" appears at the foot of its card, which grows to hold it on the next
    frame; a click before that frame (a loaded machine) found the button outside the card, where Qt does not
    look for a press. `click` waits for the frame, as a person clicks only what was drawn."""
    User(server.base, "ned")
    app = make_client(server.base)
    log_in(qtbot, app, server.base, "ned")
    app.nav.open("nearby")
    qtbot.waitUntil(lambda: not app.nearby.loading, timeout=WAIT_MS)

    def click_as_it_appears() -> None:  # in the same turn of the event loop: no frame in between
        if app.nearby.sharing and not items(app, "confirmAccept"):
            app.nearby.changed.disconnect(click_as_it_appears)
            click(app, item(app, "nearbyClear"))
    app.nearby.changed.connect(click_as_it_appears)
    app.nearby.share("48.85", "2.35")
    confirm(qtbot, app, "Stop sharing your location?")
