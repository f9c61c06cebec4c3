"""The statements of the SQLite store's streams (barker/store/sqlite_streams.py explains the two tiers):
appends, reads, retention, compaction, and the outbox's fan-out and backfill jobs. Composed once, at import
time, from the named parts below; tests/golden/sqlite_statements.sql shows each as it runs."""

from __future__ import annotations

from barker.ids import MAX_ID
from barker.store.sqlite_sql.render import author_json, bark_json, user_json
from barker.store.sqlite_sql.rules import bark_hidden_from, hidden_from, reply_reaches_home, unseen_by

NO_CURSOR = MAX_ID + 1
TIERS = ("stream", "stream_recent")


def each_tier(sql: str) -> str:
    """`sql` (a SELECT reading the table `{tier}`) once per tier, as a UNION ALL of subqueries, so an
    ORDER BY ... LIMIT inside `sql` applies to each tier: one index range scan each that stops early."""
    return " UNION ALL ".join(f"SELECT * FROM ({sql.format(tier=tier)})" for tier in TIERS)


def newest_streamed_barks(owner: str, reader: str | None = None) -> str:
    """Bark ids in the stream of the row `owner(id, floor)`: existing, below :before, at or above the floor,
    newest :n first; given a `reader`, leaving out the barks hidden from them (rules.bark_hidden_from) before
    the LIMIT, so a page stays full."""
    visible = f" AND NOT {bark_hidden_from(reader, 'x')}" if reader else ""
    return f"""SELECT id FROM ({each_tier(f'''SELECT s.ref AS id FROM {owner} w CROSS JOIN {{tier}} s
        WHERE s.owner = w.id AND s.kind = 'bark' AND s.ref < :before AND s.ref >= w.floor
          AND EXISTS (SELECT 1 FROM barks x WHERE x.id = s.ref{visible})
        ORDER BY s.ref DESC LIMIT :n''')}) ORDER BY id DESC LIMIT :n"""


# Seqs come from one clock shared by every stream (schema v9), taken in the transaction that appends. A fan-out
# batch takes one for all its followers: each follower's own newest seq, a B-tree descent into its settled
# entries, was about 2.5 of an append's 3.5 us. Within a stream a seq still only grows and is never reused,
# since writes are serialised and the clock only moves forward.
TAKE_SEQ = "UPDATE stream_clock SET seq = seq + 1 RETURNING seq"

# The newest seq in :o's stream, or how far it was trimmed if nothing is left (0: never had an entry).
# Compaction moves whole owners, so an owner with fresh entries has its newest there.
HEAD = ("SELECT coalesce((SELECT max(seq) FROM stream_recent WHERE owner = :o), "
         "(SELECT max(seq) FROM stream WHERE owner = :o), (SELECT stream_trimmed FROM users WHERE id = :o), 0)")

# Where :o's newest :n entries begin, as an `after` cursor (Store.stream_newest_cursor): just below the n-th
# newest seq (each tier's primary-key range read newest first, stopping at n), else how far it was trimmed.
NEWEST_CURSOR = ("SELECT coalesce((SELECT seq FROM ("
                  + each_tier("SELECT seq FROM {tier} WHERE owner = :o ORDER BY seq DESC LIMIT :n")
                  + ") ORDER BY seq DESC LIMIT 1 OFFSET :n - 1) - 1, "
                  "(SELECT stream_trimmed FROM users WHERE id = :o), 0)")

# The followers a fan-out batch copies to: ?2's, after ?3 up to ?4.
FOLLOWERS_IN_SPAN = "f.followee = ?2 AND f.follower > ?3 AND f.follower <= ?4"

# Single appends check both tiers for a repeat (in the fresh tier: the owner's primary-key range). Fan-out
# skips this probe, a read of a cold page per follower: its job cursor commits with its rows, and backfill
# leaves out the barks a fan-out job will still deliver.
NOT_YET_STREAMED = " AND ".join(f"NOT EXISTS (SELECT 1 FROM {tier} x WHERE x.owner = ?1 AND x.kind = ?2 "
                                 "AND x.ref = ?3)" for tier in TIERS)

