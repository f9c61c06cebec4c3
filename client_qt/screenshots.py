"""Render each main screen of the desktop client to PNG (docs/screenshots/): starts `barker serve --demo`
on a free port with a temporary store, makes the demo user a moderator (`barker admin`, as an operator
would), logs in as them, gives them a profile picture and posts a
bark with a photo (both drawn here with Pillow, uploaded through the client), has a few seeded users react
to it, reply to it (a small conversation for the thread view) and follow them (so notifications arrive live),
and saves every page.

    python -m client_qt.screenshots [--out docs/screenshots] [--theme light|dark]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PIL import Image, ImageDraw
from PySide6.QtCore import QCoreApplication, QEventLoop, QMetaObject
from PySide6.QtGui import QGuiApplication, QImage

from client_qt.app import ClientApp

DEMO = ("demo", "barker-demo")
SIZE = (1100, 720)


def settle(seconds: float = 0.3) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        time.sleep(0.01)


def wait_for(check: Callable[[], Any], what: str, timeout: float = 30.0) -> None:
    end = time.monotonic() + timeout
    while not check():
        if time.monotonic() > end:
            raise TimeoutError(f"timed out waiting for {what}")
        settle(0.05)


def landscape(path: Path, size: tuple[int, int] = (1200, 800)) -> Path:
    """A sunset over hills: a sky fading from blue to orange, a sun, two ridges."""
    w, h = size
    im = Image.new("RGB", size)
    draw = ImageDraw.Draw(im)
    for y in range(h):
        t = y / h
        draw.line([(0, y), (w, y)], fill=(int(40 + 215 * t), int(90 + 80 * t), int(170 - 110 * t)))
    draw.ellipse((w * 0.58, h * 0.34, w * 0.72, h * 0.55), fill=(255, 226, 120))
    draw.polygon([(0, h * 0.62), (w * 0.3, h * 0.5), (w * 0.65, h * 0.66), (w, h * 0.55), (w, h), (0, h)],
                 fill=(70, 95, 80))
    draw.polygon([(0, h * 0.8), (w * 0.45, h * 0.7), (w, h * 0.84), (w, h), (0, h)], fill=(40, 60, 50))
    im.save(path, quality=90)
    return path


def paw(path: Path, side: int = 400) -> Path:
    """A profile picture: a white paw print on the accent orange."""
    im = Image.new("RGB", (side, side), (217, 83, 30))
    draw = ImageDraw.Draw(im)
    s = side / 100
    draw.ellipse((32 * s, 50 * s, 68 * s, 80 * s), fill="white")
    for x, y in ((24, 42), (40, 30), (60, 30), (76, 42)):
        draw.ellipse(((x - 8) * s, (y - 9) * s, (x + 8) * s, (y + 9) * s), fill="white")
    im.save(path)
    return path


def save(app: ClientApp, path: Path) -> QImage:
    """The window as it is on screen, after pending paints (Canvas included) have run."""
    settle(0.4)
    image = app.window.grabWindow()
    path.parent.mkdir(parents=True, exist_ok=True)
    if not image.save(str(path)):
        raise OSError(f"could not write {path}")
    return image


class Rest:
    """A seeded user acting over plain HTTP (to make something happen that the client then shows)."""

    def __init__(self, base: str, handle: str, password: str = DEMO[1]) -> None:
        self.base = base
        self.token = self.call("POST", "/v1/sessions", {"handle": handle, "password": password})["token"]

    def call(self, method: str, path: str, body: Any = None) -> Any:
        request = urllib.request.Request(self.base + path, method=method,
                                         data=None if body is None else json.dumps(body).encode())
        request.add_header("content-type", "application/json")
        if getattr(self, "token", None):
            request.add_header("authorization", f"Bearer {self.token}")
        with urllib.request.urlopen(request, timeout=30) as response:
            data = response.read()
        return json.loads(data) if data else None


def start_backend(data_dir: Path) -> tuple[subprocess.Popen, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "backend.cli", "serve", "--demo", "--port", str(port),
                             "--data-dir", str(data_dir), "--log-level", "warning", "--no-access-log"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    end = time.monotonic() + 180  # seeding the demo data comes first
    while True:
        try:
            with urllib.request.urlopen(f"{base}/readyz", timeout=1):
                return proc, base
        except OSError:
            if proc.poll() is not None or time.monotonic() > end:
                proc.kill()
                raise RuntimeError("the demo server did not start") from None
            time.sleep(0.3)


def shoot(base: str, out: Path, theme: str = "light") -> list[Path]:
    app = ClientApp(config=Path(tempfile.mkdtemp(prefix="barker-client-")), server_url=base)
    app.appearance.setProperty("choice", theme)
    app.window.resize(*SIZE)
    shots: list[Path] = []

    def shot(name: str) -> None:
        shots.append(out / f"{name}.png")
        save(app, shots[-1])
        print(f"saved {shots[-1]}")

    try:
        wait_for(app.window.isExposed, "the window")
        app.items("loginHandle")[0].setProperty("text", DEMO[0])
        app.items("loginPassword")[0].setProperty("text", DEMO[1])
        shot("login")
        app.session.logIn(base, *DEMO)
        wait_for(lambda: app.stream.state == "live" and app.home.loaded and app.home.model.count, "home")

        # A profile picture and a bark with a photo, through the client as a person would add them.
        pictures = Path(tempfile.mkdtemp(prefix="barker-pictures-"))
        app.profile.setAvatar(str(paw(pictures / "paw.png")))
        wait_for(lambda: app.session.me.get("avatar_url"), "the avatar")
        app.compose.attach(str(landscape(pictures / "sunset.jpg")),
                           "An orange sun setting behind a low hill, under a purple sky")  # its ALT badge
        wait_for(lambda: app.compose.canPost, "the photo's upload")
        app.compose.text = "Evening walk with the dogs: this sunset 🌅 #sunset"
        app.compose.post()
        wait_for(lambda: app.home.model.rows[0]["media"] and not app.compose.attachments, "the photo bark")
        wait_for(lambda: all(i.property("loadStatus") == 1 for i in app.items("mediaThumb")), "the thumbnail")
        shot("home")

        # Others react to my newest bark and follow me: notifications arrive over the stream.
        me = Rest(base, DEMO[0])
        mine = next(b["id"] for b in me.call("GET", "/v1/users/demo/barks?limit=50")["items"] if b["text"])
        fans = [s["user"]["handle"] for s in me.call("GET", "/v1/suggestions?limit=4")["items"]]
        for handle, emoji in zip(fans, ["🐶", "🎉", "❤️", "🔥"], strict=False):
            fan = Rest(base, handle)
            fan.call("POST", f"/v1/barks/{mine}/reactions", {"emoji": emoji})
            fan.call("PUT", "/v1/me/following/demo")
        # A conversation under it: a question mentioning me, my answer with a tag and a link, replies to both.
        def say(handle: str, text: str, reply_to: int) -> int:
            user = me if handle == DEMO[0] else Rest(base, handle)
            return int(user.call("POST", "/v1/barks", {"text": text, "reply_to": reply_to})["id"])
        question = say(fans[0], f"Gorgeous! Where was this, @{DEMO[0]}?", mine)
        answer = say(DEMO[0], "The hill behind the park: https://example.org/walks/hill #sunset", question)
        say(fans[1 % len(fans)], "Adding it to my walks 🐾", answer)
        say(fans[2 % len(fans)], "Those colours 🔥", mine)
        wait_for(lambda: app.notifications.model.count >= 6, "notifications")

        app.compose.text = "Trying the desktop client: the counter shows what is left of 280 characters 🐶"
        app.compose.attach(str(paw(pictures / "paw-again.png")))
        wait_for(lambda: app.compose.canPost and all(i.property("loadStatus") == 1
                                                     for i in app.items("attachmentThumb")), "the attachment")
        shot("compose")
        app.compose.clear()
        app.nav.openProfile(DEMO[0])
        wait_for(lambda: app.profile.barks.loaded and app.profile.user.get("handle") == "demo", "my profile")
        shot("profile")
        app.nav.openThread(question)  # the photo bark above, the question highlighted, replies indented
        wait_for(lambda: app.thread.loaded and app.thread.model.count >= 4, "the thread")
        settle(0.3)
        QMetaObject.invokeMethod(app.items("threadList")[0], "positionViewAtEnd")
        shot("thread")
        app.nav.open("nearby")
        wait_for(lambda: not app.nearby.loading and app.nearby.model.count, "nearby users")
        shot("nearby")
        app.nav.open("suggestions")
        wait_for(lambda: not app.suggestions.loading and app.suggestions.model.count, "suggestions")
        shot("suggestions")
        app.nav.open("search")
        app.search.query = "coffee"
        app.search.run()
        wait_for(lambda: not app.search.loading and app.search.model.count, "search results")
        shot("search")
        app.nav.open("notifications")
        wait_for(lambda: all(r["barkText"] for r in app.notifications.model.rows if r["kind"] != "follow"),
                 "notified barks")
        shot("notifications")
        # Someone else's profile: follow, mute, block and report are there.
        app.nav.openProfile(fans[0])
        wait_for(lambda: app.profile.barks.loaded and app.profile.user.get("handle") == fans[0], "their profile")
        shot("profile-other")
        # A report for the moderators' queue (the demo user moderates), one account blocked and one muted.
        suspect = fans[-1]
        reported = [b["id"] for b in me.call("GET", f"/v1/users/{suspect}/barks?limit=2")["items"] if b["text"]]
        Rest(base, fans[1 % len(fans)]).call("POST", "/v1/reports", {
            "handle": suspect, "bark_ids": reported[:1], "reason": "spam",
            "text": "Posts the same link under every bark, several times a minute"})
        app.nav.open("moderation")
        wait_for(lambda: app.moderation.queue, "the reports queue")
        shot("moderation")
        me.call("PUT", f"/v1/me/blocks/{suspect}")
        me.call("PUT", f"/v1/me/mutes/{fans[2 % len(fans)]}", {"duration": 86400})
        app.nav.open("settings")  # my role, an export just saved (the path set, as the file dialog would), my lists
        wait_for(lambda: app.blocked.model.count and app.muted.model.count, "the blocked and muted lists")
        app.settings.setProperty("exportPath", str(pictures / "barker-demo.zip"))
        app.settings.exportData()
        wait_for(lambda: app.settings.property("exportState") == "done", "the export")
        shot("settings")
    finally:
        app.close()
    return shots


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="docs/screenshots", help="where the PNGs go")
    parser.add_argument("--server", help="use this running server (with demo data) instead of starting one")
    parser.add_argument("--theme", choices=("light", "dark"), default="light", help="the colours to render in")
    args = parser.parse_args(argv)
    qt = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 - must outlive the app
    if args.server:
        shoot(args.server.rstrip("/"), Path(args.out), args.theme)
        return 0
    with tempfile.TemporaryDirectory(prefix="barker-shots-") as tmp:
        proc, base = start_backend(Path(tmp) / "data")
        try:
            # The demo user moderates: the operator's command, on the server's store.
            subprocess.run([sys.executable, "-m", "backend.cli", "admin", "--data-dir", str(Path(tmp) / "data"),
                            "account", "promote", DEMO[0], "--role", "moderator"], check=True)
            shoot(base, Path(args.out), args.theme)
        finally:
            proc.terminate()
            proc.wait(30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
