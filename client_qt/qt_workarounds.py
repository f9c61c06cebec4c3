"""A workaround for a reference-counting bug in PySide6 (seen in 6.12.0): `SignalInstance.emit()` returns
Python's True without taking a reference to it, so every signal emitted from Python takes one reference
from True that was never given. A session emits thousands (each view's `changed`, the clock, the stream),
and once True's count reaches zero Python aborts: "Fatal Python error: bool_dealloc", typically at close,
when the last holders of True let go.

`apply()` checks whether this PySide has the bug (a few emits of a private signal, their damage repaired)
and only then wraps `emit` so that the reference it hands back is a real one."""

from __future__ import annotations

import ctypes
import sys
from typing import Any

from PySide6.QtCore import QObject, Signal, SignalInstance

PROBES = 32
_applied = False


class _Probe(QObject):
    ping = Signal()


def _incref(value: object) -> None:
    ctypes.pythonapi.Py_IncRef(ctypes.py_object(value))


def emit_steals_a_reference() -> bool:
    """Whether `emit()` hands back a reference it does not own (measured on True, which it returns). The
    references the probe took are given back."""
    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(PROBES):
        probe.ping.emit()
    lost = before - sys.getrefcount(True)
    for _ in range(max(0, lost)):
        _incref(True)
    return lost >= PROBES


def apply() -> None:
    """Once per process, before the first signal of the app is emitted."""
    global _applied
    if _applied:
        return
    _applied = True
    if not emit_steals_a_reference():
        return
    original = SignalInstance.emit

    def emit(self: SignalInstance, *args: Any) -> Any:
        result = original(self, *args)
        _incref(result)  # the reference that `original` should have taken, and the caller will drop
        return result

    SignalInstance.emit = emit  # type: ignore[method-assign]
