"""The client through a server outage, against a real `barker serve` stopped and started again on the same
port: the status line says what is wrong in a sentence (never an exception's name) and counts down to the next
attempt; "Retry now" tries at once; a bark posted meanwhile is kept in the compose box with a clear message;
once the server is back the client is live again by itself and the errors that said it was unreachable go."""

from __future__ import annotations

import re
import socket
import ssl
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from websockets.datastructures import Headers
from websockets.exceptions import ConnectionClosedError, InvalidStatus
from websockets.http11 import Response

from client_qt import stream as stream_module
from client_qt.app import ClientApp
from client_qt.errors import connection_failure
from client_qt.stream import Stream
from tests.live.client import User
from tests.qt.test_keyboard import focus, press
from tests.qt.test_narrow_window import NARROWEST, past_the_edge
from tests.qt.ui import WAIT_MS, click, item, items, log_in, prop, set_width, type_text
from tests.servers import Server, free_port

# What a raw exception looks like in text: a CamelCase name ending in Error or Exception, or a repr.
RAW = re.compile(r"[A-Z][a-z]+[A-Za-z]*(Error|Exception)\b|\w+\(.*\)|Errno")


def status(app) -> str:
    return prop(item(app, "connectionText"), "text")


class OwnServer:
    """A server of the test's own (the module's `server` keeps running for the other tests), started again on
    the same port and the same data by `restart()`."""

    def __init__(self, tmp_path: Path) -> None:
        self.tmp_path, self.starts = tmp_path, 1
        self.server = Server(tmp_path / "data", tmp_path / "server.log").start()
        self.base = self.server.base

    def stop(self) -> None:
        self.server.stop()

    def restart(self) -> None:
        self.starts += 1
        self.server = Server(self.server.data_dir, self.tmp_path / f"server{self.starts}.log",
                             port=self.server.port).start()


@pytest.fixture
def own(tmp_path: Path) -> Iterator[OwnServer]:
    own = OwnServer(tmp_path)
    yield own
    own.stop()


def ann_logged_in(qtbot, make_client, own: OwnServer) -> ClientApp:
    User(own.base, "ann")
    app = make_client(own.base)
    log_in(qtbot, app, own.base, "ann")
    return app


def test_after_an_outage_the_client_is_live_again_and_the_unreachable_errors_go(qtbot, make_client, own) -> None:
    app = ann_logged_in(qtbot, make_client, own)
    own.stop()
    qtbot.waitUntil(lambda: app.stream.state == "offline" and app.stream.retrying, timeout=WAIT_MS)
    type_text(app, item(app, "composeText"), "written while the server was away")
    click(app, item(app, "composeButton"))
    qtbot.waitUntil(lambda: prop(item(app, "composeError"), "text") != "", timeout=WAIT_MS)
    error = prop(item(app, "composeError"), "text")
    assert error.startswith(f"Not posted. Can't reach the server at {own.base}")
    assert "kept" in error and not RAW.search(error), error
    assert prop(item(app, "composeText"), "text") == "written while the server was away"  # not lost
    assert app.stream.state != "live" and not RAW.search(status(app)), status(app)

    own.restart()
    qtbot.waitUntil(lambda: app.stream.state == "live", timeout=20_000)
    assert status(app) == "Live" and not items(app, "retryNowButton")
    qtbot.waitUntil(lambda: prop(item(app, "composeError"), "text") == "", timeout=WAIT_MS)
    assert prop(item(app, "composeText"), "text") == "written while the server was away"
    click(app, item(app, "composeButton"))  # and it goes now
    qtbot.waitUntil(lambda: [r["text"] for r in app.home.model.rows][:1] == ["written while the server was away"],
                    timeout=WAIT_MS)
    assert prop(item(app, "composeText"), "text") == ""


