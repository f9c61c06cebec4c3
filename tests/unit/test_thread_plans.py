"""Conversation reads stay index-backed: a thread page probes replies_parent and primary keys (never a scan of
replies or barks), and a user's barks without replies read the partial index that holds only those."""

from __future__ import annotations

import pytest

from barker.store.sqlite_sql import threads, timelines

TABLES = {"replies", "barks", "users", "reactions", "bookmarks", "follows", "b", "u", "o", "ou", "p", "pu", "mu",
          "r", "x"}
PARAMS = {"id": 1, "viewer": 1, "max_up": 100, "n": 20, "after": 2}


def plan(store, sql: str) -> list[str]:
    used = {name: value for name, value in PARAMS.items() if f":{name}" in sql}
    return [row[3] for row in store._reader().execute(f"EXPLAIN QUERY PLAN {sql}", used)]


@pytest.mark.parametrize("sql", [threads.THREAD_FIRST_PAGE, threads.THREAD_PAGE_AFTER], ids=["first", "after"])
def test_thread_pages_scan_no_table(store, sql):
    steps = plan(store, sql)
    assert not {step.split()[1] for step in steps if step.startswith("SCAN ")} & TABLES, steps
    assert any("replies_parent" in step for step in steps), steps


def test_user_barks_without_replies_read_the_partial_index(store):
    steps = plan(store, timelines.USER_BARK_IDS_NO_REPLIES.replace(":a", "1").replace(":before", "5"))
    assert any("barks_author_originals" in step for step in steps), steps
