"""The hot statements (pages, stream reads) stay index-backed: no full scan of a table, whatever the planner decides.

A wrong join order once turned the home timeline from 0.2 ms into 3 ms (a scan of every bark to find one
author's); SQLite's EXPLAIN QUERY PLAN names every table it scans, so this test fails if that comes back.
"""

from __future__ import annotations

import pytest

from barker.store.sqlite_sql import (
    bookmarks,
    departures,
    discovery,
    notifications,
    reports,
    streams,
    tags,
    threads,
    timelines,
)

TABLES = {"users", "tokens", "barks", "reactions", "follows", "stream", "stream_recent", "jobs", "notifications",
          "reports", "blocks", "mutes", "bark_tags", "bookmarks"}
# table aliases in the statements
ALIASES = {"b", "u", "o", "ou", "s", "f", "c", "x", "r", "e", "ru", "m", "k", "t0", "pu", "k1", "k2"}

# The statements that leave out what blocks and mutes hide (docs/safety.md-8): each reads blocks and mutes
# through an index, per viewer (the sets of rules.py) or per row (its conditions), never by a scan.
HIDING_PEOPLE_AND_STREAMS = {"stream_events": streams.STREAM_EVENTS, "home_stream": streams.HOME_STREAM,
          "online_followers": streams.ONLINE_FOLLOWERS,
          "notification_page": notifications.NOTIFICATION_PAGE,
          "notification_page_of_types": notifications.NOTIFICATION_PAGE_OF_TYPES,
          "notifications_unread": notifications.UNREAD,
          "follower_page": timelines.FOLLOWER_PAGE, "following_page": timelines.FOLLOWING_PAGE,
          **{f"user_search_{tier}": sql for tier, sql in zip(("handles", "names", "bios"),
                                                              discovery.SEARCH_WITH_HANDLE_PREFIX, strict=True)},
          "unseen_and_hidden": discovery.UNSEEN_AND_HIDDEN}
STATEMENTS = {"home": timelines.HOME_PAGE, "public": timelines.PUBLIC_PAGE,
              "stream_head": streams.HEAD, "stream_newest_cursor": streams.NEWEST_CURSOR,
              **HIDING_PEOPLE_AND_STREAMS}
PARAMS = {"digest": b"x", "now": 0, "before": 1, "n": 50, "o": 1, "after": 0, "viewer": 1, "me": 1,
          "reqs": "[[1, 0], [2, 5]]", "reaction": 0, "rebark": 0, "reply": 1, "mention": 1, "follow": 0,
          "c": "[1, 2]", "a": 3, "b": 4, "p": "do", "pe": "dp", "dn": "display_name : (\"do\"*)",
          "bio": "bio : (\"do\")", "ids": "[1, 2]", "tag": "x", "match": '"x"', "tags": "[]", "first": "x",
          "id": 1, "max_up": 100}


def plan_of(store, sql):
    used = {name: value for name, value in PARAMS.items() if f":{name}" in sql}
    return [row[3] for row in store._reader().execute(f"EXPLAIN QUERY PLAN {sql}", used)]

# The bark reads that leave out what the viewer does not see (blocked either way, muted, hidden accounts):
# each tests its rows by index probes (rules.py's per-row conditions), never by reading blocks or mutes whole.
HIDING = {"home": timelines.HOME_PAGE, "public": timelines.PUBLIC_PAGE, "bark_views": timelines.BARK_VIEWS,
          "user_barks": timelines.USER_BARK_IDS, "user_barks_no_replies": timelines.USER_BARK_IDS_NO_REPLIES,
          "public_ids": timelines.PUBLIC_BARK_IDS, "tag": tags.TAG_BARK_IDS, "search_words": tags.SEARCH_WORDS,
          "search_tags": tags.SEARCH_TAGS, "bookmarks": bookmarks.BOOKMARK_PAGE,
          "thread": threads.THREAD_FIRST_PAGE, "thread_after": threads.THREAD_PAGE_AFTER}
# ... and those where a mute hides nothing (a bark asked for by id, a user's own timeline, bookmarks).
MUTE_HIDES_NOTHING = {"bark_views", "user_barks", "user_barks_no_replies", "bookmarks"}


@pytest.mark.parametrize("sql", STATEMENTS.values(), ids=STATEMENTS.keys())
def test_page_statements_scan_no_table(store, sql):
    plan = plan_of(store, sql)
    scans = [step for step in plan if step.startswith("SCAN ") and "VIRTUAL TABLE" not in step]  # json_each: fine
    scanned = {step.split()[1] for step in scans}
    assert not scanned & (TABLES | ALIASES), plan
    assert not [step for step in plan if "AUTOMATIC" in step], plan


@pytest.mark.parametrize("sql", HIDING_PEOPLE_AND_STREAMS.values(), ids=HIDING_PEOPLE_AND_STREAMS.keys())
def test_hiding_reads_blocks_and_mutes_through_an_index(store, sql):
    """Blocks both ways (the primary key, and blocks_blocked for who blocks the viewer), the viewer's mutes
    in force (the primary key), and the few hidden accounts (users_state): searched, never scanned."""
    plan = plan_of(store, sql)
    blocks = [step for step in plan if step.split()[1:2] == ["blocks"]]
    assert blocks and all(step.startswith("SEARCH blocks USING") for step in blocks), plan
    mutes = [step for step in plan if step.split()[1:2] in (["m"], ["mutes"])]
    reads_mutes = "FROM mutes" in sql
    assert bool(mutes) == reads_mutes and all(step.startswith("SEARCH ") for step in mutes), plan
    assert not [step for step in plan if step.startswith("SCAN users") and "users_fts" not in step], plan


