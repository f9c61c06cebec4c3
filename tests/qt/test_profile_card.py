"""My profile's card: a refused save keeps what I typed and says what to change; long names and bios stay
inside the card."""

from __future__ import annotations

from tests.live.client import User
from tests.qt.ui import WAIT_MS, click, item, items, log_in, prop, type_text


def open_my_profile(qtbot, app, handle: str) -> None:
    click(app, item(app, "nav_profile"))
    qtbot.waitUntil(lambda: app.profile.user.get("handle") == handle and not app.profile.loading, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: bool(items(app, "editName")), timeout=WAIT_MS)


def test_a_refused_save_keeps_my_edits_and_says_what_to_change(qtbot, server, make_client) -> None:
    jan = User(server.base, "jan")
    jan.call("PATCH", "/v1/me", json={"display_name": "Jan", "bio": "Before."})
    app = make_client(server.base)
    log_in(qtbot, app, server.base, "jan")
    open_my_profile(qtbot, app, "jan")
    name, bio = item(app, "editName"), item(app, "editBio")
    assert (prop(name, "text"), prop(bio, "text")) == ("Jan", "Before.")

    long_name = "J" * 51
    name.setProperty("text", "")
    type_text(app, name, long_name)
    bio.setProperty("text", "")
    type_text(app, bio, "After, and longer.")
    click(app, item(app, "saveProfile"))
    qtbot.waitUntil(lambda: prop(item(app, "profileError"), "text") != "", timeout=WAIT_MS)
    assert prop(item(app, "profileError"), "text") == "Display names are at most 50 characters (this one has 51)."
    assert (prop(name, "text"), prop(bio, "text")) == (long_name, "After, and longer.")  # nothing typed is lost
    assert app.session.me.get("display_name") == "Jan"

    # Corrected, it saves; the fields show what was saved.
    name.setProperty("text", "Jan the Second")
    click(app, item(app, "saveProfile"))
    qtbot.waitUntil(lambda: prop(item(app, "profileMessage"), "text") == "Profile saved.", timeout=WAIT_MS)
    assert not items(app, "profileError")
    assert (prop(name, "text"), prop(bio, "text")) == ("Jan the Second", "After, and longer.")
    assert app.session.me["display_name"] == "Jan the Second"


def test_each_refusal_of_a_profile_edit_reads_as_a_sentence_about_the_field(qtbot, server, make_client) -> None:
    User(server.base, "kay")
    app = make_client(server.base)
    log_in(qtbot, app, server.base, "kay")
    open_my_profile(qtbot, app, "kay")
    cases = [
        (" ", "", "A display name can't be blank."),
        ("Kay", "b" * 301, "Bios are at most 300 characters (this one has 301)."),
        ("K\u202eay", "", "Display names can't contain invisible or direction-changing characters."),
        ("K" * 60, "b" * 320, "Display names are at most 50 characters (this one has 60). "
                              "Bios are at most 300 characters (this one has 320)."),
    ]
    for name, bio, expected in cases:
        item(app, "editName").setProperty("text", name)
        item(app, "editBio").setProperty("text", bio)
        click(app, item(app, "saveProfile"))
        qtbot.waitUntil(lambda: not app.profile.loading and app.profile.error != "", timeout=WAIT_MS)
        assert prop(item(app, "profileError"), "text") == expected
        assert (prop(item(app, "editName"), "text"), prop(item(app, "editBio"), "text")) == (name, bio)
