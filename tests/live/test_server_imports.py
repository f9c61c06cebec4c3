"""A server installed with `pip install .` alone works: the real `barker serve`, driven through its main
features (accounts, barks with a picture, follows, timelines, discovery, the websocket stream) and shut
down, imports no module that `pip install .` does not install: no PySide6, no desktop client, no test tool.
PYTHONPROFILEIMPORTTIME makes Python log every import of the process (and of any child, which inherits it).
(tests/unit/test_install.py checks that PySide6 and the test tools are not among those requirements.)"""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

from tests.images import jpeg_with_gps
from tests.installed import distributions_of, requirement_closure
from tests.live.client import Stream, User
from tests.servers import Server

IMPORTED = re.compile(r"^import time:\s+\d+ \|\s+\d+ \|\s*([\w.]+)$", re.MULTILINE)
# Loaded by the venv's site-packages .pth files in every Python process of any venv, before any of our code.
SITE_HOOKS = {"_distutils_hack"}


def use_every_feature(server: Server) -> None:
    alice, bob = User(server.base, "alice"), User(server.base, "bob")
    bob.follow(alice)
    photo = alice.call("POST", "/v1/media", files={"file": ("photo.jpg", jpeg_with_gps(), "image/jpeg")})
    alice.call("POST", "/v1/barks", json={"text": "hello #barker @bob", "media_ids": [photo["id"]]})
    for user, (lat, lon) in ((alice, (52.52, 13.40)), (bob, (52.50, 13.45))):
        user.call("PUT", "/v1/me/location", json={"lat": lat, "lon": lon})
    for path in ("/v1/timelines/home", "/v1/timelines/public", "/v1/users/nearby", "/v1/users/search?q=al",
                 "/v1/suggestions", "/v1/users/alice/followers", "/v1/stream/events"):
        bob.call("GET", path)

    async def stream() -> None:
        socket = await Stream.open(server.ws, bob.token)
        await socket.until_caught_up()
        await socket.close()

    asyncio.run(stream())


def test_the_server_imports_only_what_pip_install_dot_installs(tmp_path: Path) -> None:
    server = Server(tmp_path / "data", tmp_path / "server.log", PYTHONPROFILEIMPORTTIME="1").start()
    try:
        use_every_feature(server)
    finally:
        server.stop()
    modules = {name.split(".")[0] for name in IMPORTED.findall(server.output())}
    assert {"barker", "backend", "uvicorn", "PIL", "h3"} <= modules  # the log holds the server's imports

    assert "client_qt" not in modules  # part of the barker distribution, but the desktop client's
    runtime = requirement_closure("barker")
    # The log also names imports that were tried and failed (optional features): those have no provider
    # here, as have the standard library's modules and the project's own.
    foreign = {module: providers for module, providers in distributions_of(modules - SITE_HOOKS).items()
               if providers and not providers & runtime}
    assert not foreign, f"imported by the server, but not installed by `pip install .`: {foreign}"
