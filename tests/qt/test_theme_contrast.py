"""Text reads in both themes (WCAG 2.x AA) whatever the system's palette, and the theme choice works.

Each main view is rendered offscreen against a real server with data (barks with links, tags, mentions and
reactions, a profile with a bio, notifications, blocked and muted accounts, a report in the moderators'
queue, a notice), once in the light theme under a DARK system palette and once in the dark theme under a
LIGHT one: each theme where the system's colours would hurt it most (a control that took the system's text
colour would draw it light on our light cards, or dark on our dark ones; with GTK_THEME=Adwaita:dark the
names, bark text and page titles were white on white). The system palette is the one the Controls read:
offscreen the platform has none, so it is given through QT_QUICK_CONTROLS_CONF, which Qt reads once per
process; each rendering runs in a process of its own (tests/qt/contrast_probe.py).

How contrast is measured, per view:
1. Every text item in the window's tree (Text and Label, the Controls' inner texts and placeholders, text
   fields) that is visible, enabled (WCAG exempts disabled controls) and not empty is collected.
2. The window is grabbed twice: as it is, and with all those items at opacity 0. The pixels that differ
   inside an item's rectangle are its glyphs as actually drawn; none means the item is clipped away or
   scrolled out of view, and it is skipped.
3. Its background is the most common colour of the second image under those glyph pixels: what is really
   behind the text (a card, a chip, a badge, a button, a photo's scrim), whichever item or style drew it.
4. Its colour is its `color` property (and `linkColor` where it shows links), composed over that background
   with the item's own alpha and the product of its ancestors' opacities, as the scene graph draws it. (The
   declared colour, not the glyph pixels, which antialiasing blends with the background at small sizes.)
5. The WCAG 2.x contrast ratio of the two, (L1 + 0.05) / (L2 + 0.05) with relative luminances, must be at
   least 4.5, or 3 for large text (24 px, or 18.66 px bold)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette

from tests.accounts import as_admin, make_admin
from tests.live.client import User
from tests.qt.ui import WAIT_MS, click, item, log_in
from tests.servers import REPO

# A desktop theme's palette, as the Controls receive it from the platform (Fusion's own light and dark shades).
SYSTEM_PALETTES = {
    "dark": {"Window": "#353535", "WindowText": "#ffffff", "Base": "#2a2a2a", "AlternateBase": "#424242",
             "Text": "#ffffff", "Button": "#353535", "ButtonText": "#ffffff", "PlaceholderText": "#a0a0a0",
             "ToolTipBase": "#353535", "ToolTipText": "#ffffff", "Highlight": "#2a82da",
             "HighlightedText": "#ffffff", "Light": "#505050", "Midlight": "#404040", "Mid": "#252525",
             "Dark": "#191919", "Shadow": "#000000"},
    "light": {"Window": "#efefef", "WindowText": "#000000", "Base": "#ffffff", "AlternateBase": "#f7f7f7",
              "Text": "#000000", "Button": "#efefef", "ButtonText": "#000000", "PlaceholderText": "#808080",
              "ToolTipBase": "#ffffdc", "ToolTipText": "#000000", "Highlight": "#308cc6",
              "HighlightedText": "#ffffff", "Light": "#ffffff", "Midlight": "#cacaca", "Mid": "#b8b8b8",
              "Dark": "#9f9f9f", "Shadow": "#767676"},
}


@pytest.fixture(scope="module")
def seeded(server) -> dict[str, str]:
    """Someone to be, with a profile, barks (a link, a tag, a mention), reactions, followers, replies, a
    suggestion; people they block and mute; a report for the moderators' queue."""
    me = User(server.base, "theo")
    me.call("PATCH", "/v1/me", json={"display_name": "Theo Contrast", "bio": "Reads everything twice. #readable"})
    friends = [User(server.base, h) for h in ("yara", "zeno", "quinn", "ursa")]
    for friend in friends:
        me.follow(friend)
        friend.follow(me)
    friends[0].follow(User(server.base, "vera"))  # suggested to theo
    mine = me.bark("Evening walk: https://example.org/walks #sunset with @yara")
    friends[0].bark("Hello @theo, look at #sunset tonight")
    for friend, emoji in zip(friends, ["🐶", "🎉", "🔥", "❤️"], strict=True):
        friend.call("POST", f"/v1/barks/{mine['id']}/reactions", json={"emoji": emoji})
    friends[1].call("POST", "/v1/barks", json={"text": "Where was this, @theo?", "reply_to": mine["id"]})
    me.call("PUT", f"/v1/me/blocks/{friends[3].handle}")
    me.call("PUT", f"/v1/me/mutes/{friends[2].handle}", json={"duration": 86400})
    reported = friends[1].bark("buy followers now")
    friends[0].call("POST", "/v1/reports", json={"handle": friends[1].handle, "bark_ids": [reported["id"]],
                                                 "reason": "spam", "text": "The same link under every bark"})
    as_admin(server, make_admin(server, "boss"), "PUT", "/v1/admin/accounts/theo/role", {"role": "moderator"})
    # Newest, so at the top of home: a described photo (its ALT badge), for the image viewer too.
    photo = io.BytesIO()
    Image.new("RGB", (640, 360), (150, 185, 215)).save(photo, "PNG")  # a light picture: the hardest for a badge
    sky = me.call("POST", "/v1/media", files={"file": ("sky.png", photo.getvalue(), "image/png")},
                  data={"description": "A pale blue sky over the rooftops"})
    me.call("POST", "/v1/barks", json={"text": "The sky today", "media_ids": [sky["id"]]})
    return {"handle": "theo", "friend": friends[0].handle, "bark": str(mine["id"])}



