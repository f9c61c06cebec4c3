"""Memory of a server process and everything it started (image workers, the fork server), from /proc."""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass


def _status_kib(pid: int, key: str) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            return next((int(line.split()[1]) for line in f if line.startswith(key)), 0)
    except OSError:  # gone meanwhile
        return 0


def _pss_kib(pid: int) -> int:
    """Proportional set size: shared pages split among their sharers, so a tree's PSS adds up honestly
    (forked workers share the fork server's preloaded pages; their RSS counts those pages each)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            return next((int(line.split()[1]) for line in f if line.startswith("Pss:")), 0)
    except OSError:
        return 0


def descendants(root: int) -> list[int]:
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        parents.setdefault(ppid, []).append(int(entry))
    found, todo = [], [root]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


@dataclass
class Sample:
    server_mib: float  # VmRSS of the server process itself
    children_mib: float  # VmRSS of its descendants, summed
    tree_pss_mib: float  # PSS of the server and its descendants
    children: int

    @classmethod
    def take(cls, pid: int) -> Sample:
        kids = descendants(pid)
        return cls(_status_kib(pid, "VmRSS:") / 1024, sum(_status_kib(k, "VmRSS:") for k in kids) / 1024,
                   sum(_pss_kib(p) for p in [pid, *kids]) / 1024, len(kids))

    def row(self) -> dict[str, float]:
        return {"server_mib": round(self.server_mib), "children_mib": round(self.children_mib),
                "tree_pss_mib": round(self.tree_pss_mib), "children": self.children}


class PeakSampler(threading.Thread):
    """Samples a process tree every `interval` seconds until stopped; keeps the peak of each figure."""

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        super().__init__(daemon=True, name="rss-sampler")
        self.pid, self.interval = pid, interval
        self.peak: dict[str, float] = {"server_mib": 0, "children_mib": 0, "tree_pss_mib": 0, "children": 0}
        self._halt = threading.Event()

    def run(self) -> None:
        while not self._halt.is_set():
            for key, value in Sample.take(self.pid).row().items():
                self.peak[key] = max(self.peak[key], value)
            self._halt.wait(self.interval)

    def stop(self) -> dict[str, float]:
        self._halt.set()
        self.join()
        return self.peak
