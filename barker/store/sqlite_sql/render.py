"""SQL expressions that render rows as the API's JSON objects (Bark, User) inside SQLite, shared by the
statements of every concern: a page is then one JSON value built by one statement, not a row per Python
step. All of them are composed here once, at import time; a statement takes the finished constant.

Who the viewer is, is a named part too: `VIEWER` (the bind parameter :viewer, NULL for no one) or `CALLER`
(the caller the statement authenticated itself, in its CTE `me`)."""

from __future__ import annotations

from barker.store.sqlite_sql.rules import HIDDEN_STATES_SQL, mute_in_force

# Who sees the rendering (my_reactions, rebarked_by_me, following, followed_by): an SQL expression.
VIEWER = ":viewer"  # a bind parameter: the caller's id, NULL for what everyone sees
CALLER = "(SELECT id FROM me)"  # the caller a page statement authenticated from its token (timelines.SESSION)


def sql_bool(cond: str) -> str:
    """A JSON true/false for an SQL condition."""
    return f"json(CASE WHEN {cond} THEN 'true' ELSE 'false' END)"


def author_json(u: str) -> str:
    """SQL rendering the user row `u` as the API's Author object."""
    return (f"json_object('id', {u}.id, 'handle', {u}.handle, 'display_name', {u}.display_name, "
            f"'avatar_url', {u}.avatar_url, 'avatar_thumbnail_url', {u}.avatar_thumbnail_url)")


def reply_to_json(b: str, viewer: str) -> str:
    """SQL rendering the bark row `b`'s ReplyTo object for `viewer`: the bark it answers and that bark's
    author (null once that bark is deleted, and when its author is unseen by the viewer: rules.unseen_by);
    NULL for a bark that is no reply. The rule is written as joins here, not nested subqueries: this sits
    deep inside the stream's and threads' statements, and SQLite's parser allows only so much nesting."""
    return (f"CASE WHEN {b}.reply_to IS NOT NULL THEN json_object('id', {b}.reply_to, 'author', "
            f"json((SELECT {author_json('pu')} FROM barks p JOIN users pu ON pu.id = p.author "
            f"LEFT JOIN blocks k1 ON k1.blocker = {viewer} AND k1.blocked = p.author "
            f"LEFT JOIN blocks k2 ON k2.blocker = p.author AND k2.blocked = {viewer} "
            f"WHERE p.id = {b}.reply_to AND k1.blocker IS NULL AND k2.blocker IS NULL "
            f"AND ({viewer} IS NULL OR pu.state NOT IN {HIDDEN_STATES_SQL})))) END")


def mentions_json(b: str) -> str:
    """SQL rendering the users the bark row `b` mentions as Author objects, in the order first mentioned."""
    return (f"CASE WHEN {b}.mentions = '[]' THEN json('[]') ELSE json((SELECT json_group_array(json(v)) FROM ("
            f"SELECT {author_json('mu')} AS v FROM json_each({b}.mentions) j JOIN users mu ON mu.id = j.value "
            "ORDER BY j.key))) END")


def _bark_json(b: str, u: str, *, nested: str | None, viewer: str) -> str:
    """SQL rendering one bark row `b` (author row `u`) as the API's Bark object for the user `viewer`."""
    return f"""json_object(
        'id', {b}.id,
        'created_at', {b}.created_at,
        'author', {author_json(u)},
        'text', {b}.text,
        'media', json({b}.media),
        'reactions', json({b}.reactions),
        'my_reactions', json((SELECT json_group_array(emoji) FROM reactions INDEXED BY reactions_by_user
                              WHERE user_id = {viewer} AND bark = {b}.id)),
        'rebark_count', {b}.rebark_count,
        'rebarked_by_me', {sql_bool(f"EXISTS (SELECT 1 FROM barks r INDEXED BY barks_rebark "
                                 f"WHERE r.author = {viewer} AND r.rebark_of = {b}.id)")},
        'rebark_of', {nested or 'NULL'},
        'reply_to', {reply_to_json(b, viewer)},
        'reply_count', {b}.reply_count,
        'mentions', {mentions_json(b)},
        'tags', json({b}.tags),
        'entities', json({b}.entities),
        'bookmarked', {sql_bool(f"EXISTS (SELECT 1 FROM bookmarks WHERE user_id = {viewer} AND bark = {b}.id)")})"""


def bark_json(viewer: str) -> str:
    """SQL rendering the bark row `b` (author row `u`), and its original if a rebark, for `viewer` (VIEWER,
    CALLER, or another SQL expression; NULL renders what everyone sees: no reactions or rebark of one's own)."""
    original = (f"CASE WHEN b.rebark_of IS NOT NULL THEN json((SELECT "
                f"{_bark_json('o', 'ou', nested=None, viewer=viewer)} "
                "FROM barks o JOIN users ou ON ou.id = o.author WHERE o.id = b.rebark_of)) END")
    return _bark_json("b", "u", nested=original, viewer=viewer)


def user_json(viewer: str) -> str:
    """SQL rendering the user row `u` as the API's User object for `viewer` (an SQL expression)."""
    return f"""json_object(
    'id', u.id, 'handle', u.handle, 'display_name', u.display_name,
    'avatar_url', u.avatar_url, 'avatar_thumbnail_url', u.avatar_thumbnail_url, 'bio', u.bio,
    'created_at', u.created_at,
    'followers_count', u.followers_count, 'following_count', u.following_count,
    'barks_count', u.barks_count,
    'following', {sql_bool(f"EXISTS (SELECT 1 FROM follows WHERE follower = {viewer} AND followee = u.id)")},
    'followed_by', {sql_bool(f"EXISTS (SELECT 1 FROM follows WHERE follower = u.id AND followee = {viewer})")},
    'blocking', {sql_bool(f"EXISTS (SELECT 1 FROM blocks WHERE blocker = {viewer} AND blocked = u.id)")},
    'blocked_by', {sql_bool(f"EXISTS (SELECT 1 FROM blocks WHERE blocker = u.id AND blocked = {viewer})")},
    'muting', {sql_bool(f"EXISTS (SELECT 1 FROM mutes m WHERE m.muter = {viewer} AND m.muted = u.id "
                        f"AND {mute_in_force('m')})")})"""


BARK_JSON = bark_json(VIEWER)  # the bark row b (author u) for the :viewer parameter
BARK_JSON_FOR_CALLER = bark_json(CALLER)  # ... for the caller a page statement authenticated
USER_JSON = user_json(VIEWER)  # the user row u for the :viewer parameter
