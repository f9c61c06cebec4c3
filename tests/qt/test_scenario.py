"""The issue's scenario, end to end: two clients log in as two users; A follows B; B barks in its compose
box; the bark appears in A's home view live, without a refresh; A reacts and B's notification view shows
it; nearby and suggestions views show the expected users."""

from __future__ import annotations

import math

from barker.geo import snap
from tests.live.client import User
from tests.qt.ui import WAIT_MS, click, item, items, log_in, prop, type_text


def km_between(a: tuple[float, float], b: tuple[float, float]) -> float:
    (lat1, lon1), (lat2, lon2) = (tuple(map(math.radians, p)) for p in (a, b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def test_two_clients(qtbot, server, make_client) -> None:
    User(server.base, "ann")
    bob_rest = User(server.base, "bob")
    cy = User(server.base, "cy")
    bob_rest.follow(cy)  # so cy is a friend of a friend for ann once she follows bob

    a = make_client(server.base, "a")
    b = make_client(server.base, "b")
    log_in(qtbot, a, server.base, "ann")
    log_in(qtbot, b, server.base, "bob")
    assert item(a, "connectionText").property("text") == "Live"

    # A follows B: search, then the Follow button on the result.
    a.nav.open("search")
    type_text(a, item(a, "searchField"), "bo")
    qtbot.waitUntil(lambda: bool(items(a, "user_bob")), timeout=WAIT_MS)
    click(a, item(a, "followButton", items(a, "user_bob")[0]))
    qtbot.waitUntil(lambda: a.search.model.rows[0]["following"], timeout=WAIT_MS)
    qtbot.waitUntil(lambda: prop(item(a, "followButton", items(a, "user_bob")[0]), "text") == "Following",
                    timeout=WAIT_MS)
    a.nav.open("home")
    resets: list[int] = []
    a.home.model.modelReset.connect(lambda: resets.append(1))

    # B barks in its compose box; the counter follows the typing (code points: the emoji counts once).
    text = "Live from the compose box 🐶"
    type_text(b, item(b, "composeText"), text)
    assert prop(item(b, "composeCounter"), "text") == str(280 - len(text))
    click(b, item(b, "composeButton"))
    qtbot.waitUntil(lambda: b.compose.text == "" and not b.compose.loading, timeout=WAIT_MS)
    assert prop(item(b, "composeText"), "text") == ""

    # ... and it appears in A's home view, live: a delegate with the text, and no reload of the list.
    qtbot.waitUntil(lambda: any(r["text"] == text for r in a.home.model.rows), timeout=WAIT_MS)
    bark = next(r for r in a.home.model.rows if r["text"] == text)
    assert (bark["handle"], a.home.model.rows[0]["barkId"]) == ("bob", bark["barkId"])  # newest first
    qtbot.waitUntil(lambda: bool(items(a, f"bark_{bark['barkId']}")), timeout=WAIT_MS)
    card = items(a, f"bark_{bark['barkId']}")[0]
    assert prop(item(a, "barkText", card), "text") == text
    assert resets == [], "the home list was reloaded instead of updated live"

    # A reacts with the picker under the bark.
    click(a, item(a, "reactButton", card))
    qtbot.waitUntil(lambda: bool(items(a, "pick_🐶")), timeout=WAIT_MS)
    click(a, items(a, "pick_🐶")[0])
    qtbot.waitUntil(lambda: bool(items(a, "reaction_🐶", card)), timeout=WAIT_MS)
    assert prop(items(a, "reaction_🐶", card)[0], "text") == "🐶 1"

    # B's notifications view shows it, with the bark; B's own copy of the bark counts it, live.
    qtbot.waitUntil(lambda: b.notifications.unread == 2, timeout=WAIT_MS)  # ann's follow, then her reaction
    assert prop(item(b, "unreadCount"), "text") == "2"
    b.nav.open("notifications")
    qtbot.waitUntil(lambda: bool(items(b, "notification_reaction_ann")), timeout=WAIT_MS)
    note = items(b, "notification_reaction_ann")[0]
    assert "reacted 🐶 to your bark" in prop(item(b, "notificationText", note), "text")
    qtbot.waitUntil(lambda: b.notifications.model.rows[0]["barkText"] == text, timeout=WAIT_MS)
    assert b.notifications.unread == 0
    qtbot.waitUntil(lambda: b.home.model.rows[0]["reactions"] == [{"emoji": "🐶", "count": 1, "mine": False}],
                    timeout=WAIT_MS)

    # A follower notification reached B too (from the follow above).
    assert any(r["kind"] == "follow" and r["handle"] == "ann" for r in b.notifications.model.rows)

    # Nearby: B picks a city (Berlin), A types coordinates a few km away; A sees B with the distance.
    b.nav.open("nearby")
    qtbot.waitUntil(lambda: not b.nearby.loading, timeout=WAIT_MS)
    click(b, item(b, "nearbyShareCity"))  # the picker starts on the first city, Berlin
    qtbot.waitUntil(lambda: b.nearby.sharing, timeout=WAIT_MS)
    a.nav.open("nearby")
    qtbot.waitUntil(lambda: not a.nearby.loading, timeout=WAIT_MS)
    assert not a.nearby.sharing
    item(a, "nearbyLat").setProperty("text", "52.45")
    item(a, "nearbyLon").setProperty("text", "13.30")
    click(a, item(a, "nearbyShare"))
    qtbot.waitUntil(lambda: a.nearby.sharing and bool(a.nearby.model.rows), timeout=WAIT_MS)
    near = a.nearby.model.rows
    mine, bobs = snap(52.45, 13.30, 7), snap(52.52, 13.40, 7)  # the server keeps cells, not points
    expected = km_between((mine.lat, mine.lon), (bobs.lat, bobs.lon))
    assert [r["handle"] for r in near] == ["bob"]
    assert math.ceil(expected) - 1 <= near[0]["distanceKm"] <= math.ceil(expected) + 1
    assert f"sharing your location: about {mine.lat:.4f}, {mine.lon:.4f}" in prop(item(a, "sharingStatus"),
                                                                                 "text").lower()
    qtbot.waitUntil(lambda: bool(items(a, "blip_bob")), timeout=WAIT_MS)  # on the radar

    # Suggestions: cy, followed by bob.
    a.nav.open("suggestions")
    qtbot.waitUntil(lambda: bool(items(a, "user_cy")), timeout=WAIT_MS)
    assert [r["handle"] for r in a.suggestions.model.rows] == ["cy"]
    assert prop(item(a, "note", items(a, "user_cy")[0]), "text") == "followed by bob"
    click(a, item(a, "dismiss", items(a, "user_cy")[0]))
    qtbot.waitUntil(lambda: bool(items(a, "dismissedRow")), timeout=WAIT_MS)  # in its place, with Undo
    qtbot.waitUntil(lambda: not a.suggestions.dismissing, timeout=WAIT_MS)  # the server confirmed it
    a.suggestions.refresh()  # dismissed for good, on the server
    qtbot.waitUntil(lambda: not a.suggestions.loading, timeout=WAIT_MS)
    assert a.suggestions.model.rows == []