@pytest.mark.parametrize("name", HIDING)
def test_hiding_probes_blocks_mutes_and_states_by_key(store, name):
    """Each bark read asks once whether the viewer blocks, is blocked by or mutes anyone (one index range each),
    reads the hidden accounts once (users_state), probes blocks both ways by primary key (and mutes by theirs
    where a mute hides), and scans none of blocks, mutes, barks, bark_tags or bookmarks."""
    plan = plan_of(store, HIDING[name])
    scanned = {step.split()[1] for step in plan if step.startswith("SCAN ")}
    assert not scanned & (TABLES | ALIASES), plan
    assert not [step for step in plan if "AUTOMATIC" in step], plan
    assert "SEARCH blocks USING PRIMARY KEY (blocker=? AND blocked=?)" in plan, plan
    assert "SEARCH blocks USING COVERING INDEX blocks_blocked (blocked=?)" in plan, plan
    assert "SEARCH users USING COVERING INDEX users_state (state=?)" in plan, plan
    mutes = "SEARCH m USING PRIMARY KEY (muter=? AND muted=?)" in plan
    assert mutes is (name not in MUTE_HIDES_NOTHING), plan


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
    plan = plan_of(store, notifications.NOTIFICATION_PAGE_OF_TYPES)
    ranges = [step for step in plan if "notifications_type (owner=? AND type=? AND id<?)" in step]
    assert len(ranges) == 5 and not [step for step in plan if "SCAN notifications" in step], plan


@pytest.mark.parametrize(("sql", "params"), [(reports.REPORTS_BY, (1, 2, 10)),
                                             (reports.REPORTS_IN_STATE, ("open", 2, 10)),
                                             (reports.REPORTS_ALL, (2, 10))],
                         ids=["reports_by", "reports_in_state", "reports_all"])
def test_report_pages_read_one_index_range(store, sql, params):
    plan = [row[3] for row in store._reader().execute(f"EXPLAIN QUERY PLAN {sql}", params)]
    assert not [step for step in plan if step.startswith("SCAN ") or "TEMP B-TREE" in step], plan


# The departure job's batch statements (barker/store/sqlite_departures.py): each reads one index range of the
# departing user (or of one owner), however big the tables are: a batch must stay a few milliseconds.
DEPARTURE_BATCHES = {name: getattr(departures, name) for name in (
    "MENTIONS_BATCH", "BARKS_BATCH", "TOLD_OF_BARK", "REACTIONS_BATCH", "TOLD_OF_REACTION", "FOLLOWERS_BATCH",
    "FOLLOWEES_BATCH", "DELETE_NOTIFICATION", "DELETE_FOLLOW_NOTIFICATION", "DELETE_FOLLOWER", "FORGET_MENTION",
    "LEFT_BEHIND")} | {f"OWN_ROWS_BATCHES[{i}]": s for i, s in enumerate(departures.OWN_ROWS_BATCHES)} | {
    f"DROP_AUTHOR_ENTRIES[{i}]": s for i, s in enumerate(departures.DROP_AUTHOR_ENTRIES)}


@pytest.mark.parametrize("sql", DEPARTURE_BATCHES.values(), ids=DEPARTURE_BATCHES.keys())
def test_departure_batches_read_index_ranges(store, sql):
    params = (1, 2) if "?2" in sql else (1,)
    plan = [row[3] for row in store._reader().execute(f"EXPLAIN QUERY PLAN {sql}", params)]
    # json_each reads one row's JSON; a CONSTANT ROW is the SELECT of EXISTS tests, no table.
    scans = [step for step in plan if step.startswith("SCAN ") and "json_each" not in step and "CONSTANT" not in step]
    assert not scans, plan
    assert not [step for step in plan if "AUTOMATIC" in step or "TEMP B-TREE" in step], plan


def test_a_suspension_reads_one_row_and_one_index_range(store):
    """The state change goes by primary key, the revocation of every token by the tokens' user index."""
    from barker.store.sqlite_sql import accounts, operators

    for sql, params in ((operators.CHANGE_STATE, {"new": "suspended", "id": 1, "old": "active"}),
                        (accounts.REVOKE_USER_TOKENS, (1, None))):
        plan = [row[3] for row in store._reader().execute(f"EXPLAIN QUERY PLAN {sql}", params)]
        assert [step for step in plan if step.startswith("SEARCH ")] and not [
            step for step in plan if step.startswith("SCAN ")], plan


def test_describing_an_image_reads_and_writes_one_upload_and_one_bark_by_key(store):
    """A description changed after posting rewrites the bark's copy of its media: found by primary key."""
    from barker.store.sqlite_sql import media

    for sql, params in ((media.MEDIA_OWNER, (1,)), (media.DESCRIBE_MEDIA, {"id": 1, "description": "x"}),
                        (media.DESCRIBE_BARK_MEDIA, {"id": 1, "description": "x", "bark": 2})):
        plan = [row[3] for row in store._reader().execute(f"EXPLAIN QUERY PLAN {sql}", params)]
        scans = [step for step in plan if step.startswith("SCAN ") and "json_each" not in step]
        assert [step for step in plan if step.startswith("SEARCH ")] and not scans, plan
