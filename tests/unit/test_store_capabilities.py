"""What each engine says it can do (barker.ports.capabilities), and that the runtime goes by it rather than
by the store URL: the SQLite store is real; the ArangoDB store is the real adapter on the recording fake of
the python-arango driver (tests/arango_driver_fake.py), since no server can run here."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import pytest

from barker.gateway import StoreGateway
from barker.ports.capabilities import Capabilities
from barker.settings import Settings
from barker.store import capabilities_for, open_store
from barker.store.arango import ArangoStore
from barker.store.sqlite import SqliteStore
from barker.store.sqlite_maintenance import SqliteMaintenance
from tests.arango_driver_fake import Recorder, fake_store

ARANGO_URL = "arangodb://root:pw@fake:8529/barker"


@pytest.fixture
def arango() -> tuple[ArangoStore, Recorder]:
    rec = Recorder()
    return fake_store(rec, stream_retain=1000), rec


def test_sqlite_is_local_groups_commits_and_compacts(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, stream_compact_rows=1234)
    store = open_store(settings)
    try:
        assert store.capabilities == Capabilities(group_commit=True, local=True, needs_compaction=True)
        assert capabilities_for(settings) == store.capabilities  # the same answer without opening it
        maintenance = store.maintenance()
        assert isinstance(maintenance, SqliteMaintenance)
        assert maintenance.compactor.threshold == 1234  # BARKER_STREAM_COMPACT_ROWS reaches the compactor
        assert store.maintenance() is not maintenance  # one per worker: each keeps its own estimates
    finally:
        store.close()


def test_arangodb_is_remote_writes_alone_and_its_maintenance_does_nothing(
        arango: tuple[ArangoStore, Recorder]) -> None:
    store, rec = arango
    assert store.capabilities == Capabilities(group_commit=False, local=False, needs_compaction=False)
    assert capabilities_for(Settings(store_url=ARANGO_URL)) == store.capabilities
    sent = (len(rec.queries), len(rec.writes), len(rec.transactions))
    maintenance = store.maintenance()
    maintenance.start()
    maintenance.appended(10**9, range(10))
    assert not maintenance.due()  # however much fan-out wrote: RocksDB compacts on its own
    assert not maintenance.wants_recount()
    assert not maintenance.idle()
    assert maintenance.run_all(1000) == 0
    assert (len(rec.queries), len(rec.writes), len(rec.transactions)) == sent  # not a request sent for it


@pytest.mark.parametrize("local", [True, False])
def test_inline_reads_only_on_a_local_store(tmp_path: Path, local: bool) -> None:
    """BARKER_INLINE_READS runs reads on the event loop; a store that is not local (a network round trip
    per read) must keep them on the reader threads whatever the setting says."""

    class Store(SqliteStore):
        capabilities = Capabilities(group_commit=True, local=local, needs_compaction=True)

    gw = StoreGateway(Store(tmp_path / "s.db"), Settings(data_dir=tmp_path, inline_reads=True))

    async def reading_thread() -> str:
        return await gw.read(lambda: threading.current_thread().name)

    try:
        name = asyncio.run(reading_thread())
        assert (name == threading.main_thread().name) == local
    finally:
        gw.close()
