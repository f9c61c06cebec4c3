-- Barker embedded store, schema version 14. Applied in one transaction on start-up (v3 to v6 are migrated:
-- see MIGRATIONS in sqlite.py).
CREATE TABLE IF NOT EXISTS users (
    id              INTEGER PRIMARY KEY,
    handle          TEXT NOT NULL,            -- display form, as the user typed it
    created_at      TEXT NOT NULL,            -- ISO 8601, derived from the id (stored: cheaper to render)
    handle_canon    TEXT NOT NULL UNIQUE,     -- lower-case form: uniqueness and look-up
    display_name    TEXT NOT NULL,
    bio             TEXT NOT NULL DEFAULT '',
    password_hash   TEXT NOT NULL,
    followers_count INTEGER NOT NULL DEFAULT 0,
    following_count INTEGER NOT NULL DEFAULT 0,
    barks_count     INTEGER NOT NULL DEFAULT 0,
    has_unfanned    INTEGER NOT NULL DEFAULT 0, -- some barks skipped fan-out (hybrid rule)
    stream_floor    INTEGER NOT NULL DEFAULT 0, -- stream complete for home barks with id >= floor
    stream_trimmed  INTEGER NOT NULL DEFAULT 0, -- stream entries with seq <= this were trimmed away
    avatar_media    INTEGER,                  -- v7: the avatar's media record (NULL: none)
    avatar_url      TEXT,                     -- v7: its URLs as rendered
    avatar_thumbnail_url TEXT,
    notifications_read INTEGER NOT NULL DEFAULT 0, -- v11: the read marker (newest notification id read)
    role            TEXT NOT NULL DEFAULT 'user',   -- v12: 'user' | 'moderator' | 'admin'
    state           TEXT NOT NULL DEFAULT 'active', -- v12: 'active' | 'pending' (waits for approval)
    must_change_password INTEGER NOT NULL DEFAULT 0 -- v12: 1 after an admin reset it (services/accounts.py)
);

