"""Store adapters behind one contract (barker.ports: Store and the narrow protocols it is made of)."""

from __future__ import annotations

from barker.ports.store import Store
from barker.settings import Settings


def open_store(settings: Settings) -> Store:
    """The store the settings ask for; SQLite in the data directory unless BARKER_STORE_URL says otherwise."""
    if settings.store_url.startswith("arangodb://"):
        from barker.store.arango import ArangoStore  # imported lazily: python-arango is optional

        return ArangoStore.from_url(settings.store_url, stream_retain=settings.stream_retain,
                                    location_resolution=settings.location_resolution,
                                    query_max_runtime=settings.arango_query_max_runtime)
    from barker.store.sqlite import SqliteStore

    return SqliteStore(settings.sqlite_path, stream_retain=settings.stream_retain,
                       location_resolution=settings.location_resolution)
