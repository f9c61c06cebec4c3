"""The fan-out worker drives whatever maintenance the store hands it (store.maintenance()), and knows
nothing of compaction itself. A real SQLite store and gateway; only the maintenance object is a recording
fake, since what it does is the adapter's business (SQLite's: tests/unit/test_fanout.py)."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from barker.fanout import run_worker
from barker.gateway import StoreGateway
from barker.ids import IdGenerator
from barker.ports.maintenance import Maintenance
from barker.ports.types import NewUser
from barker.settings import Settings
from barker.store.sqlite import SqliteStore

FOLLOWERS = 30


class RecordingMaintenance:
    """Asks for two steps after each fan-out round that wrote something, then a recount; records each
    call with the thread it ran on."""

    def __init__(self) -> None:
        self.calls: list[tuple[Any, ...]] = []
        self.steps_left = 0

    def _record(self, *call: Any) -> None:
        self.calls.append((*call, threading.current_thread().name))

    def start(self) -> None:
        self._record("start")

    def appended(self, rows: int, owners: Iterable[int] = ()) -> None:
        self._record("appended", rows, frozenset(owners))
        if rows:
            self.steps_left = 2

    def due(self) -> bool:
        return self.steps_left > 0

    def step(self, max_rows: int) -> None:
        self._record("step", max_rows)
        self.steps_left -= 1

    def wants_recount(self) -> bool:
        return self.steps_left == 0

    def recount(self) -> None:
        self._record("recount")

    def idle(self) -> bool:
        self._record("idle")
        return False

    def run_all(self, slice_rows: int, on_rows: Callable[[int], None] = lambda n: None) -> int:
        self._record("run_all")
        return 0


class StoreWithRecordedMaintenance(SqliteStore):
    def __init__(self, path: Path, recorder: RecordingMaintenance) -> None:
        super().__init__(path)
        self.recorder = recorder

    def maintenance(self) -> RecordingMaintenance:  # type: ignore[override]
        return self.recorder


def test_the_worker_drives_the_stores_maintenance_between_fan_out_rounds(tmp_path: Path) -> None:
    recorder: Maintenance = RecordingMaintenance()
    assert isinstance(recorder, RecordingMaintenance)
    store = StoreWithRecordedMaintenance(tmp_path / "w.db", recorder)
    settings = Settings(data_dir=tmp_path, fanout_batch_size=1000, stream_compact_rows=0)
    gw = StoreGateway(store, settings)
    ids = IdGenerator(3)
    author, *followers = (ids.next() for _ in range(FOLLOWERS + 1))
    with store.bulk():
        for i, uid in enumerate([author, *followers]):
            store.create_user(NewUser(uid, f"u{i}", f"u{i}", "U", "", "x"))
        for f in followers:
            store.follow(f, author, ids.next(), ids.next())
    store.post_bark(ids.next(), author, "to everyone", None, 10_000, ids.next())
    fresh_before = store.uncompacted_stream_rows()

    async def run_until_idle() -> None:
        worker = asyncio.create_task(run_worker(gw, idle_poll_seconds=0.05, idle_pass_seconds=0.2))
        try:
            deadline = asyncio.get_running_loop().time() + 30
            while (not any(c[0] == "idle" for c in recorder.calls)
                   and asyncio.get_running_loop().time() < deadline):
                await asyncio.sleep(0.05)
        finally:
            worker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await worker

    try:
        asyncio.run(run_until_idle())
        names = [c[0] for c in recorder.calls]
        assert names[0] == "start"
        first = names.index("appended")
        # The bark is fanned out (the follows' events were appended by the follow itself), then the steps
        # the maintenance asked for.
        rounds = [c for c in recorder.calls if c[0] == "appended"]
        assert sum(c[1] for c in rounds) == FOLLOWERS
        assert frozenset().union(*(c[2] for c in rounds)) == frozenset(followers)
        assert names[first:first + 4] == ["appended", "step", "step", "recount"]
        steps = [c for c in recorder.calls if c[0] == "step"]
        assert all(c[1] == settings.fanout_batch_size for c in steps)
        assert all(c[2] == "barker-write" for c in steps)  # on the writer, as background work
        assert "idle" in names and "run_all" not in names
        # The worker compacted nothing on its own (stream_compact_rows=0 would have it compact at once).
        assert store.uncompacted_stream_rows() >= fresh_before + FOLLOWERS
    finally:
        gw.close()