CREATE TABLE IF NOT EXISTS tokens (
    digest     BLOB PRIMARY KEY,
    user_id    INTEGER NOT NULL,
    expires_ms INTEGER NOT NULL,
    restricted INTEGER NOT NULL DEFAULT 0 -- v12: 1: may only change the password (after an admin reset it)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS tokens_user ON tokens (user_id);

CREATE TABLE IF NOT EXISTS barks (
    id           INTEGER PRIMARY KEY,
    author       INTEGER NOT NULL,
    created_at   TEXT NOT NULL,             -- ISO 8601, derived from the id
    text         TEXT,                      -- NULL for a rebark
    rebark_of    INTEGER,                   -- the original bark of a rebark
    fanned_out   INTEGER NOT NULL DEFAULT 1,
    rebark_count INTEGER NOT NULL DEFAULT 0,
    reactions    TEXT NOT NULL DEFAULT '{}', -- JSON {emoji: count} kept in step with the reactions table
    media        TEXT NOT NULL DEFAULT '[]', -- v7: JSON array of the API's Media objects, written once on post
    reply_to     INTEGER,                   -- v11: the bark this one answers: an original, never a rebark
    reply_author INTEGER,                   -- v11: its author, for the home rule: kept if that bark goes
    reply_count  INTEGER NOT NULL DEFAULT 0, -- v11: replies to this bark that exist
    mentions     TEXT NOT NULL DEFAULT '[]', -- v11: JSON array of the ids of the users mentioned
    tags         TEXT NOT NULL DEFAULT '[]', -- v11: JSON array of its normalised hashtags
    entities     TEXT NOT NULL DEFAULT '[]'  -- v11: JSON array of the API's Entity objects, written once on post
);
CREATE INDEX IF NOT EXISTS barks_author ON barks (author, id);
-- One rebark per user per bark; keyed by the rebarker first so "did the viewer rebark these?" stays local.
CREATE UNIQUE INDEX IF NOT EXISTS barks_rebark ON barks (author, rebark_of) WHERE rebark_of IS NOT NULL;
CREATE INDEX IF NOT EXISTS barks_rebarks_of ON barks (rebark_of) WHERE rebark_of IS NOT NULL;

CREATE TABLE IF NOT EXISTS reactions (
    bark    INTEGER NOT NULL,
    user_id INTEGER NOT NULL,
    emoji   TEXT NOT NULL,
    id      INTEGER NOT NULL,
    PRIMARY KEY (bark, user_id, emoji)
) WITHOUT ROWID;
-- "Which of these barks did the viewer react to?" reads one contiguous range of the viewer's reactions.
CREATE INDEX IF NOT EXISTS reactions_by_user ON reactions (user_id, bark);
-- Stream events refer to a reaction by id.
CREATE INDEX IF NOT EXISTS reactions_id ON reactions (id);

CREATE TABLE IF NOT EXISTS follows (
    follower INTEGER NOT NULL,
    followee INTEGER NOT NULL,
    id       INTEGER NOT NULL,              -- time-ordered edge id: "followed at", and the page cursor
    PRIMARY KEY (follower, followee)
) WITHOUT ROWID;
CREATE UNIQUE INDEX IF NOT EXISTS follows_in ON follows (followee, follower);
CREATE INDEX IF NOT EXISTS follows_out_time ON follows (follower, id);
CREATE INDEX IF NOT EXISTS follows_in_time ON follows (followee, id);

-- Per-user durable stream: home-timeline barks and notifications, ordered per owner by seq.
CREATE TABLE IF NOT EXISTS stream (
    owner  INTEGER NOT NULL,
    seq    INTEGER NOT NULL,                -- per-owner, only grows
    kind   TEXT NOT NULL,                   -- 'bark' | 'reaction' | 'follow'
    ref    INTEGER NOT NULL,                -- bark id | reaction id | follow edge id
    author INTEGER NOT NULL,                -- who caused it
    PRIMARY KEY (owner, seq)
) WITHOUT ROWID;
CREATE UNIQUE INDEX IF NOT EXISTS stream_item ON stream (owner, kind, ref);

-- The outbox: side effects queued in the same transaction as the write that causes them.
CREATE TABLE IF NOT EXISTS jobs (
    id     INTEGER PRIMARY KEY,
    kind   TEXT NOT NULL,                   -- 'fanout' | 'backfill' | 'departure' (an account's deletion)
    bark   INTEGER NOT NULL DEFAULT 0,
    author INTEGER NOT NULL,
    target INTEGER NOT NULL DEFAULT 0,
    cursor INTEGER NOT NULL DEFAULT 0       -- progress: last follower id done (departure: the step reached)
);

CREATE TABLE IF NOT EXISTS node_leases (
    node       INTEGER PRIMARY KEY,
    holder     TEXT NOT NULL,
    expires_ms INTEGER NOT NULL
);

-- Discovery (schema v5). Locations (schema v10: cells, not points): the H3 cell a user shares (snapped at
-- write time by barker/geo.py; the exact point is never stored), its centre and the centre's unit vector
-- on the sphere (for k-nearest searches over location_cells, see barker/geo.py), and who may find them.
CREATE TABLE IF NOT EXISTS locations (
    user_id    INTEGER PRIMARY KEY,
    cell       TEXT NOT NULL,             -- the H3 index
    resolution INTEGER NOT NULL,          -- the cell's H3 resolution (coarsened on start-up if set lower)
    lat        REAL NOT NULL,             -- the cell's centre
    lon        REAL NOT NULL,
    x          REAL NOT NULL,             -- the centre's unit vector, exact (the R*Tree keeps 32-bit floats)
    y          REAL NOT NULL,
    z          REAL NOT NULL,
    visibility TEXT NOT NULL DEFAULT 'everyone',  -- everyone | followers | nobody (barker/discoverability.py)
    updated_ms INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS locations_resolution ON locations (resolution);
-- A cell's users in id order: within one rounded distance, nearby lists users by id.
CREATE INDEX IF NOT EXISTS locations_cell ON locations (cell, user_id);
-- The occupied cells, one row and one R*Tree entry each however many users share it (thousands can, in a
-- city centre): the k-nearest search walks cells, then reads users of whole cells in id order.
CREATE TABLE IF NOT EXISTS location_cells (
    id    INTEGER PRIMARY KEY,
    cell  TEXT NOT NULL UNIQUE,
    x     REAL NOT NULL,                  -- the centre's unit vector, exact
    y     REAL NOT NULL,
    z     REAL NOT NULL,
    users INTEGER NOT NULL                -- located users in it; the row goes when the last one leaves
);
CREATE VIRTUAL TABLE IF NOT EXISTS location_cells_rtree USING rtree(id, minx, maxx, miny, maxy, minz, maxz);

-- Fixed-window request counters (rate limits shared by every process on this store).
CREATE TABLE IF NOT EXISTS rate_limits (
    key    TEXT PRIMARY KEY,
    -- When the counted window ends, ms since the epoch: it names the window, and once past, the row is
    -- dead and the periodic purge deletes it. (Older releases kept the window's index: such a row
    -- matches no window any more, so after the upgrade its counter restarts once, and it is purged.)
    window INTEGER NOT NULL,
    count  INTEGER NOT NULL
) WITHOUT ROWID;

-- Suggestions a user dismissed for good.
CREATE TABLE IF NOT EXISTS dismissed (
    user_id INTEGER NOT NULL,
    target  INTEGER NOT NULL,
    PRIMARY KEY (user_id, target)
) WITHOUT ROWID;

-- User search: words of handles, display names and bios, kept in step with users by triggers.
CREATE VIRTUAL TABLE IF NOT EXISTS users_fts USING fts5(
    handle, display_name, bio, content='users', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2', prefix='2 3');
CREATE TRIGGER IF NOT EXISTS users_fts_insert AFTER INSERT ON users BEGIN INSERT INTO users_fts (rowid, handle, display_name, bio) VALUES (new.id, new.handle, new.display_name, new.bio); END;
CREATE TRIGGER IF NOT EXISTS users_fts_delete AFTER DELETE ON users BEGIN INSERT INTO users_fts (users_fts, rowid, handle, display_name, bio) VALUES ('delete', old.id, old.handle, old.display_name, old.bio); END;
CREATE TRIGGER IF NOT EXISTS users_fts_update AFTER UPDATE OF handle, display_name, bio ON users BEGIN INSERT INTO users_fts (users_fts, rowid, handle, display_name, bio) VALUES ('delete', old.id, old.handle, old.display_name, old.bio); INSERT INTO users_fts (rowid, handle, display_name, bio) VALUES (new.id, new.handle, new.display_name, new.bio); END;

-- Streams, fresh tier (schema v6): every stream append lands here first, keyed like `stream`, and is moved
-- into `stream` by compaction in owner order (see barker/store/sqlite_streams.py for why). Since v8 it has no
-- (owner, kind, ref) index: an owner holds a few entries here, which its primary-key range finds.
CREATE TABLE IF NOT EXISTS stream_recent (
    owner  INTEGER NOT NULL,
    seq    INTEGER NOT NULL,
    kind   TEXT NOT NULL,
    ref    INTEGER NOT NULL,
    author INTEGER NOT NULL,
    PRIMARY KEY (owner, seq)
) WITHOUT ROWID;
-- Backfill asks which of an author's barks still have a fan-out on its way.
CREATE INDEX IF NOT EXISTS jobs_fanout ON jobs (author, cursor) WHERE kind = 'fanout';
-- Both tiers as one, for inspection and tests (the store's own reads query each tier with its own limit).
CREATE VIEW IF NOT EXISTS stream_all AS
    SELECT owner, seq, kind, ref, author FROM stream UNION ALL SELECT owner, seq, kind, ref, author FROM stream_recent;

-- Media (schema v7). One record per upload; its rendered Media object is copied into barks.media when it is
-- attached, so reads never join this table (a description changed later is written to both). Files are content-addressed and shared by identical uploads:
-- media_files counts the records referring to each, and a file is deleted only once none does.
CREATE TABLE IF NOT EXISTS media (
    id         INTEGER PRIMARY KEY,
    owner      INTEGER NOT NULL,
    purpose    TEXT NOT NULL,                 -- 'post' | 'avatar'
    state      TEXT NOT NULL DEFAULT 'new',   -- 'new' (unattached: expires) | 'used' | 'released' (to delete)
    created_ms INTEGER NOT NULL,
    bark       INTEGER,                       -- the bark it was attached to
    view       TEXT NOT NULL,                 -- the API's Media object (JSON); v15: with its description
    keys       TEXT NOT NULL                  -- JSON array of the storage keys of its files
);
-- The expiry sweep: released records, and unattached ones by age.
CREATE INDEX IF NOT EXISTS media_state ON media (state, created_ms);
CREATE TABLE IF NOT EXISTS media_files (
    key            TEXT PRIMARY KEY,          -- <sha256 of the bytes>.<ext>
    refs           INTEGER NOT NULL,          -- media records referring to it
    deleting_since INTEGER                    -- no record refers to it: its file is being deleted since (ms)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS media_files_deleting ON media_files (deleting_since) WHERE deleting_since IS NOT NULL;

-- Stream seqs (schema v9). One clock hands out the seqs of every stream, instead of each stream counting its
-- own: a fan-out batch gives all its followers one seq, so it reads nothing per follower (finding each one's
-- newest seq was about two-thirds of an append's cost). Within a stream a seq still only grows and is never
-- reused: each is taken in the write transaction that appends it, and writes are serialised.
CREATE TABLE IF NOT EXISTS stream_clock (
    id  INTEGER PRIMARY KEY CHECK (id = 0),
    seq INTEGER NOT NULL                      -- the last seq handed out
);
INSERT OR IGNORE INTO stream_clock (id, seq) VALUES (0, 0);
-- Entries per owner in the settled tier, kept by compaction, which trims an owner once it is TRIM_EVERY
-- entries past the retention (barker/store/sqlite_streams.py). About: a merged tombstone counts until then.
CREATE TABLE IF NOT EXISTS stream_sizes (
    owner   INTEGER PRIMARY KEY,
    entries INTEGER NOT NULL
);

-- Conversations (schema v11). The reply tree: one row per reply, kept after the reply is deleted while
-- replies hang from it (a tombstone in the thread), so a thread's branches still hang together. A root
-- bark (no parent) has no row. Barks rows carry reply_to too, for rendering; this table is the tree.
CREATE TABLE IF NOT EXISTS replies (
    id     INTEGER PRIMARY KEY,           -- the reply's bark id
    parent INTEGER NOT NULL               -- the bark it answers (may itself be deleted)
);
CREATE INDEX IF NOT EXISTS replies_parent ON replies (parent, id);
-- A user's barks without their replies (GET /v1/users/{handle}/barks?replies=false), newest first.
CREATE INDEX IF NOT EXISTS barks_author_originals ON barks (author, id) WHERE reply_to IS NULL;
-- Hashtags: a tag's barks newest first (its timeline), and the tags of recent barks (trending).
CREATE TABLE IF NOT EXISTS bark_tags (
    tag    TEXT NOT NULL,                 -- normalised (barker/text_entities.py)
    bark   INTEGER NOT NULL,
    author INTEGER NOT NULL,
    PRIMARY KEY (tag, bark)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS bark_tags_time ON bark_tags (bark, tag, author);
-- Bookmarks: private to their owner; paged by when they were made (id).
CREATE TABLE IF NOT EXISTS bookmarks (
    user_id INTEGER NOT NULL,
    bark    INTEGER NOT NULL,
    id      INTEGER NOT NULL,             -- time-ordered: "bookmarked at", and the page cursor
    PRIMARY KEY (user_id, bark)
) WITHOUT ROWID;
CREATE UNIQUE INDEX IF NOT EXISTS bookmarks_time ON bookmarks (user_id, id);
CREATE INDEX IF NOT EXISTS bookmarks_bark ON bookmarks (bark);
-- Notifications: the durable history behind the stream's notification events (streams are trimmed; this
-- is not). The id is that of what caused it (reaction, rebark, reply or mentioning bark, follow edge).
CREATE TABLE IF NOT EXISTS notifications (
    owner INTEGER NOT NULL,
    id    INTEGER NOT NULL,
    type  TEXT NOT NULL,                  -- 'reaction' | 'rebark' | 'reply' | 'mention' | 'follow'
    actor INTEGER NOT NULL,               -- who caused it
    bark  INTEGER,                        -- the bark it is about (NULL for a follow)
    PRIMARY KEY (owner, id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS notifications_bark ON notifications (bark) WHERE bark IS NOT NULL;
CREATE INDEX IF NOT EXISTS notifications_id ON notifications (id);
-- A page filtered by type (?types=mention) reads one range per wanted type: without it, an owner with 100k
-- reactions would be scanned through to find their few mentions.
CREATE INDEX IF NOT EXISTS notifications_type ON notifications (owner, type, id);
-- Bark search: words of bark texts (rebarks have none), kept in step with barks by triggers.
CREATE VIRTUAL TABLE IF NOT EXISTS barks_fts USING fts5(
    text, content='barks', content_rowid='id', tokenize='unicode61 remove_diacritics 2');
CREATE TRIGGER IF NOT EXISTS barks_fts_insert AFTER INSERT ON barks WHEN new.text IS NOT NULL AND new.text != '' BEGIN INSERT INTO barks_fts (rowid, text) VALUES (new.id, new.text); END;
CREATE TRIGGER IF NOT EXISTS barks_fts_delete AFTER DELETE ON barks WHEN old.text IS NOT NULL AND old.text != '' BEGIN INSERT INTO barks_fts (barks_fts, rowid, text) VALUES ('delete', old.id, old.text); END;
-- Operators (schema v12). Roles, account states, the registration mode, invites and the audit log.
-- role: 'user' | 'moderator' | 'admin'; state: 'active' | 'pending' (waiting for approval).
-- (The users columns role, state and must_change_password, and tokens.restricted, are in their tables.)
CREATE INDEX IF NOT EXISTS users_role ON users (role, id);
CREATE INDEX IF NOT EXISTS users_state ON users (state, id);
-- Server-wide settings an admin changes at run time (the registration mode), by name.
CREATE TABLE IF NOT EXISTS server_settings (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
-- Invite codes, stored by digest only (the code is shown once, when made).
CREATE TABLE IF NOT EXISTS invites (
    id         INTEGER PRIMARY KEY,       -- time-ordered: "made at"
    digest     BLOB NOT NULL UNIQUE,
    created_by TEXT NOT NULL,             -- a handle, or 'operator' (the command line)
    max_uses   INTEGER NOT NULL,
    uses       INTEGER NOT NULL DEFAULT 0,
    expires_ms INTEGER                    -- NULL: never
);
-- Every moderation and admin action, written in the transaction of the action.
CREATE TABLE IF NOT EXISTS audit_log (
    id      INTEGER PRIMARY KEY,          -- time-ordered: "when", and the page cursor
    actor   TEXT NOT NULL,                -- a handle, or 'operator'
    action  TEXT NOT NULL,
    target  TEXT NOT NULL,
    reason  TEXT
);
-- Departed accounts (schema v12). A deleted account's canonical handle stays taken (sign-up answers 409
-- handle_taken) so nobody can take it over and impersonate them; no user id is kept.
CREATE TABLE IF NOT EXISTS retired_handles (
    handle_canon TEXT PRIMARY KEY,
    retired_ms   INTEGER NOT NULL
) WITHOUT ROWID;
-- A user's uploads: released when the account is deleted, and listed by the export.
CREATE INDEX IF NOT EXISTS media_owner ON media (owner, id);
-- Reports (schema v13). What users report to the moderators: a user, some of their barks (a JSON array of
-- ids: a deleted one shows as a tombstone), a reason from a fixed list and free text.
CREATE TABLE IF NOT EXISTS reports (
    id          INTEGER PRIMARY KEY,      -- time-ordered: "filed at", and the page cursor
    reporter    INTEGER NOT NULL,
    target      INTEGER NOT NULL,
    bark_ids    TEXT NOT NULL DEFAULT '[]',
    reason      TEXT NOT NULL,
    text        TEXT,
    state       TEXT NOT NULL DEFAULT 'open',  -- 'open' | 'resolved' | 'dismissed'
    note        TEXT,                          -- the moderator's note, shown to the reporter
    resolved_by TEXT                           -- a handle, or 'operator'; never shown to the reporter
);
-- "My reports", the moderators' queue (by state), and account deletion (by reporter and by target).
CREATE INDEX IF NOT EXISTS reports_reporter ON reports (reporter, id);
CREATE INDEX IF NOT EXISTS reports_state ON reports (state, id);
CREATE INDEX IF NOT EXISTS reports_target ON reports (target);
-- Blocks and mutes (schema v14). A block hides each party from the other everywhere; a mute hides the muted
-- user's barks, rebarks and notifications from the muter only, until `until_ms` (NULL: until unmuted).
-- Reads filter by them per viewer (sqlite_sql/rules.py): the muter's / blocker's range of the primary key,
-- and the blocked user's range of blocks_blocked.
CREATE TABLE IF NOT EXISTS blocks (
    blocker INTEGER NOT NULL,
    blocked INTEGER NOT NULL,
    id      INTEGER NOT NULL,             -- time-ordered: "blocked at", and the page cursor
    PRIMARY KEY (blocker, blocked)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS blocks_blocked ON blocks (blocked, blocker);
CREATE UNIQUE INDEX IF NOT EXISTS blocks_time ON blocks (blocker, id);
CREATE TABLE IF NOT EXISTS mutes (
    muter    INTEGER NOT NULL,
    muted    INTEGER NOT NULL,
    id       INTEGER NOT NULL,            -- time-ordered: "muted at", and the page cursor
    until_ms INTEGER,                     -- NULL: until unmuted
    PRIMARY KEY (muter, muted)
) WITHOUT ROWID;
CREATE UNIQUE INDEX IF NOT EXISTS mutes_time ON mutes (muter, id);
-- Account deletion removes the mutes of the muted user too.
CREATE INDEX IF NOT EXISTS mutes_muted ON mutes (muted);
