"""Store adapters behind one contract (barker.ports: Store and the narrow protocols it is made of)."""

from __future__ import annotations

from barker.ports.capabilities import Capabilities
from barker.ports.store import Store
from barker.settings import Settings


def _is_arango(settings: Settings) -> bool:
    return settings.store_url.startswith("arangodb://")


def capabilities_for(settings: Settings) -> Capabilities:
    """What the store the settings ask for can do, without opening it (backup and `serve --demo` decide
    before they open one). The same value as open_store(settings).capabilities."""
    if _is_arango(settings):
        from barker.store.arango_base import CAPABILITIES as ARANGO  # no driver import: python-arango is optional

        return ARANGO
    from barker.store.sqlite import CAPABILITIES as SQLITE

    return SQLITE


def open_store(settings: Settings) -> Store:
    """The store the settings ask for; SQLite in the data directory unless BARKER_STORE_URL says otherwise."""
    if _is_arango(settings):
        from barker.store.arango import ArangoStore  # imported lazily: python-arango is optional

        return ArangoStore.from_url(settings.store_url, stream_retain=settings.stream_retain,
                                    location_resolution=settings.location_resolution,
                                    query_max_runtime=settings.arango_query_max_runtime)
    from barker.store.sqlite import SqliteStore

    return SqliteStore(settings.sqlite_path, stream_retain=settings.stream_retain,
                       location_resolution=settings.location_resolution, compact_rows=settings.stream_compact_rows)
