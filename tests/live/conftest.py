"""Fixtures for the live tests: real server processes and a real redis-server on free ports."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.servers import Process, RedisServer, Server


@pytest.fixture
def start_server(tmp_path: Path) -> Iterator:
    """start_server(**BARKER_env) -> a running Server on a shared data dir; all stopped at the end."""
    started: list[Process] = []

    def start(data_dir: Path | None = None, **env: str) -> Server:
        server = Server(data_dir or tmp_path / "data", tmp_path / f"server{len(started)}.log", **env).start()
        started.append(server)
        return server

    yield start
    for proc in started:
        proc.stop()


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path).start()
    yield server
    server.stop()
