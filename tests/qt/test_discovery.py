"""Finding barks, driven through the QML against a real server: trending tags and a tag's timeline, the
search view's people / barks switch, and bookmarks (the toggle on a bark and the bookmarks view)."""

from __future__ import annotations

from tests.live.client import User
from tests.qt.ui import WAIT_MS, click, confirm, item, items, log_in, prop, type_text


def texts(model) -> list[str]:
    return [r["text"] for r in model.rows]


def test_trending_tags_open_the_tag_timeline(qtbot, server, make_client) -> None:
    bob, cy, dee = User(server.base, "dbob"), User(server.base, "dcy"), User(server.base, "ddee")
    bob.bark("Corgi day! #Corgi")
    cy.bark("#corgi races at noon")
    bob.bark("more #CORGI photos")
    dee.bark("a lone #beagle")
    trending = bob.call("GET", "/v1/tags/trending?limit=10")["items"]
    app = make_client(server.base)
    log_in(qtbot, app, server.base, "ddee")
    click(app, item(app, "nav_search"))
    qtbot.waitUntil(lambda: bool(items(app, "trend_corgi")) and bool(items(app, "trend_beagle")), timeout=WAIT_MS)
    assert [t["tag"] for t in app.trending.items] == [t["tag"] for t in trending]
    assert app.trending.items[0] == {"tag": "corgi", "authors": 2, "barks": 3}  # most people first
    click(app, item(app, "trend_corgi"))
    qtbot.waitUntil(lambda: app.nav.page == "tag" and app.tag.barks.loaded, timeout=WAIT_MS)
    assert prop(item(app, "tagTitle"), "text") == "#corgi"
    assert texts(app.tag.barks.model) == ["more #CORGI photos", "#corgi races at noon", "Corgi day! #Corgi"]
    click(app, item(app, "backButton"))
    qtbot.waitUntil(lambda: app.nav.page == "search", timeout=WAIT_MS)


def test_search_switches_between_people_and_barks(qtbot, server, make_client) -> None:
    fox = User(server.base, "sfox")
    User(server.base, "sfoxglove")
    fox.bark("the quick brown fox")
    fox.bark("a slow brown dog")
    fox.bark("quick thinking #fox")
    app = make_client(server.base)
    log_in(qtbot, app, server.base, "sfox")
    app.nav.open("search")
    type_text(app, item(app, "searchField"), "quick")
    qtbot.waitUntil(lambda: not app.search.loading and bool(items(app, "searchList")), timeout=WAIT_MS)
    assert app.search.model.count == 0  # nobody is called "quick"

    click(app, item(app, "searchBarks"))
    qtbot.waitUntil(lambda: app.search.mode == "barks" and app.search.barks.loaded, timeout=WAIT_MS)
    assert texts(app.search.barks.model) == ["quick thinking #fox", "the quick brown fox"]
    assert items(app, "barkSearchList") and not items(app, "searchList")
    item(app, "searchField").setProperty("text", "")
    type_text(app, item(app, "searchField"), "#fox")
    qtbot.waitUntil(lambda: texts(app.search.barks.model) == ["quick thinking #fox"], timeout=WAIT_MS)

    click(app, item(app, "searchPeople"))
    item(app, "searchField").setProperty("text", "")
    type_text(app, item(app, "searchField"), "sfox")
    qtbot.waitUntil(lambda: app.search.model.count == 2 and not app.search.loading, timeout=WAIT_MS)
    assert sorted(r["handle"] for r in app.search.model.rows) == ["sfox", "sfoxglove"]
    assert items(app, "searchList") and not items(app, "barkSearchList")


def test_bookmark_toggle_and_the_bookmarks_view(qtbot, server, make_client) -> None:
    gil, hue = User(server.base, "bgil"), User(server.base, "bhue")
    gil.follow(hue)
    kept, other = hue.bark("worth keeping"), hue.bark("not this one")
    app = make_client(server.base)
    log_in(qtbot, app, server.base, "bgil")
    qtbot.waitUntil(lambda: bool(items(app, f"bark_{kept['id']}")), timeout=WAIT_MS)
    button = item(app, "bookmarkButton", items(app, f"bark_{kept['id']}")[0])
    assert prop(button, "text") == "🔖"
    click(app, button)
    qtbot.waitUntil(lambda: prop(item(app, "bookmarkButton", items(app, f"bark_{kept['id']}")[0]), "text")
                    == "🔖 Saved", timeout=WAIT_MS)
    assert [b["id"] for b in gil.call("GET", "/v1/me/bookmarks")["items"]] == [kept["id"]]
    assert not hue.call("GET", f"/v1/barks/{kept['id']}")["bookmarked"]  # private: only mine

    click(app, item(app, "nav_bookmarks"))
    qtbot.waitUntil(lambda: app.bookmarks.loaded and bool(items(app, f"bark_{kept['id']}")), timeout=WAIT_MS)
    assert [r["barkId"] for r in app.bookmarks.model.rows] == [kept["id"]]
    assert not items(app, f"bark_{other['id']}")
    click(app, item(app, "bookmarkButton", items(app, f"bark_{kept['id']}")[0]))  # unbookmark here
    qtbot.waitUntil(lambda: app.bookmarks.model.count == 0, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: gil.call("GET", "/v1/me/bookmarks")["items"] == [], timeout=WAIT_MS)
    assert not next(r for r in app.home.model.rows if r["barkId"] == kept["id"])["bookmarked"]


def test_my_own_row_has_no_follow_button(qtbot, server, make_client) -> None:
    User(server.base, "selfie")
    User(server.base, "selfie_fan")
    app = make_client(server.base)
    log_in(qtbot, app, server.base, "selfie")
    app.nav.open("search")
    type_text(app, item(app, "searchField"), "selfie")
    qtbot.waitUntil(lambda: app.search.model.count == 2 and not app.search.loading, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: bool(items(app, "user_selfie")) and bool(items(app, "user_selfie_fan")), timeout=WAIT_MS)
    assert not items(app, "followButton", item(app, "user_selfie"))  # nobody follows themselves
    assert items(app, "followButton", item(app, "user_selfie_fan"))


def test_unfollowing_takes_their_barks_out_of_home_at_once(qtbot, server, make_client) -> None:
    pam, quo, rex = User(server.base, "upam"), User(server.base, "uquo"), User(server.base, "urex")
    pam.follow(quo)
    pam.follow(rex)
    quoted = quo.bark("quo's bark")
    rex.bark("rex's bark")
    rex.call("PUT", f"/v1/barks/{quoted['id']}/rebark")
    app = make_client(server.base)
    log_in(qtbot, app, server.base, "upam")
    qtbot.waitUntil(lambda: len(app.home.model.rows) == 3, timeout=WAIT_MS)

    app.nav.openProfile("uquo")
    qtbot.waitUntil(lambda: app.profile.user.get("following") is True, timeout=WAIT_MS)
    click(app, item(app, "profileFollow"))
    confirm(qtbot, app, "Unfollow @uquo?")
    qtbot.waitUntil(lambda: app.profile.user.get("following") is False, timeout=WAIT_MS)
    # Their own bark goes; rex's rebark of it stays (rex is still followed), as a reload would show.
    assert sorted((r["text"], r["rebarkedByHandle"]) for r in app.home.model.rows) == [
        ("quo's bark", "urex"), ("rex's bark", "")]
    app.home.reload()
    qtbot.waitUntil(lambda: app.home.loaded and not app.home.loading, timeout=WAIT_MS)
    assert sorted((r["text"], r["rebarkedByHandle"]) for r in app.home.model.rows) == [
        ("quo's bark", "urex"), ("rex's bark", "")]
