"""A long session does not wear out Python's True: PySide6 6.12's `emit()` took a reference from it per
signal, until closing the app aborted with "Fatal Python error: bool_dealloc" (client_qt/qt_workarounds.py)."""

from __future__ import annotations

import ctypes
import sys

from PySide6.QtCore import QObject, Signal

from tests.live.client import User
from tests.qt.ui import WAIT_MS, log_in

EMITS = 500


class Pinger(QObject):
    ping = Signal()
    carry = Signal(object)


def references_lost(action) -> int:
    """How many references to True `EMITS` runs of `action` took; any taken are given back, so that a failing
    test does not abort the whole run."""
    before = sys.getrefcount(True)
    for _ in range(EMITS):
        action()
    lost = before - sys.getrefcount(True)
    for _ in range(max(0, lost)):
        ctypes.pythonapi.Py_IncRef(ctypes.py_object(True))
    return lost


def test_emitting_signals_takes_nothing_from_true(qtbot) -> None:
    pinger = Pinger()
    pinger.carry.connect(lambda value: None)
    # A leak takes one per emit (EMITS); a little noise from elsewhere is allowed.
    assert references_lost(pinger.ping.emit) < EMITS // 10
    assert references_lost(lambda: pinger.carry.emit({"following": True})) < EMITS // 10


def test_a_session_of_changes_takes_nothing_from_true(qtbot, server, make_client) -> None:
    User(server.base, "long")
    app = make_client(server.base)
    log_in(qtbot, app, server.base, "long")
    # What a long session does over and over: views change (QML re-reads them), the clock ticks, pages open.
    assert references_lost(lambda: (app.session.changed.emit(), app.home.model.tick(),
                                    app.nav.open("search"), app.nav.open("home"))) < EMITS // 10
    qtbot.waitUntil(lambda: app.home.loaded, timeout=WAIT_MS)
