"""My profile's card: a refused save keeps what I typed and says what to change; long names and bios stay
inside the card."""

from __future__ import annotations

from PySide6.QtCore import QPointF

from tests.live.client import User
from tests.qt.ui import WAIT_MS, click, item, items, log_in, prop, set_width, type_text


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


def outside(card, node) -> list[str]:
    """The visible items under `node` that stick out of the card (left, right or bottom), by name."""
    out = []
    for child in node.childItems():
        if not child.isVisible() or child.width() == 0:
            continue
        corner = card.mapFromItem(child, QPointF(0, 0))
        far = card.mapFromItem(child, QPointF(child.width(), child.height()))
        if corner.x() < -0.5 or far.x() > card.width() + 0.5 or far.y() > card.height() + 0.5:
            out.append(f"{child.objectName() or child.metaObject().className()} "
                       f"x {corner.x():.0f}..{far.x():.0f} y ..{far.y():.0f} in {card.width():.0f}x{card.height():.0f}")
        out += outside(card, child)
    return out


def card_fits(qtbot, app, width: int, bio_field: str, bio: str, followable: bool) -> None:
    set_width(qtbot, app, width)
    app.nav.openProfile("wide")
    qtbot.waitUntil(lambda: app.profile.user.get("handle") == "wide" and not app.profile.loading, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: prop(item(app, bio_field), "text") == bio, timeout=WAIT_MS)
    card = item(app, "profileCard")
    card.ensurePolished()
    view = app.window.contentItem()
    assert card.mapToItem(view, QPointF(card.width(), 0)).x() <= view.width()
    assert prop(item(app, "profileName"), "truncated")  # elided, not cut off by the card's edge
    assert bool(items(app, "profileFollow", card)) == followable
    qtbot.waitUntil(lambda: not outside(card, card), timeout=WAIT_MS)  # layouts settle after a resize


def test_a_long_name_and_an_unbroken_bio_stay_inside_the_profile_card(qtbot, server, make_client) -> None:
    wide = User(server.base, "wide")
    long_name, long_bio = "W" * 50, "Mmmmmmmmmm" * 30  # the longest allowed; no space to break the bio at
    wide.call("PATCH", "/v1/me", json={"display_name": long_name, "bio": long_bio})
    User(server.base, "lou")
    # Someone else's card (their bio, Follow), and my own (the editor).
    for viewer, bio_field in (("lou", "profileBio"), ("wide", "editBio")):
        app = make_client(server.base, viewer)
        log_in(qtbot, app, server.base, viewer)
        for width in (1100, 820):
            card_fits(qtbot, app, width, bio_field, long_bio, followable=viewer != "wide")


def names_on_barks(app, handle: str) -> set[str]:
    return {r["displayName"] for r in app.home.model.rows if r["handle"] == handle}


def test_display_names_follow_a_rename(qtbot, server, make_client) -> None:
    ned, ota = User(server.base, "ned"), User(server.base, "ota")
    ned.follow(ota)
    ota.bark("ota's bark")
    ned.bark("ned's bark")
    app = make_client(server.base)
    log_in(qtbot, app, server.base, "ned")
    qtbot.waitUntil(lambda: len(app.home.model.rows) == 2, timeout=WAIT_MS)

    # My own rename: the side bar and my barks on screen show it at once.
    open_my_profile(qtbot, app, "ned")
    item(app, "editName").setProperty("text", "Ned Renamed")
    click(app, item(app, "saveProfile"))
    qtbot.waitUntil(lambda: prop(item(app, "profileMessage"), "text") == "Profile saved.", timeout=WAIT_MS)
    assert prop(item(app, "sideName"), "text") == "Ned Renamed"
    assert names_on_barks(app, "ned") == {"Ned Renamed"}
    app.nav.open("home")
    mine = next(r["barkId"] for r in app.home.model.rows if r["handle"] == "ned")
    qtbot.waitUntil(lambda: prop(item(app, "barkName", item(app, f"bark_{mine}")), "text") == "Ned Renamed",
                    timeout=WAIT_MS)

    # Someone else's: once a refresh (their profile) shows the new name, their barks on screen show it too.
    ota.call("PATCH", "/v1/me", json={"display_name": "Ota Renamed"})
    assert names_on_barks(app, "ota") == {"ota"}
    app.nav.openProfile("ota")
    qtbot.waitUntil(lambda: app.profile.user.get("display_name") == "Ota Renamed", timeout=WAIT_MS)
    assert names_on_barks(app, "ota") == {"Ota Renamed"}