# The tombstones of ?1 for the barks of ?2 whose bark has no live entry (in a stream written before a bark had
# one place, it may), in both tiers: [[ref, seq]]. In the settled tier, stream_item's (owner, 'gone') range:
# for a first follow, where there are none, one probe instead of a read of the owner's whole stream.
NOT_LIVE = " AND ".join(f"NOT EXISTS (SELECT 1 FROM {tier} x WHERE x.owner = ?1 AND x.kind = 'bark' "
                         "AND x.ref = t.ref)" for tier in TIERS)
_TOMBSTONE_ROWS = " UNION ALL ".join(
    f"SELECT t.ref, t.seq FROM {table} WHERE t.owner = ?1 AND t.kind = 'gone' AND t.author = ?2 AND {NOT_LIVE}"
    for table in ("stream t INDEXED BY stream_item", "stream_recent t"))
TOMBSTONES_OF_AUTHOR = f"SELECT json_group_array(json_array(ref, seq)) FROM ({_TOMBSTONE_ROWS})"

# Slices of several users' streams in one statement: the stream hub reads for every socket a wake-up
# touches at once (1,000 separate reads cost 3-4x as much). :reqs is a JSON array of [owner, after]; each
# slice is the entries after `after`, at most :n. A bark is rendered once for everyone, and again only for
# a reader who reacted to it or rebarked it (or its original), whose rendering differs.
#
# The answer is one JSON array in one row, concatenated from JSON texts (no re-parse): Python's sqlite3
# lets go of the GIL for every row it steps, and with the event loop busy sending, taking it back costs up
# to the 5 ms switch interval, per row. Its items, told apart by which are null:
#   [i, null, null, null, trimmed]   per request i: how far its owner's stream was trimmed
#   [null, null, "bark", id, Bark]   per bark in any slice, as anyone sees it
#   [i, seq, kind, ref, event]       per entry: its event for a notification (reaction, follow, rebark,
#                                    reply, mention: ref is the notification id; the adapter adds it and
#                                    its time to the event); for a bark, the Bark as this reader sees it if
#                                    that differs, else null. A notification whose subject is gone has null
#                                    too, and a deleted bark no Bark item: skipped, but they still advance
#                                    the cursor. (Notification entries are few beside barks: a reply or
#                                    mention renders its bark for its one reader, with no shared item.)
#                                    An entry hidden from its owner (a bark by or rebarking someone hidden
#                                    from them, a notification whose actor is) comes as kind "hidden" with
#                                    null: skipped likewise, and the cursor still moves past it.
# Each item is spliced from JSON texts: json_array(...) of the plain columns with its closing bracket cut
# off, then the rendered object (text: a CTE or CASE would drop its JSON subtype, and json() re-parse it).
UPTO = ("coalesce((SELECT seq FROM ("
        + each_tier("SELECT seq FROM {tier} WHERE owner = q.owner AND seq > q.after ORDER BY seq LIMIT :n")
        + f") ORDER BY seq LIMIT 1 OFFSET :n - 1), {NO_CURSOR})")  # the n-th entry, or no bound if fewer
# Whether the reader's rendering of the bark row b differs from everyone's: they reacted to it or rebarked it
# (or its original), or it answers someone the reader does not see (its reply_to then names no author).
TOUCHED = f"""(EXISTS (SELECT 1 FROM reactions INDEXED BY reactions_by_user
                       WHERE user_id = p.owner AND bark IN (b.id, b.rebark_of))
           OR EXISTS (SELECT 1 FROM barks r INDEXED BY barks_rebark
                      WHERE r.author = p.owner AND r.rebark_of IN (b.id, b.rebark_of))
           OR (b.reply_author IS NOT NULL AND {unseen_by('p.owner', 'b.reply_author')}))"""
