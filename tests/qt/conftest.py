"""Qt client tests: Qt offscreen (set before anything imports Qt), a real `barker serve` on a free port
with a temporary store, and client windows that are closed at the end of each test."""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"

from collections.abc import Iterator
from pathlib import Path

import pytest

from client_qt.app import ClientApp
from tests.servers import Server


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One backend per test module (starting one takes about a second)."""
    tmp = tmp_path_factory.mktemp("backend")
    backend = Server(tmp / "data", tmp / "server.log").start()
    yield backend
    backend.stop()


@pytest.fixture
def make_client(qtbot, tmp_path: Path) -> Iterator:
    """make_client(server_url, name) -> a ClientApp with its own config directory."""
    clients: list[ClientApp] = []

    def make(server_url: str, name: str = "client", config: Path | None = None) -> ClientApp:
        client = ClientApp(config=config or tmp_path / f"config-{name}", server_url=server_url)
        qtbot.waitUntil(client.window.isExposed)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()