def render(server, seeded: dict[str, str], theme: str, system: str, tmp_path: Path) -> dict:
    """The probe's readings: every view in `theme`, under the `system` palette."""
    conf = tmp_path / "qtquickcontrols2.conf"
    conf.write_text("[Controls]\nStyle=Fusion\n\n[Fusion\\Palette]\n"
                    + "".join(f"{role}={value}\n" for role, value in SYSTEM_PALETTES[system].items()))
    config = tmp_path / "config"
    config.mkdir()
    (config / "appearance.json").write_text(json.dumps({"theme": theme}))
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QT_QUICK_CONTROLS_CONF": str(conf),
           "BARKER_CLIENT_CONFIG_DIR": str(config), "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-m", "tests.qt.contrast_probe", server.base, seeded["handle"],
                           seeded["friend"], seeded["bark"]], cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=180)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(("theme", "system"), [("light", "dark"), ("dark", "light")])
def test_every_view_reads_at_wcag_aa_in_each_theme_whatever_the_system_palette(
        theme, system, server, seeded, tmp_path: Path) -> None:
    result = render(server, seeded, theme, system, tmp_path)
    readings = result["readings"]
    assert {r["view"] for r in readings} >= {"home", "viewer", "profile", "profile-other", "thread", "tag",
                                             "notifications", "suggestions", "search", "moderation", "settings",
                                             "notice", "login"}
    measured = {(r["view"], r["text"]) for r in readings}
    assert {("home", "ALT"), ("viewer", "A pale blue sky over the rooftops")} <= measured  # over a photo, the scrim
    worst = min(readings, key=lambda r: r["ratio"])
    print(f"\n{theme} theme, {system} system palette: {len(readings)} texts measured, lowest {worst['ratio']:.2f}"
          f" ({worst['view']}: {worst['what']} {worst['text']!r} on {worst['background']})")
    failing = [r for r in readings if r["ratio"] < r["needed"]]
    assert not failing, "\n".join(f"{r['view']}: {r['what']} {r['text']!r} {r['ratio']:.2f} < {r['needed']} "
                                  f"on {r['background']}" for r in failing)
    assert result["dark"] == (theme == "dark")


def window_colour(app) -> str:
    return app.window.property("color").name()


def test_the_theme_switch_in_settings_changes_the_window_and_is_remembered(qtbot, server, seeded, make_client,
                                                                         tmp_path: Path) -> None:
    config = tmp_path / "config"
    app = make_client(server.base, config=config)
    assert app.appearance.property("choice") == "system"  # the default
    log_in(qtbot, app, server.base, seeded["handle"])
    app.nav.open("settings")
    qtbot.waitUntil(lambda: app.nav.page == "settings", timeout=WAIT_MS)
    click(app, item(app, "theme_dark"))
    qtbot.waitUntil(lambda: app.appearance.property("dark"), timeout=WAIT_MS)
    assert window_colour(app) == "#16181c"
    click(app, item(app, "theme_light"))
    qtbot.waitUntil(lambda: not app.appearance.property("dark"), timeout=WAIT_MS)
    assert window_colour(app) == "#f4f5f7"
    click(app, item(app, "theme_dark"))
    qtbot.waitUntil(lambda: app.appearance.property("choice") == "dark", timeout=WAIT_MS)
    app.close()

    again = make_client(server.base, "again", config=config)  # the next run, logged in still
    assert again.appearance.property("choice") == "dark"
    assert window_colour(again) == "#16181c"
    qtbot.waitUntil(lambda: again.nav.page == "home", timeout=WAIT_MS)
    again.nav.open("settings")
    qtbot.waitUntil(lambda: item(again, "theme_dark").property("checked"), timeout=WAIT_MS)


def test_following_the_system_changes_with_its_colour_scheme_and_palette(qtbot, server, make_client) -> None:
    app = make_client(server.base)
    hints = QGuiApplication.styleHints()
    assert app.appearance.property("choice") == "system"
    assert not app.appearance.property("dark")  # offscreen: no scheme, a light palette
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)  # as the platform says when the desktop turns dark
    qtbot.waitUntil(lambda: window_colour(app) == "#16181c", timeout=WAIT_MS)
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)
    qtbot.waitUntil(lambda: window_colour(app) == "#f4f5f7", timeout=WAIT_MS)

    qt = QGuiApplication.instance()
    assert isinstance(qt, QGuiApplication)
    before = QPalette(qt.palette())
    dark = QPalette(QColor("#353535"))
    dark.setColor(QPalette.ColorRole.WindowText, QColor("#ffffff"))
    try:
        qt.setPalette(dark)  # a platform that tells no scheme, only a dark palette
        qtbot.waitUntil(lambda: window_colour(app) == "#16181c", timeout=WAIT_MS)
        app.appearance.setProperty("choice", "light")  # a choice of one's own wins over the system
        qtbot.waitUntil(lambda: window_colour(app) == "#f4f5f7", timeout=WAIT_MS)
    finally:
        qt.setPalette(before)