# The entries of every wanted slice, from both tiers (a primary-key range each).
WANTED_ENTRIES = " UNION ALL ".join(
    f"SELECT w.i, w.owner, e.seq, e.kind, e.ref, e.author FROM wanted w JOIN {tier} e "
    "ON e.owner = w.owner AND e.seq > w.after AND e.seq <= w.upto" for tier in TIERS)
# Whether the entry row `e` is hidden from its owner (docs/safety.md): per row, since the owners are many
# (rules.hidden_from: a few index probes each). A bark by its author or a rebark's original author; a
# notification by its actor, who is the entry's author ("who caused it"); a tombstone shows nothing anyway.
# Hidden entries take the kind 'hidden': no Bark item is rendered for them (a bark hidden from every reader
# of this read has no shared item), and the adapter skips them as it skips a tombstone.
_HIDDEN_ENTRY = f"""CASE e.kind
    WHEN 'bark' THEN EXISTS (SELECT 1 FROM barks b WHERE b.id = e.ref AND {bark_hidden_from('e.owner', 'b')})
    WHEN 'gone' THEN 0
    ELSE {hidden_from('e.owner', 'e.author')} END"""
_BARK_FOR_ANYONE = bark_json("NULL")  # a bark row b as anyone sees it
_BARK_FOR_READER = bark_json("p.owner")  # ... as the reader (the owner of the entry p) sees it
_REACTING_USER = author_json("ru")  # the user row ru as an Author
_NEW_FOLLOWER = user_json("p.owner")  # a follower u as the reader p.owner sees them
STREAM_EVENTS = f"""
WITH q AS MATERIALIZED (SELECT key AS i, value ->> 0 AS owner, value ->> 1 AS after FROM json_each(:reqs)),
wanted AS MATERIALIZED (SELECT i, owner, after, {UPTO} AS upto FROM q),
entry AS MATERIALIZED (SELECT e.i, e.owner, e.seq, CASE WHEN {_HIDDEN_ENTRY} THEN 'hidden' ELSE e.kind END AS kind,
                              e.ref, e.author FROM ({WANTED_ENTRIES}) e)
SELECT '[' || group_concat(item, ',') || ']' FROM (
SELECT json_array(w.i, NULL, NULL, NULL, (SELECT stream_trimmed FROM users WHERE id = w.owner)) AS item
FROM wanted w
UNION ALL
SELECT '[null,null,"bark",' || b.id || ',' || {_BARK_FOR_ANYONE} || ']' FROM barks b JOIN users u ON u.id = b.author
WHERE b.id IN (SELECT ref FROM entry WHERE kind = 'bark')
UNION ALL
SELECT rtrim(json_array(p.i, p.seq, p.kind, p.ref), ']') || ',' || coalesce(CASE p.kind
  WHEN 'bark' THEN (SELECT {_BARK_FOR_READER} FROM barks b JOIN users u ON u.id = b.author
                    WHERE b.id = p.ref AND {TOUCHED})
  WHEN 'reaction' THEN (SELECT json_object('seq', p.seq, 'type', 'reaction', 'bark_id', r.bark,
                                           'emoji', r.emoji, 'user', {_REACTING_USER})
                        FROM reactions r JOIN users ru ON ru.id = r.user_id WHERE r.id = p.ref)
  WHEN 'follow' THEN (SELECT json_object('seq', p.seq, 'type', 'follower', 'user', {_NEW_FOLLOWER})
                      FROM users u WHERE u.id = p.author)
  WHEN 'rebark' THEN (SELECT json_object('seq', p.seq, 'type', 'rebark', 'bark_id', r.rebark_of,
                                         'user', {_REACTING_USER})
                      FROM barks r JOIN users ru ON ru.id = r.author WHERE r.id = p.ref)
  WHEN 'reply' THEN (SELECT json_object('seq', p.seq, 'type', 'reply', 'bark', {_BARK_FOR_READER})
                     FROM barks b JOIN users u ON u.id = b.author WHERE b.id = p.ref)
  WHEN 'mention' THEN (SELECT json_object('seq', p.seq, 'type', 'mention', 'bark', {_BARK_FOR_READER})
                       FROM barks b JOIN users u ON u.id = b.author WHERE b.id = p.ref)
END, 'null') || ']' FROM entry p)"""

