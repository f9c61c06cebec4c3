"""A long session does not wear out Python's None or True. PySide6 6.12.0 took a reference from None on every
call of a method that returns nothing (`processEvents`, `setObjectName`, a timer's `start`…) and one from True
on every `emit()`, so a session of a few minutes — an outage's reconnect attempts sooner — ended in "Fatal
Python error: none_dealloc" (or bool_dealloc). pyproject.toml excludes that release; these tests fail on it."""

from __future__ import annotations

import ctypes
import gc
import sys
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

from tests.live.client import User
from tests.qt.ui import WAIT_MS, log_in

RUNS = 500


class Pinger(QObject):
    ping = Signal()
    carry = Signal(object)


def references_lost(singleton: object, action: Callable[[], object]) -> int:
    """How many references to `singleton` (None or True) `RUNS` runs of `action` took. Any taken are given
    back, so that a failing test does not abort the whole run."""
    # Garbage that earlier tests left in reference cycles lets go of thousands of references to True and None
    # when the collector happens to run: collect it first, and keep the collector out of the count.
    gc.collect()
    gc.disable()
    try:
        before = sys.getrefcount(singleton)
        for _ in range(RUNS):
            action()
        lost = before - sys.getrefcount(singleton)
    finally:
        gc.enable()
    for _ in range(max(0, lost)):
        ctypes.pythonapi.Py_IncRef(ctypes.py_object(singleton))
    return lost


def test_emitting_signals_takes_nothing_from_true(qtbot) -> None:
    pinger = Pinger()
    pinger.carry.connect(lambda value: None)
    # A leak takes one per emit (RUNS); a little noise from elsewhere is allowed.
    assert references_lost(True, pinger.ping.emit) < RUNS // 10
    assert references_lost(True, lambda: pinger.carry.emit({"following": True})) < RUNS // 10


def test_calling_qt_methods_that_return_nothing_takes_nothing_from_none(qtbot) -> None:
    timer = QTimer()
    assert references_lost(None, QCoreApplication.processEvents) < RUNS // 10
    assert references_lost(None, lambda: (timer.start(1000), timer.stop())) < RUNS // 10


def test_a_session_of_changes_takes_nothing_from_true_or_none(qtbot, server, make_client) -> None:
    User(server.base, "long")
    app = make_client(server.base)
    log_in(qtbot, app, server.base, "long")

    # What a long session does over and over: views change (QML re-reads them), the clock ticks, pages open.
    def a_while() -> None:
        app.session.changed.emit()
        app.home.model.tick()
        app.nav.open("search")
        app.nav.open("home")

    assert references_lost(True, a_while) < RUNS // 10
    assert references_lost(None, a_while) < RUNS // 10
    qtbot.waitUntil(lambda: app.home.loaded, timeout=WAIT_MS)
