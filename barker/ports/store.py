"""The whole store contract: every port at once. Adapters implement it; the runtime (writer, gateway,
fan-out worker, stream hub) and the process wiring hold it. Services take the narrow ports instead."""

from __future__ import annotations

from typing import Protocol

from barker.ports.accounts import Accounts, Tokens
from barker.ports.barks import Barks
from barker.ports.bookmarks import Bookmarks
from barker.ports.departures import Departures
from barker.ports.discovery import Discovery
from barker.ports.graph import FollowGraph
from barker.ports.lifecycle import Leases, Lifecycle, Transactions
from barker.ports.maintenance import Housekeeping
from barker.ports.media import Media
from barker.ports.notifications import Notifications
from barker.ports.operators import Operators
from barker.ports.rate_limits import RateLimits
from barker.ports.reports import Reports
from barker.ports.safety import Safety
from barker.ports.streams import Outbox, Streams
from barker.ports.tags import Tags
from barker.ports.threads import Threads
from barker.ports.timelines import Timelines


class Store(Lifecycle, Transactions, Leases, Accounts, Tokens, Barks, Media, FollowGraph, Timelines, Streams, Outbox,
            Housekeeping, Discovery, RateLimits, Notifications, Tags, Bookmarks, Threads, Operators,
            Departures, Reports, Safety, Protocol):
    """Everything an adapter provides. (Test-only reads of an adapter's internals, such as a raw stream
    page, are not part of it: see tests/store_testing.py.)"""