# The barks hidden from :o are left out (docs/safety.md): its own set of hidden users, read once.
HOME_STREAM = f"""SELECT json_array(u.stream_floor,
    (SELECT json_group_array(id) FROM ({newest_streamed_barks("(SELECT :o AS id, 0 AS floor)", ":o")})),
    (SELECT json_group_array(f.followee) FROM follows f JOIN users c ON c.id = f.followee
     WHERE f.follower = :o AND c.has_unfanned))
FROM users u WHERE u.id = :o"""


# Drop the entries of ?1 with seq below ?2, in both tiers: remember how far (so a cursor from before is told of
# the gap), raise the home-timeline floor above the barks that went, then delete. Tombstones raise the floor
# too: backfill copies only barks at or above it, and a bark whose tombstone is gone could otherwise come back
# under a new seq to a client that was sent it before (the fallback below the floor shows it instead).
BELOW_CUTOFF = each_tier("SELECT seq, kind, ref FROM {tier} WHERE owner = ?1 AND seq < ?2")
TRIM = (f"UPDATE users SET stream_trimmed = max(stream_trimmed, (SELECT max(seq) FROM ({BELOW_CUTOFF}))), "
        f"stream_floor = max(stream_floor, coalesce((SELECT max(ref) + 1 FROM ({BELOW_CUTOFF}) "
        f"WHERE kind IN ('bark', 'gone')), 0)) WHERE id = ?1 AND EXISTS (SELECT 1 FROM ({BELOW_CUTOFF}))",
        *(f"DELETE FROM {tier} WHERE owner = ?1 AND seq < ?2" for tier in TIERS))


# -- appending (the parameters: ?1 owner, ?2 kind, ?3 ref, ?4 author, ?5 seq) ------------------------------
APPEND = ("INSERT INTO stream_recent (owner, seq, kind, ref, author) SELECT ?1, ?5, ?2, ?3, ?4 "
          f"WHERE {NOT_YET_STREAMED}")
# Per tier: the entries of ? (owner) for the barks of ? (author) become tombstones / ? 's listed seqs live again.
TOMBSTONE_AUTHOR = tuple(f"UPDATE OR REPLACE {tier} SET kind = 'gone' WHERE owner = ? AND kind = 'bark' "
                         "AND author = ?" for tier in TIERS)
REVIVE_SEQS = tuple(f"UPDATE {tier} SET kind = 'bark' WHERE owner = ? AND seq IN (SELECT value FROM "
                    "json_each(?))" for tier in TIERS)

# -- reading -----------------------------------------------------------------------------------------------
# Which of :c (a JSON array of user ids) follow :a and, if :b (the bark to deliver live) is a reply, are
# reached by it (the home rule: live delivery shows what the home timeline would), leaving out those from
# whom :a, or the author :b rebarks, is hidden (docs/safety.md: per candidate, as the stream reads are).
ONLINE_FOLLOWERS = ("SELECT json_group_array(c.value) FROM json_each(:c) c "
                    "WHERE EXISTS (SELECT 1 FROM follows WHERE follower = c.value AND followee = :a) AND "
                    + reply_reaches_home("c.value", ":a", "(SELECT reply_author FROM barks WHERE id = :b)")
                    + f" AND NOT {hidden_from('c.value', ':a')} AND NOT EXISTS (SELECT 1 FROM barks b "
                    f"WHERE b.id = :b AND {bark_hidden_from('c.value', 'b')})")

# -- retention ---------------------------------------------------------------------------------------------
# The seq of ?1's entry at offset ?2 from the newest (where trimming to ?2 + 1 entries cuts).
TRIM_CUTOFF = (f"SELECT seq FROM ({each_tier('SELECT seq FROM {tier} WHERE owner = ?1')}) "
               "ORDER BY seq DESC LIMIT 1 OFFSET ?2")
