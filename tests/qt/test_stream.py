"""The live stream in the client: after a network drop (the server restarts) it reconnects with its last
seq and fills in what it missed; after a `gap` it reloads; the connection indicator says which."""

from __future__ import annotations

import httpx2 as httpx

from barker.policies import TRIM_EVERY
from tests.live.client import User
from tests.qt.ui import WAIT_MS, item, log_in, prop
from tests.servers import Server


def texts(app) -> list[str]:
    return [row["text"] for row in app.home.model.rows]


def test_reconnects_after_a_drop_and_fills_in_what_it_missed(qtbot, make_client, tmp_path) -> None:
    server = Server(tmp_path / "data", tmp_path / "server.log").start()
    try:
        ann, bob = User(server.base, "ann"), User(server.base, "bob")
        ann.follow(bob)
        app = make_client(server.base)
        log_in(qtbot, app, server.base, "ann")
        resets: list[int] = []
        app.home.model.modelReset.connect(lambda: resets.append(1))
        bob.bark("before the drop")
        qtbot.waitUntil(lambda: texts(app)[:1] == ["before the drop"], timeout=WAIT_MS)
        seq = app.stream.last_seq

        server.stop()  # the network drops: the indicator says so, the app keeps working
        qtbot.waitUntil(lambda: app.stream.state == "offline", timeout=WAIT_MS)
        assert "Reconnecting" in prop(item(app, "connectionText"), "text")
        assert prop(item(app, "connectionIndicator"), "color").name() != "#2e7d32"  # not green

        server = Server(tmp_path / "data", tmp_path / "server2.log", port=server.port).start()
        bob.http = httpx.Client(timeout=10)  # a new connection to the new process
        bob.bark("while ann was away")
        qtbot.waitUntil(lambda: app.stream.state == "live" and app.stream.connections == 2, timeout=20_000)
        assert app.stream.last_url.endswith(f"?after={seq}")  # resumed where it stopped
        qtbot.waitUntil(lambda: texts(app)[:1] == ["while ann was away"], timeout=WAIT_MS)
        assert texts(app)[:2] == ["while ann was away", "before the drop"]
        assert resets == []  # filled in from the stream, not reloaded
        assert prop(item(app, "connectionText"), "text") == "Live"
    finally:
        server.stop()


def test_a_gap_reloads_the_home_timeline(qtbot, make_client, tmp_path) -> None:
    server = Server(tmp_path / "data", tmp_path / "server.log", BARKER_STREAM_RETAIN="50").start()
    try:
        ann, bob = User(server.base, "ann"), User(server.base, "bob")
        ann.follow(bob)
        app = make_client(server.base)
        log_in(qtbot, app, server.base, "ann")
        seq = app.stream.last_seq
        app.stream.stop()  # away for a long while: far more than the stream keeps arrives meanwhile
        barks = 50 + TRIM_EVERY + 20
        for i in range(barks):
            bob.bark(f"bark {i}")
        server.compact_streams(retain=50)  # retention comes with compaction
        qtbot.waitUntil(lambda: ann.events(after=0)["gap"], timeout=WAIT_MS)
        resets: list[int] = []
        app.home.model.modelReset.connect(lambda: resets.append(1))
        app.stream.start(server.base, app.api.token, seq)
        qtbot.waitUntil(lambda: bool(resets) and app.home.loaded, timeout=WAIT_MS)
        qtbot.waitUntil(lambda: texts(app)[:1] == [f"bark {barks - 1}"], timeout=WAIT_MS)
        assert texts(app)[:3] == [f"bark {barks - i}" for i in (1, 2, 3)]
    finally:
        server.stop()
