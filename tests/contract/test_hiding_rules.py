"""The hiding rules of barker/store/sqlite_sql/rules.py, both forms, against docs/safety.md's definitions in Python.

Every SQLite read that hides users uses one of two forms of each rule: a set of user ids per viewer
(unseen_users, hidden_users, bark_hidden_in over that set) or a per-row condition (unseen_by, hidden_from,
bark_hidden_from). On a store with blocks one way and both ways, mutes in force (for ever, for a while) and
ended, and pending and suspended accounts, both forms must give the reference's answer for every (viewer,
user) pair and every (viewer, bark) pair, the viewer "no one" (NULL) included. SQL of the SQLite engine: the
ArangoDB store has its own form of these rules, checked by its own tests.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from barker.ids import IdGenerator, now_ms
from barker.policies import HIDDEN_STATES
from barker.ports.types import NewUser
from barker.store.sqlite import SqliteStore
from barker.store.sqlite_sql import rules

HANDLES = ("viewer", "blocked", "blocker", "mutual", "muted", "muted_a_while", "mute_ended", "suspended",
           "pending", "plain", "other")


@pytest.fixture
def world(tmp_path: Path):
    """A store and what was written to it, for the reference: blocks, mutes (muter, muted, until_ms) and
    the accounts' states."""
    store = SqliteStore(tmp_path / "rules.db")
    ids = IdGenerator(7)
    user = {}
    for handle in HANDLES:
        user[handle] = ids.next()
        store.create_user(NewUser(user[handle], handle, handle, handle.title(), "", "x"))
    barks = {h: store.post_bark(ids.next(), uid, h, None, 10_000, ids.next()).id for h, uid in user.items()}
    # Every user rebarks the bark of "other" and of the hidden accounts, before blocks remove some of them.
    for handle, uid in user.items():
        for original in ("other", "suspended", "muted", "blocked"):
            if handle != original:
                store.post_bark(ids.next(), uid, None, barks[original], 10_000, ids.next())
    now = now_ms()
    blocks = {(user["viewer"], user["blocked"]), (user["blocker"], user["viewer"]),
              (user["viewer"], user["mutual"]), (user["mutual"], user["viewer"]),
              (user["other"], user["plain"])}  # between others: hides nothing from the viewer
    for blocker, blocked in sorted(blocks):
        store.block(blocker, blocked, ids.next())
    mutes = {(user["viewer"], user["muted"], None), (user["viewer"], user["muted_a_while"], now + 3_600_000),
             (user["viewer"], user["mute_ended"], now - 1), (user["other"], user["viewer"], None),
             (user["plain"], user["other"], now + 3_600_000)}
    for muter, muted, until in sorted(mutes, key=lambda m: (m[0], m[1])):
        store.mute(muter, muted, ids.next(), until)
    states = {uid: "active" for uid in user.values()}
    for handle in ("suspended", "pending"):
        states[user[handle]] = handle
        store.set_account_state(user[handle], handle)
    yield store, user, blocks, mutes, states, now
    store.close()


def reference(blocks, mutes, states, now):
    """docs/safety.md's unseen(V, U) and hidden(V, U), in Python."""
    def unseen(viewer: int | None, other: int) -> bool:
        if viewer is None:  # a read for no one (an export, a moderator's view) hides nothing
            return False
        return (viewer, other) in blocks or (other, viewer) in blocks or states[other] in HIDDEN_STATES

    def hidden(viewer: int | None, other: int) -> bool:
        return unseen(viewer, other) or any(muter == viewer and muted == other and (until is None or until > now)
                                            for muter, muted, until in mutes)

    return unseen, hidden


def user_set(store, select: str, viewer: int | None) -> set[int]:
    return {row[0] for row in store._reader().execute(select, (viewer,))}