COUNT_SETTLED = "UPDATE stream_sizes SET entries = (SELECT count(*) FROM stream WHERE owner = ?1) WHERE owner = ?1"

# -- compaction (a slice: the owners after ?1 up to ?2) -------------------------------------------------------
UNCOMPACTED_ROWS = "SELECT count(*) FROM stream_recent"
SLICE_LAST_OWNER = "SELECT owner FROM stream_recent WHERE owner > ? ORDER BY owner LIMIT 1 OFFSET ?"
COUNT_MOVING = ("INSERT INTO stream_sizes (owner, entries) SELECT owner, count(*) FROM stream_recent "
                "WHERE owner > ?1 AND owner <= ?2 GROUP BY owner "
                "ON CONFLICT (owner) DO UPDATE SET entries = entries + excluded.entries")
MOVE_TO_SETTLED = ("INSERT OR REPLACE INTO stream (owner, seq, kind, ref, author) "
                   "SELECT owner, seq, kind, ref, author FROM stream_recent "
                   "WHERE owner > ?1 AND owner <= ?2 ORDER BY owner, seq")
DELETE_MOVED = "DELETE FROM stream_recent WHERE owner > ?1 AND owner <= ?2"
# The owners of the slice with at least ?3 settled entries (policies.trim_at).
OWNERS_TO_TRIM = ("SELECT json_group_array(owner) FROM stream_sizes "
                  "WHERE owner > ?1 AND owner <= ?2 AND entries >= ?3")

# -- the outbox --------------------------------------------------------------------------------------------
NEXT_JOBS = ("SELECT json_group_array(json_array(id, kind, bark, author, target, cursor)) "
             "FROM (SELECT * FROM jobs ORDER BY id LIMIT ?)")
PENDING_JOBS = "SELECT count(*) FROM jobs"
# Is job ? still queued (its cursor), is its bark still there, and whose bark does it answer (NULL: none)?
JOB_STATE = ("SELECT j.cursor, b.id IS NOT NULL, b.reply_author FROM jobs j LEFT JOIN barks b ON b.id = j.bark "
             "WHERE j.id = ?")
DELETE_JOB = "DELETE FROM jobs WHERE id = ?"
ADVANCE_JOB = "UPDATE jobs SET cursor = ? WHERE id = ?"
# The next followers of ? after ?, at most ?.
FOLLOWERS_AFTER = ("SELECT json_group_array(follower) FROM (SELECT follower FROM follows "
                   "WHERE followee = ? AND follower > ? ORDER BY follower LIMIT ?)")
# ?1 bark by ?2 into the streams of FOLLOWERS_IN_SPAN, all under seq ?5; a reply (to a bark by ?6) only to
# the followers the home rule lets it reach (?6 NULL: no reply, every follower).
FAN_OUT = ("INSERT INTO stream_recent (owner, seq, kind, ref, author) "
           f"SELECT f.follower, ?5, 'bark', ?1, ?2 FROM follows f WHERE {FOLLOWERS_IN_SPAN} "
           f"AND {reply_reaches_home('f.follower', '?2', '?6')}")
IS_FOLLOWING = "SELECT 1 FROM follows WHERE follower = ? AND followee = ?"
STREAM_FLOOR = "SELECT stream_floor FROM users WHERE id = ?"
SET_STREAM_FLOOR = "UPDATE users SET stream_floor = ? WHERE id = ?"
# The newest ?4 barks of ?1 at or above ?2 (the follower's floor) that reach the follower ?3 (the home rule).
BACKFILL_CANDIDATES = ("SELECT json_group_array(id) FROM (SELECT id FROM barks WHERE author = ?1 "
                       f"AND id >= ?2 AND {reply_reaches_home('?3', 'author', 'reply_author')} "
                       "ORDER BY id DESC LIMIT ?4)")
# The barks of ? whose fan-out has not yet reached follower ?.
FANOUT_COMING = "SELECT json_group_array(bark) FROM jobs WHERE kind = 'fanout' AND author = ? AND cursor < ?"
