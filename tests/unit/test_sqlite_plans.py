"""The hot page statements stay index-backed: no full scan of a table, whatever the planner decides.

A wrong join order once turned the home timeline from 0.2 ms into 3 ms (a scan of every bark to find one
author's); SQLite's EXPLAIN QUERY PLAN names every table it scans, so this test fails if that comes back.
"""

from __future__ import annotations

import pytest

from barker.store import sqlite as sqlite_store

TABLES = {"users", "tokens", "barks", "reactions", "follows", "stream", "jobs"}
ALIASES = {"b", "u", "o", "ou", "s", "f", "c", "x", "r"}  # table aliases used in the statements


@pytest.mark.parametrize("sql", [sqlite_store._HOME_PAGE, sqlite_store._PUBLIC_PAGE], ids=["home", "public"])
def test_page_statements_scan_no_table(store, sql):
    plan = [row[3] for row in store._reader().execute(
        f"EXPLAIN QUERY PLAN {sql}", {"digest": b"x", "now": 0, "before": 1, "n": 50})]
    scans = [step for step in plan if step.startswith("SCAN ")]
    scanned = {step.split()[1] for step in scans}
    assert not scanned & (TABLES | ALIASES), plan
    assert not [step for step in plan if "AUTOMATIC" in step], plan
