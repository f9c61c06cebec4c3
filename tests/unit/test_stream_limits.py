"""The per-user socket cap in the stream hub: the newest socket over the cap is refused, the others are
untouched, other users are unaffected, and a closed socket frees its place."""

from __future__ import annotations

from pathlib import Path

import pytest

from barker.errors import RateLimited
from barker.gateway import StoreGateway
from barker.services.streams import tokens_gone
from barker.settings import Settings
from barker.store.sqlite import SqliteStore
from barker.streams import StreamHub


@pytest.fixture
def hub(tmp_path: Path):
    gw = StoreGateway(SqliteStore(tmp_path / "hub.db"), Settings(data_dir=tmp_path))
    yield StreamHub(gw, tokens_gone=tokens_gone, poll_seconds=1, worker_in_process=True, sockets_per_user=3)
    gw.close()


def test_the_newest_socket_over_the_cap_is_refused_and_a_closed_one_frees_its_place(hub):
    mine = [hub.register(1, "t") for _ in range(3)]
    with pytest.raises(RateLimited, match="at most 3 stream connections per user") as refused:
        hub.register(1, "t")
    assert refused.value.code == "too_many_sockets"
    assert hub._listeners[1] == set(mine)  # the open ones are untouched
    hub.register(2, "u")  # a cap per user
    hub.unregister(mine[0])
    hub.register(1, "t")
    with pytest.raises(RateLimited):
        hub.register(1, "t")


def test_the_default_cap_comes_from_the_settings():
    assert Settings().stream_sockets_per_user == 10
    with pytest.raises(ValueError):
        Settings(stream_sockets_per_user=0)
