"""The hot statements (pages, stream reads) stay index-backed: no full scan of a table, whatever the planner decides.

A wrong join order once turned the home timeline from 0.2 ms into 3 ms (a scan of every bark to find one
author's); SQLite's EXPLAIN QUERY PLAN names every table it scans, so this test fails if that comes back.
"""

from __future__ import annotations

import pytest

from barker.store.sqlite_sql import discovery, notifications, reports, streams, timelines

TABLES = {"users", "tokens", "barks", "reactions", "follows", "stream", "stream_recent", "jobs", "notifications",
          "reports"}
ALIASES = {"b", "u", "o", "ou", "s", "f", "c", "x", "r", "e", "ru"}  # table aliases used in the statements


STATEMENTS = {"home": timelines.HOME_PAGE, "public": timelines.PUBLIC_PAGE,
              "stream_events": streams.STREAM_EVENTS, "home_stream": streams.HOME_STREAM,
              "stream_head": streams.HEAD, "stream_newest_cursor": streams.NEWEST_CURSOR,
              "notification_page": notifications.NOTIFICATION_PAGE,
              "notification_page_of_types": notifications.NOTIFICATION_PAGE_OF_TYPES}
PARAMS = {"digest": b"x", "now": 0, "before": 1, "n": 50, "o": 1, "after": 0, "viewer": 1,
          "reqs": "[[1, 0], [2, 5]]", "reaction": 0, "rebark": 0, "reply": 1, "mention": 1, "follow": 0}


@pytest.mark.parametrize("sql", STATEMENTS.values(), ids=STATEMENTS.keys())
def test_page_statements_scan_no_table(store, sql):
    used = {name: value for name, value in PARAMS.items() if f":{name}" in sql}
    plan = [row[3] for row in store._reader().execute(f"EXPLAIN QUERY PLAN {sql}", used)]
    scans = [step for step in plan if step.startswith("SCAN ")]
    scanned = {step.split()[1] for step in scans}
    assert not scanned & (TABLES | ALIASES), plan
    assert not [step for step in plan if "AUTOMATIC" in step], plan


def test_nearby_reads_cells_through_the_rtree_and_users_through_their_cell_index(store):
    """Nearby walks occupied cells (R*Tree, then each row by primary key) and reads a bucket's users from
    the (cell, user_id) index: never a scan of locations or location_cells."""
    cube = [row[3] for row in store._reader().execute(f"EXPLAIN QUERY PLAN {discovery.CELLS_IN_CUBE}",
                                                      (0, 1, 0, 1, 0, 1))]
    assert any(step.startswith("SCAN r VIRTUAL TABLE INDEX") for step in cube), cube
    assert any("c USING INTEGER PRIMARY KEY" in step for step in cube), cube
    users = [row[3] for row in store._reader().execute(f"EXPLAIN QUERY PLAN {discovery.USERS_OF_CELLS}",
                                                       ('["87"]',))]
    assert any("locations USING INDEX locations_cell (cell=?)" in step for step in users), users
    assert not [step for step in cube + users if step.startswith("SCAN location")], cube + users


def test_a_page_of_some_types_reads_one_range_per_type(store):
    """Filtered by type, a notification page reads a range of (owner, type, id) per type, never the owner's
    whole primary-key range (an owner with 100k reactions asking for mentions)."""
    sql = notifications.PAGE_OF_TYPES
    used = {name: value for name, value in PARAMS.items() if f":{name}" in sql}
    plan = [row[3] for row in store._reader().execute(f"EXPLAIN QUERY PLAN {sql}", used)]
    ranges = [step for step in plan if "notifications_type (owner=? AND type=? AND id<?)" in step]
    assert len(ranges) == 5 and not [step for step in plan if "SCAN notifications" in step], plan


@pytest.mark.parametrize(("sql", "params"), [(reports.REPORTS_BY, (1, 2, 10)),
                                             (reports.REPORTS_IN_STATE, ("open", 2, 10)),
                                             (reports.REPORTS_ALL, (2, 10))],
                         ids=["reports_by", "reports_in_state", "reports_all"])
def test_report_pages_read_one_index_range(store, sql, params):
    plan = [row[3] for row in store._reader().execute(f"EXPLAIN QUERY PLAN {sql}", params)]
    assert not [step for step in plan if step.startswith("SCAN ") or "TEMP B-TREE" in step], plan


def test_a_suspension_reads_one_row_and_one_index_range(store):
    """The state change goes by primary key, the revocation of every token by the tokens' user index."""
    from barker.store.sqlite_sql import accounts, operators

    for sql, params in ((operators.CHANGE_STATE, {"new": "suspended", "id": 1, "old": "active"}),
                        (accounts.REVOKE_USER_TOKENS, (1, None))):
        plan = [row[3] for row in store._reader().execute(f"EXPLAIN QUERY PLAN {sql}", params)]
        assert [step for step in plan if step.startswith("SEARCH ")] and not [
            step for step in plan if step.startswith("SCAN ")], plan
