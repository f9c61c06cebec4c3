"""What an engine is, as far as the runtime must know: the few facts that decide how Barker drives a store
(grouping writes, reading inline, backing up files), so nothing above the adapters checks the store URL."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Capabilities:
    # Whether barker.writer may group request writes into one bulk() transaction: true where a nested
    # call rolls back alone (SQLite savepoints) and a commit is the expensive part; false on ArangoDB.
    group_commit: bool
    # An embedded store in this process: a read costs microseconds, so running it on the event loop
    # (settings.inline_reads) beats a thread hand-over, and its files can be copied by `barker backup`
    # and seeded by `barker serve --demo`. False for a network store, where a read waits on a socket.
    local: bool
    # Whether store.maintenance() does real work (SQLite's stream compaction); informational: the
    # fan-out worker drives it either way.
    needs_compaction: bool
