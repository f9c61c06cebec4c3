"""The statements of the SQLite store's notifications (barker/store/sqlite_notifications.py): writing one
with its cause, the owner's pages (newest first, by the primary key (owner, id), or one range of
notifications_type per wanted type), and the read marker with the exact unread count."""

from __future__ import annotations

from barker.policies import NOTIFICATION_TYPES
from barker.store.sqlite_sql.render import bark_json, user_json
from barker.store.sqlite_sql.rules import hidden_users

# The users whose notifications :o does not see (docs/safety.md): read once per statement, as the CTE `hidden`.
HIDDEN = f"hidden(id) AS MATERIALIZED ({hidden_users(':o')})"

# ?1 owner, ?2 id (of the cause), ?3 type, ?4 actor, ?5 bark (NULL for a follow).
INSERT_NOTIFICATION = "INSERT OR IGNORE INTO notifications (owner, id, type, actor, bark) VALUES (?, ?, ?, ?, ?)"
# Undoing reaction (?1 bark, ?2 user, ?3 emoji) takes its notification with it (notifications_id).
DELETE_REACTION_NOTIFICATION = ("DELETE FROM notifications WHERE type = 'reaction' AND id = "
                                "(SELECT id FROM reactions WHERE bark = ?1 AND user_id = ?2 AND emoji = ?3)")

# The newest :n notifications of :o below :before, all types: one primary-key range read newest first. Those
# whose actor is hidden from :o are passed over before the LIMIT, so a page stays full.
PAGE_ALL = ("SELECT * FROM notifications WHERE owner = :o AND id < :before AND actor NOT IN hidden "
            "ORDER BY id DESC LIMIT :n")
# ... of the wanted types: per type, one range of notifications_type newest first that stops at :n, so an
# owner with 100k notifications of other types costs nothing more. A type is wanted when its parameter
# (:reaction, :rebark, ...) is 1: a bound parameter is a constant, tested once before that branch's scan
# (a subquery such as `'reply' IN (SELECT ... json_each(...))` would be tested per row, scanning the range).
PAGE_OF_TYPES = ("SELECT * FROM (" + " UNION ALL ".join(
    f"SELECT * FROM (SELECT * FROM notifications INDEXED BY notifications_type WHERE owner = :o "
    f"AND type = '{kind}' AND id < :before AND :{kind} AND actor NOT IN hidden ORDER BY id DESC LIMIT :n)"
    for kind in NOTIFICATION_TYPES) + ") ORDER BY id DESC LIMIT :n")


def page(ids: str) -> str:
    """The notifications of the subquery `ids` rendered for their owner :o as the API's Notification
    (created_at is added from the id by the adapter): the actor as a User, the bark as the owner sees it,
    the emoji of a reaction."""
    return f"""WITH {HIDDEN}
SELECT json_group_array(json(v)) FROM (SELECT json_object(
    'id', n.id, 'type', n.type,
    'actor', json((SELECT {user_json(':o')} FROM users u WHERE u.id = n.actor)),
    'bark', CASE WHEN n.bark IS NOT NULL THEN json((SELECT {bark_json(':o')} FROM barks b
                                                     JOIN users u ON u.id = b.author WHERE b.id = n.bark)) END,
    'emoji', CASE WHEN n.type = 'reaction' THEN (SELECT emoji FROM reactions WHERE id = n.id) END) AS v
    FROM ({ids}) n)"""


NOTIFICATION_PAGE = page(PAGE_ALL)
NOTIFICATION_PAGE_OF_TYPES = page(PAGE_OF_TYPES)

# The marker of :o and how many of its notifications are newer, leaving out those whose actor is hidden
# from :o: a count over one primary-key range.
UNREAD = (f"WITH {HIDDEN} SELECT u.notifications_read, (SELECT count(*) FROM notifications WHERE owner = u.id "
          "AND id > u.notifications_read AND actor NOT IN hidden) FROM users u WHERE u.id = :o")
# Move ?1's marker up to ?2, never back, and never past their newest notification (a primary-key seek).
MARK_READ = ("UPDATE users SET notifications_read = max(notifications_read, min(?2, coalesce("
             "(SELECT max(id) FROM notifications WHERE owner = ?1), 0))) WHERE id = ?1")
