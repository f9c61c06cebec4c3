"""Every statement of the SQLite store, by name, one module per concern (as `aql/` holds the ArangoDB
queries): `render` (rows as the API's JSON), `timelines` (pages and views), `accounts`, `barks`, `graph`,
`streams` (and the outbox), `media`, `discovery`, `lifecycle`. Statements built from parts (a tier per
stream table, a rendering per viewer) are composed once, at import time; the adapter's methods only pick a
constant and bind its parameters.

tests/golden/sqlite_statements.sql holds each statement as it runs, rendered by
tests/unit/test_sqlite_statements.py, which fails when a statement changes and the file was not regenerated:
`BARKER_UPDATE_GOLDEN=1 .venv/bin/pytest tests/unit/test_sqlite_statements.py`."""
