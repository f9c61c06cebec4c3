"""The contract suite runs against every store adapter in ADAPTERS (see tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from barker.store.sqlite import SqliteStore
from tests.conftest import ADAPTERS, ARANGO_SKIP, ARANGO_URL, arango_store
from tests.store_testing import StoreUnderTest


@pytest.fixture(params=ADAPTERS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[StoreUnderTest]:
    if request.param == "arango":
        if not ARANGO_URL:
            pytest.skip(ARANGO_SKIP)
        yield from arango_store()
        return
    s: StoreUnderTest = SqliteStore(tmp_path / "contract.db")
    yield s
    s.close()
