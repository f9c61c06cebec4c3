"""Replies, threads and rich text, driven through the QML against a real server: the reply button and the
compose box's reply mode, the thread view (ancestors, the bark highlighted, replies indented by depth,
tombstones, paging), and mentions, tags and links in bark text (shown as plain text, with only our links)."""

from __future__ import annotations

import re
from html import unescape

from PySide6.QtCore import QUrl

import client_qt.thread
from tests.live.client import User
from tests.qt.ui import WAIT_MS, click, click_corner, click_link, item, items, log_in, prop, type_text

INDENT = 24  # pixels per level of depth in the thread view


def reply(user: User, parent: dict, text: str) -> dict:
    return user.call("POST", "/v1/barks", json={"text": text, "reply_to": parent["id"]})


def card(app, bark_id: int):
    return items(app, f"bark_{bark_id}")[0]


def test_reply_button_replies_in_the_thread_and_cancel_goes_back_to_a_bark(qtbot, server, make_client) -> None:
    ann, bob = User(server.base, "rann"), User(server.base, "rbob")
    ann.follow(bob)
    first, second = bob.bark("Who wants a walk?"), bob.bark("Second thought: rain 🌧")
    app = make_client(server.base)
    log_in(qtbot, app, server.base, "rann")
    qtbot.waitUntil(lambda: bool(items(app, f"bark_{second['id']}")), timeout=WAIT_MS)

    # Reply, then change my mind: the box goes back to a plain bark.
    click(app, item(app, "replyButton", card(app, second["id"])))
    qtbot.waitUntil(lambda: app.nav.page == "thread" and bool(items(app, "replyContext")), timeout=WAIT_MS)
    click(app, item(app, "cancelReply", item(app, "threadCompose")))
    qtbot.waitUntil(lambda: not app.compose.replying and not items(app, "replyContext"), timeout=WAIT_MS)

    app.nav.open("home")
    qtbot.waitUntil(lambda: bool(items(app, f"bark_{first['id']}")), timeout=WAIT_MS)
    click(app, item(app, "replyButton", card(app, first["id"])))
    qtbot.waitUntil(lambda: app.nav.page == "thread" and app.thread.loaded, timeout=WAIT_MS)
    context = prop(item(app, "replyContextText"), "text")
    assert "@rbob" in context and "Who wants a walk?" in context
    assert prop(item(app, "composeButton"), "text") == "Reply"
    type_text(app, item(app, "composeText"), "Me! 🐶")
    click(app, item(app, "composeButton"))

    # The reply is in the thread under the bark, one level in; the server has it as a reply; the box is plain.
    qtbot.waitUntil(lambda: any(r["text"] == "Me! 🐶" for r in app.thread.model.rows), timeout=WAIT_MS)
    row = next(r for r in app.thread.model.rows if r["text"] == "Me! 🐶")
    assert row["depth"] == 1 and row["isReply"] and row["replyToHandle"] == "rbob"
    assert not app.compose.replying
    stored = ann.call("GET", f"/v1/barks/{row['barkId']}")
    assert stored["reply_to"]["id"] == first["id"]
    assert ann.call("GET", f"/v1/barks/{first['id']}")["reply_count"] == 1
    assert ann.call("GET", f"/v1/barks/{second['id']}")["reply_count"] == 0  # the cancelled reply went nowhere
    qtbot.waitUntil(lambda: next(r for r in app.thread.model.rows if r["barkId"] == first["id"])["replyCount"] == 1,
                    timeout=WAIT_MS)


def test_thread_view_shows_ancestors_depths_tombstones_and_pages(qtbot, server, make_client, monkeypatch) -> None:
    monkeypatch.setattr(client_qt.thread, "PAGE", 3)  # a long thread, in small pages
    cat, dan = User(server.base, "tcat"), User(server.base, "tdan")
    root = cat.bark("root")
    gone = reply(dan, root, "soon deleted")
    focus = reply(cat, gone, "the bark in focus")
    a = reply(dan, focus, "a")
    a1 = reply(cat, a, "a1")
    doomed = reply(dan, focus, "b (deleted)")
    b1 = reply(cat, doomed, "b1")
    c = reply(dan, focus, "c")
    dan.call("DELETE", f"/v1/barks/{gone['id']}")
    dan.call("DELETE", f"/v1/barks/{doomed['id']}")
    expected = [(root["id"], 0, False), (gone["id"], 0, True), (focus["id"], 0, False), (a["id"], 1, False),
                (a1["id"], 2, False), (doomed["id"], 1, True), (b1["id"], 2, False), (c["id"], 1, False)]

    app = make_client(server.base)
    log_in(qtbot, app, server.base, "tdan")
    app.window.resize(1100, 1800)  # the whole thread on screen at once
    app.nav.openProfile("tcat")
    qtbot.waitUntil(lambda: app.profile.barks.loaded and bool(items(app, f"bark_{focus['id']}")), timeout=WAIT_MS)
    click_corner(app, card(app, focus["id"]))  # a click on the card opens its thread
    qtbot.waitUntil(lambda: app.nav.page == "thread" and app.thread.loaded, timeout=WAIT_MS)
    assert app.thread.hasMore  # three replies of five
    while app.thread.hasMore:
        count = app.thread.model.count
        click(app, item(app, "threadMore"))
        qtbot.waitUntil(lambda count=count: app.thread.model.count > count and not app.thread.loading,
                        timeout=WAIT_MS)
    rows = app.thread.model.rows
    assert [(r["barkId"], r["depth"], r["deleted"]) for r in rows] == expected
    assert [r["barkId"] for r in rows if r["focused"]] == [focus["id"]]

    # On screen: the bark in focus highlighted, replies indented by depth, deleted ones as tombstones.
    for bark_id, depth, deleted in expected:
        qtbot.waitUntil(lambda bark_id=bark_id: bool(items(app, f"bark_{bark_id}")), timeout=WAIT_MS)
        shown = card(app, bark_id)
        assert item(app, "barkFrame", shown).x() == depth * INDENT
        assert bool(items(app, "tombstone", shown)) == deleted
        if deleted:
            assert prop(item(app, "tombstone", shown), "text") == "This bark was deleted"
    assert prop(card(app, focus["id"]), "shade").name() == "#fbe9e1"  # Theme.accentSoft: highlighted
    assert prop(card(app, a["id"]), "shade").name() == "#ffffff"  # Theme.card
    assert prop(item(app, "barkText", card(app, a1["id"])), "text") == "a1"

    # A click on an ancestor opens its own thread.
    click_corner(app, card(app, root["id"]))
    qtbot.waitUntil(lambda: app.thread.loaded and app.thread.model.rows[0]["focused"], timeout=WAIT_MS)
    assert app.thread.model.rows[0]["barkId"] == root["id"]


