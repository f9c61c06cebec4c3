"""The screenshot script's renderer writes a real picture of the window (not a blank one)."""

from __future__ import annotations

from PySide6.QtGui import QImage

from client_qt.screenshots import SIZE, save


def test_a_rendered_screen_is_a_picture(make_client, tmp_path) -> None:
    app = make_client("http://127.0.0.1:9")
    app.window.resize(*SIZE)
    path = tmp_path / "login.png"
    save(app, path)
    image = QImage(str(path))
    assert (image.width(), image.height()) == SIZE
    colours = {image.pixel(x, y) for x in range(0, SIZE[0], 7) for y in range(0, SIZE[1], 7)}
    assert len(colours) > 20  # text, fields, the accent-coloured title: not one flat colour
    accent = [c for c in colours if (c >> 16 & 0xFF) > 180 and (c >> 8 & 0xFF) < 120 and (c & 0xFF) < 80]
    assert accent, "the orange Barker title is missing"