def test_both_forms_of_unseen_and_hidden_agree_with_the_definitions(world):
    store, user, blocks, mutes, states, now = world
    unseen, hidden = reference(blocks, mutes, states, now)
    everyone = list(user.values())
    checked = 0
    for viewer in [None, *everyone]:
        unseen_set = user_set(store, rules.unseen_users("?1"), viewer)
        hidden_set = user_set(store, rules.hidden_users("?1"), viewer)
        for other in everyone:
            row_unseen, row_hidden = store._reader().execute(
                f"SELECT {rules.unseen_by('?1', '?2')}, {rules.hidden_from('?1', '?2')}", (viewer, other)).fetchone()
            expected = (unseen(viewer, other), hidden(viewer, other))
            assert (other in unseen_set, other in hidden_set) == expected, (viewer, other)
            assert (bool(row_unseen), bool(row_hidden)) == expected, (viewer, other)
            checked += 1
    assert checked == (len(everyone) + 1) * len(everyone)
    # The cases the store was built for came out as docs/safety.md says, for the viewer:
    v = user["viewer"]
    assert {h for h, uid in user.items() if unseen(v, uid)} == {"blocked", "blocker", "mutual", "suspended",
                                                                 "pending"}
    assert {h for h, uid in user.items() if hidden(v, uid)} == {"blocked", "blocker", "mutual", "suspended",
                                                                 "pending", "muted", "muted_a_while"}
    assert user_set(store, rules.unseen_users("?1"), None) == set()


def test_both_forms_of_a_hidden_bark_agree_with_the_definitions(world):
    """A bark is hidden when its author is, or it rebarks a bark whose author is."""
    store, user, blocks, mutes, states, now = world
    unseen, hidden = reference(blocks, mutes, states, now)
    barks = store._reader().execute("SELECT b.id, b.author, o.author FROM barks b "
                                    "LEFT JOIN barks o ON o.id = b.rebark_of").fetchall()
    assert len(barks) > 2 * len(user)  # rebarks among them

    def bark_rule(rule, viewer, author, original):
        return rule(viewer, author) or (original is not None and rule(viewer, original))

    for viewer in [None, *user.values()]:
        for hiding, in_set, per_row in ((unseen, rules.unseen_users, rules.unseen_by),
                                        (hidden, rules.hidden_users, rules.hidden_from)):
            # bark_hidden_in over the viewer's set, and bark_hidden_from built on the same per-row rule
            set_form = dict(store._reader().execute(
                f"WITH s(id) AS MATERIALIZED ({in_set('?1')}) "
                f"SELECT b.id, {rules.bark_hidden_in('s', 'b')} FROM barks b", (viewer,)))
            if per_row is rules.hidden_from:
                row_form = dict(store._reader().execute(
                    f"SELECT b.id, {rules.bark_hidden_from('?1', 'b')} FROM barks b", (viewer,)))
            else:
                row_form = dict(store._reader().execute(
                    f"SELECT b.id, {per_row('?1', 'b.author')} OR (b.rebark_of IS NOT NULL AND "
                    f"{per_row('?1', '(SELECT author FROM barks WHERE id = b.rebark_of)')}) FROM barks b",
                    (viewer,)))
            for bark, author, original in barks:
                expected = bark_rule(hiding, viewer, author, original)
                assert bool(set_form[bark]) == expected == bool(row_form[bark]), (viewer, bark)


def test_an_ended_mute_and_a_reactivated_account_hide_nothing(world):
    store, user, _, _, _, _ = world
    v = user["viewer"]
    store.set_account_state(user["suspended"], "active")
    store.unmute(v, user["muted"], now_ms())
    hidden_now = user_set(store, rules.hidden_users("?1"), v)
    assert user["suspended"] not in hidden_now and user["muted"] not in hidden_now
    assert user["mute_ended"] not in hidden_now and user["muted_a_while"] in hidden_now
    # and who mutes whom among others changes nothing for the viewer
    assert not {user["plain"], user["other"]} & hidden_now
    assert all(not store._reader().execute(f"SELECT {rules.hidden_from('?1', '?2')}", pair).fetchone()[0]
               for pair in itertools.product([v], [user["plain"], user["other"], user["mute_ended"]]))