def visible_text(styled: str) -> str:
    """What a StyledText label shows: our tags (links, line breaks) removed, entities decoded."""
    return unescape(re.sub(r"</?a[^>]*>|<br>", "", styled))


def test_text_is_plain_with_clickable_mentions_tags_and_links(qtbot, server, make_client) -> None:
    User(server.base, "xbob")
    User(server.base, "xann")
    url = "https://example.org/path?a=1&b=%22two%22"
    text = f'<b>x</b> <img src="https://e.org/i.png"> &amp; hi @xbob, see #Dogs and {url}'
    app = make_client(server.base)
    log_in(qtbot, app, server.base, "xann")
    opened: list[QUrl] = []
    app.links.open_external = lambda target: opened.append(target) or True  # never a real browser

    item(app, "composeText").setProperty("text", text)
    click(app, item(app, "composeButton"))
    qtbot.waitUntil(lambda: app.compose.text == "" and app.home.model.count == 1, timeout=WAIT_MS)
    bark_id = app.home.model.rows[0]["barkId"]
    qtbot.waitUntil(lambda: bool(items(app, f"bark_{bark_id}")), timeout=WAIT_MS)
    label = item(app, "barkText", card(app, bark_id))
    styled = prop(label, "text")
    assert "<b>" not in styled and "<img" not in styled and "&lt;b&gt;x&lt;/b&gt;" in styled
    assert "&amp;amp;" in styled  # the typed "&amp;" is shown as typed, not as "&"
    assert visible_text(styled) == text
    assert prop(label, "format") == 4  # Text.StyledText: only the markup we wrote is read as markup
    links = re.findall(r'<a href="(\d+)">([^<]*)</a>', styled)
    # The server's parser finds the URL inside the typed tag too: it is a link, its text still plain.
    assert [unescape(shown) for _, shown in links] == ["https://e.org/i.png", "@xbob", "#Dogs", url]
    mention, tag, link = (href for href, _ in links[1:])

    # A link shows its full target first; cancel opens nothing, confirm opens the browser with it.
    click_link(app, label, link)
    qtbot.waitUntil(lambda: bool(items(app, "linkTarget")), timeout=WAIT_MS)
    assert prop(item(app, "linkTarget"), "text") == url
    click(app, item(app, "linkCancel"))
    qtbot.waitUntil(lambda: not items(app, "linkTarget"), timeout=WAIT_MS)
    assert opened == [] and app.links.pending == ""
    click_link(app, label, link)
    qtbot.waitUntil(lambda: bool(items(app, "linkOpen")), timeout=WAIT_MS)
    click(app, item(app, "linkOpen"))
    qtbot.waitUntil(lambda: bool(opened), timeout=WAIT_MS)
    assert [u.toString(QUrl.ComponentFormattingOption.FullyEncoded) for u in opened] == [url]

    click_link(app, label, mention)  # a mention opens the profile
    qtbot.waitUntil(lambda: app.nav.page == "profile" and app.profile.user.get("handle") == "xbob", timeout=WAIT_MS)

    app.nav.open("home")
    qtbot.waitUntil(lambda: bool(items(app, f"bark_{bark_id}")), timeout=WAIT_MS)
    click_link(app, item(app, "barkText", card(app, bark_id)), tag)  # a tag opens its timeline
    qtbot.waitUntil(lambda: app.nav.page == "tag" and app.tag.barks.loaded, timeout=WAIT_MS)
    assert prop(item(app, "tagTitle"), "text").lower() == "#dogs"
    assert [r["barkId"] for r in app.tag.barks.model.rows] == [bark_id]