def test_a_view_that_failed_to_load_while_the_server_was_away_loads_when_it_is_back(qtbot, make_client,
                                                                                      own) -> None:
    app = ann_logged_in(qtbot, make_client, own)
    User(own.base, "bea").bark("a bark to bookmark one day")
    own.stop()
    qtbot.waitUntil(lambda: app.stream.state == "offline", timeout=WAIT_MS)
    app.search.setProperty("query", "bea")
    qtbot.waitUntil(lambda: app.search.error.startswith("Can't reach the server"), timeout=WAIT_MS)

    own.restart()
    qtbot.waitUntil(lambda: app.stream.state == "live", timeout=20_000)
    qtbot.waitUntil(lambda: app.search.error == "" and app.search.model.count == 1, timeout=WAIT_MS)


def test_the_status_counts_down_to_the_next_attempt(qtbot, monkeypatch) -> None:
    monkeypatch.setattr(stream_module, "FIRST_DELAY", 6.0)  # a wait long enough to watch it count down
    stream = Stream()
    seen: list[str] = []
    stream.stateChanged.connect(lambda: seen.append(stream.detail))
    try:
        stream.start(f"http://127.0.0.1:{free_port()}", "no-token", None)  # nothing listens there: refused

        def counted_down() -> bool:
            numbers = [int(m.group(1)) for m in map(re.compile(r"Reconnecting in (\d+) s\.$").search, seen) if m]
            return any(numbers[i:i + 3] == [n, n - 1, n - 2] for i, n in enumerate(numbers))
        qtbot.waitUntil(counted_down, timeout=WAIT_MS)
        assert stream.state == "offline" and stream.retrying
        assert seen[-1].startswith("Can't reach the server. Reconnecting in ")
        assert not any(RAW.search(text) for text in seen), seen
    finally:
        stream.stop()


def test_retry_now_reconnects_at_once_and_is_reached_by_keyboard(qtbot, make_client, own, monkeypatch) -> None:
    # Waits far longer than the test, and no knocking on the port: only "Retry now" can bring it back.
    monkeypatch.setattr(stream_module, "FIRST_DELAY", 3600.0)
    monkeypatch.setattr(stream_module, "PROBE_FOR", 0.0)
    app = ann_logged_in(qtbot, make_client, own)
    own.stop()
    qtbot.waitUntil(lambda: bool(items(app, "retryNowButton")), timeout=WAIT_MS)
    assert app.stream.retryIn > 60
    own.restart()

    set_width(qtbot, app, NARROWEST)  # the status and the button fit beside the title, in a narrow window
    title, text = item(app, "pageTitle"), item(app, "connectionText")
    bar = title.parentItem()
    qtbot.waitUntil(lambda: not past_the_edge(bar, NARROWEST), timeout=WAIT_MS)
    assert text.x() >= title.x() + title.width()

    app.window.requestActivate()
    button = item(app, "retryNowButton")
    app.window.contentItem().forceActiveFocus()
    for _ in range(60):  # Tab round the window until the keyboard is on the button
        press(app, Qt.Key.Key_Tab)
        if focus(app) is button:
            break
    assert focus(app) is button, "Retry now is not in the Tab chain"
    assert prop(item(app, "focusRing", button), "visible")
    press(app, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: app.stream.state == "live", timeout=WAIT_MS)
    assert not items(app, "retryNowButton")


@pytest.mark.parametrize("error, sentence", [
    (ConnectionRefusedError(111, "Connection refused"), "Can't reach the server."),
    (socket.gaierror(-2, "Name or service not known"), "Can't find the server (is the network down?)."),
    (TimeoutError(), "The server is not answering."),
    (ssl.SSLCertVerificationError("certificate verify failed"), "A secure connection to the server could not be made."),
    (InvalidStatus(Response(502, "Bad Gateway", Headers())), "The server refused the live connection (HTTP 502)."),
    (ConnectionClosedError(None, None), "The connection to the server was lost."),
    (OSError(113, "No route to host"), "The connection to the server was lost."),
    (ValueError("invalid literal"), "The live connection failed."),
])
def test_every_connection_failure_is_a_sentence(error, sentence) -> None:
    assert connection_failure(error) == sentence
